import { Hono } from 'hono';
import { z } from 'zod';
import { PROFILE_STATUSES } from '../../src-shared/profile.js';
import {
  ENTRY_KEY_MAX,
  RESERVED_KEY_PREFIX,
  profileNameSchema,
} from '../../src-shared/profile-rules.js';
import type { ProfileService } from '../profiles/service.js';
import { ApiError, apiBadRequest, asDagu } from './api-error.js';
import { jsonBody } from './body.js';
import type { ApiEnv } from './guards.js';

/** Dagu's fixed messages for the profile endpoints. */
const NOT_FOUND = 'Runtime profile not found';
const MESSAGES = {
  not_found: NOT_FOUND,
  already_exists: 'Runtime profile already exists',
};

const createBody = z.strictObject({
  name: z.string(),
  description: z.string().optional(),
  protected: z.boolean().optional(),
});
const updateBody = z.strictObject({
  description: z.string().optional(),
  status: z.string().optional(),
  protected: z.boolean().optional(),
});
const valueBody = z.strictObject({ value: z.string().optional() });

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The eight `/profiles` endpoints of Dagu's API, on the profile service. */
export function profileRoutes(profiles: ProfileService): Hono<ApiEnv> {
  const api = new Hono<ApiEnv>();

  api.get('/', (c) =>
    c.json({ profiles: asDagu(() => profiles.list(c.get('actor'))) }),
  );

  api.post('/', async (c) => {
    const body = await jsonBody(c, createBody);
    const name = body.name.trim();
    checkName(name);
    const created = asDagu(
      () => profiles.create(c.get('actor'), { ...body, name }),
      MESSAGES,
    );
    return c.json(created, 201);
  });

  api.get('/:profileName', (c) => {
    const name = c.req.param('profileName');
    if (!isName(name)) throw new ApiError('not_found', NOT_FOUND);
    return c.json(asDagu(() => profiles.get(c.get('actor'), name), MESSAGES));
  });

  api.patch('/:profileName', async (c) => {
    const name = checkName(c.req.param('profileName'));
    const body = await jsonBody(c, updateBody);
    if (
      body.status !== undefined &&
      !(PROFILE_STATUSES as readonly string[]).includes(body.status)
    ) {
      throw apiBadRequest('invalid profile status');
    }
    const change = {
      ...body,
      status: body.status as (typeof PROFILE_STATUSES)[number] | undefined,
    };
    return c.json(
      asDagu(() => profiles.update(c.get('actor'), name, change), MESSAGES),
    );
  });

  api.delete('/:profileName', (c) => {
    const name = c.req.param('profileName');
    if (!isName(name)) throw new ApiError('not_found', NOT_FOUND);
    asDagu(() => profiles.delete(c.get('actor'), name), MESSAGES);
    return c.body(null, 204);
  });

  api.put('/:profileName/variables/:key', async (c) => {
    const name = checkName(c.req.param('profileName'));
    const { value = '' } = await jsonBody(c, valueBody);
    const key = checkKey(c.req.param('key'));
    refuseOtherKind(profiles, c.get('actor'), name, key, 'variable');
    return c.json(
      asDagu(
        () => profiles.setVariable(c.get('actor'), name, key, value),
        MESSAGES,
      ),
    );
  });

  api.put('/:profileName/secrets/:key', async (c) => {
    const name = checkName(c.req.param('profileName'));
    const { value } = await jsonBody(c, valueBody);
    if (!value) throw apiBadRequest('value must not be empty');
    const key = checkKey(c.req.param('key'));
    refuseOtherKind(profiles, c.get('actor'), name, key, 'secret');
    const result = asDagu(
      () => profiles.setSecret(c.get('actor'), name, key, value),
      MESSAGES,
    );
    return c.json(result.profile);
  });

  api.delete('/:profileName/entries/:key', (c) => {
    const name = checkName(c.req.param('profileName'));
    const key = checkKey(c.req.param('key'));
    asDagu(() => profiles.deleteEntry(c.get('actor'), name, key), MESSAGES);
    return c.body(null, 204);
  });

  return api;
}

function isName(name: string): boolean {
  return profileNameSchema.safeParse(name).success;
}

function checkName(name: string): string {
  if (!isName(name))
    throw apiBadRequest(`invalid profile name: ${JSON.stringify(name)}`);
  return name;
}

function checkKey(key: string): string {
  if (!KEY.test(key) || key.length > ENTRY_KEY_MAX) {
    throw apiBadRequest(`invalid profile key: ${JSON.stringify(key)}`);
  }
  if (key.startsWith(RESERVED_KEY_PREFIX)) {
    throw apiBadRequest(`profile key is reserved: ${JSON.stringify(key)}`);
  }
  return key;
}

/** Dagu's words when a key already holds the other kind. */
function refuseOtherKind(
  profiles: ProfileService,
  actor: Parameters<ProfileService['get']>[0],
  name: string,
  key: string,
  kind: 'variable' | 'secret',
): void {
  const profile = asDagu(() => profiles.get(actor, name), MESSAGES);
  const entry = profile.entries.find((e) => e.key === key);
  if (entry && entry.kind !== kind)
    throw apiBadRequest(`profile key already exists: ${key}`);
}
