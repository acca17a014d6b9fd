import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { Profile, ProfileStatus } from '../../src-shared/profile.js';
import {
  descriptionSchema,
  entryKeySchema,
  firstProblem,
  profileNameSchema,
  secretValueSchema,
  variableValueSchema,
} from '../../src-shared/profile-rules.js';
import type { Actor } from '../../src-shared/roles.js';
import { DagdeskError, badRequest, notFound } from '../errors.js';
import { WHOLE_WORD_BELOW, isShortSecret } from '../masking/mask-forms.js';
import type { Vault } from '../secrets/vault.js';
import type { Db } from '../store/database.js';
import {
  authorize,
  authorizeProtectionChange,
  authorizeRole,
  mayAccess,
} from './access.js';
import { timestamp } from '../clock.js';
import { type AuditEvent, recordAudit } from '../store/audit.js';
import * as repo from './repository.js';

export interface NewProfile {
  name: string;
  description?: string;
  protected?: boolean;
}

export interface ProfileChange {
  description?: string;
  status?: ProfileStatus;
  protected?: boolean;
}

export interface SetSecretResult {
  profile: Profile;
  /** Said to the operator: a short secret is masked only as a whole word. */
  warning?: string;
}

/**
 * Every operation on runtime profiles. Each runs as one transaction, checks
 * the actor's role, and writes one audit event that names the profile, key,
 * kind and version, never a value.
 */
export class ProfileService {
  constructor(
    private readonly db: Db,
    private readonly vault: Vault,
    private readonly now: () => string = timestamp,
  ) {}

  list(actor: Actor): Profile[] {
    authorizeRole(actor, 'view');
    return repo
      .listProfileRows(this.db)
      .filter((row) => mayAccess(actor, 'view', asTarget(row)))
      .map((row) => repo.toProfile(row, repo.readEntries(this.db, row.id)));
  }

  get(actor: Actor, name: string): Profile {
    authorizeRole(actor, 'view');
    const row = this.require(name);
    authorize(actor, 'view', asTarget(row));
    return this.present(row);
  }

  /**
   * Checks that `actor` may start a run with profile `name` now: it exists,
   * is active, and is not protected from them. Its values are not opened.
   */
  checkUsable(
    actor: Actor,
    name: string,
    mode: 'use' | 'inherit' = 'use',
  ): void {
    authorizeRole(actor, mode);
    const row = this.require(name);
    authorize(actor, mode, asTarget(row));
    if (row.status === 'disabled') {
      throw badRequest(
        `profile ${JSON.stringify(name)} is disabled (enable it to start runs)`,
      );
    }
  }

  create(actor: Actor, input: NewProfile): Profile {
    authorizeRole(actor, 'manage');
    const name = parse(profileNameSchema, input.name);
    const description = parse(descriptionSchema, input.description ?? '');
    if (input.protected) authorizeProtectionChange(actor, name);
    authorize(actor, 'manage', { name, protected: Boolean(input.protected) });
    return this.change(
      actor,
      { action: 'runtime_profile_create', profile: name },
      () => {
        if (repo.findProfile(this.db, name)) {
          throw new DagdeskError(
            'already_exists',
            `profile ${JSON.stringify(name)} already exists: names are unique`,
          );
        }
        const now = this.now();
        repo.insertProfile(this.db, {
          id: randomUUID(),
          name,
          description,
          status: 'active',
          protected: input.protected ? 1 : 0,
          created_at: now,
          updated_at: now,
        });
        return this.present(this.require(name));
      },
    );
  }

  update(actor: Actor, name: string, change: ProfileChange): Profile {
    return this.change(
      actor,
      { action: 'runtime_profile_update', profile: name },
      () => {
        const row = this.requireManaged(actor, name);
        if (
          change.protected !== undefined &&
          change.protected !== (row.protected === 1)
        ) {
          authorizeProtectionChange(actor, name);
        }
        repo.updateProfileRow(this.db, {
          ...row,
          description:
            change.description === undefined
              ? row.description
              : parse(descriptionSchema, change.description),
          status: change.status ?? row.status,
          protected:
            change.protected === undefined
              ? row.protected
              : change.protected
                ? 1
                : 0,
          updated_at: this.now(),
        });
        return this.present(this.require(name));
      },
    );
  }

  delete(actor: Actor, name: string): void {
    this.change(
      actor,
      { action: 'runtime_profile_delete', profile: name },
      () => {
        const row = this.requireManaged(actor, name);
        repo.deleteProfileRow(this.db, row.id);
      },
    );
  }

  setVariable(actor: Actor, name: string, key: string, value: string): Profile {
    const validKey = parse(entryKeySchema, key);
    const validValue = parse(variableValueSchema, value);
    const event = {
      action: 'runtime_profile_variable_set',
      profile: name,
      key: validKey,
      kind: 'variable',
    } as const;
    return this.change(actor, event, () => {
      const row = this.requireManaged(actor, name);
      this.assertKind(row, validKey, 'variable');
      const now = this.now();
      repo.upsertVariable(this.db, row.id, validKey, validValue, now);
      repo.touchProfile(this.db, row.id, now);
      return this.present(row);
    });
  }

  setSecret(
    actor: Actor,
    name: string,
    key: string,
    value: string,
  ): SetSecretResult {
    const validKey = parse(entryKeySchema, key);
    const validValue = parse(secretValueSchema, value);
    const event: AuditEvent = {
      action: 'runtime_profile_secret_set',
      profile: name,
      key: validKey,
      kind: 'secret',
    };
    const profile = this.change(actor, event, () => {
      const row = this.requireManaged(actor, name);
      const existing = this.assertKind(row, validKey, 'secret');
      event.version = this.writeSecret(
        row.id,
        validKey,
        validValue,
        existing?.secret_id,
      );
      repo.touchProfile(this.db, row.id, this.now());
      return this.present(row);
    });
    if (!isShortSecret(validValue)) return { profile };
    return {
      profile,
      warning:
        `secret ${validKey} is shorter than ${WHOLE_WORD_BELOW} characters: ` +
        'logs mask it only where it stands as a whole word',
    };
  }

  deleteEntry(actor: Actor, name: string, key: string): Profile {
    const event: AuditEvent = {
      action: 'runtime_profile_entry_delete',
      profile: name,
      key,
    };
    return this.change(actor, event, () => {
      const row = this.requireManaged(actor, name);
      const entry = repo.findEntry(this.db, row.id, key);
      if (!entry) {
        throw notFound(
          `profile ${JSON.stringify(name)} has no key ${JSON.stringify(key)}`,
        );
      }
      event.kind = entry.kind;
      repo.deleteEntryRow(this.db, row.id, key);
      repo.touchProfile(this.db, row.id, this.now());
      return this.present(row);
    });
  }

  /** Runs `write` and its audit event as one transaction. */
  private change<T>(actor: Actor, event: AuditEvent, write: () => T): T {
    return this.db
      .transaction(() => {
        const result = write();
        recordAudit(this.db, actor, event, this.now());
        return result;
      })
      .immediate();
  }

  private writeSecret(
    profileId: string,
    key: string,
    value: string,
    secretId: string | null | undefined,
  ): number {
    const now = this.now();
    const current = secretId ? repo.readSecret(this.db, secretId) : undefined;
    const id = current?.id ?? randomUUID();
    const version = (current?.version ?? 0) + 1;
    const ciphertext = this.vault.sealSecret(id, version, value);
    const secret = { id, version, ciphertext };
    if (current) repo.rotateSecret(this.db, profileId, key, secret, now);
    else repo.insertSecretEntry(this.db, profileId, key, secret, now);
    return version;
  }

  private assertKind(
    row: repo.ProfileRow,
    key: string,
    kind: 'variable' | 'secret',
  ) {
    const entry = repo.findEntry(this.db, row.id, key);
    if (entry && entry.kind !== kind) {
      throw badRequest(
        `profile key already exists: ${key} is a ${entry.kind} of profile ` +
          `${row.name}; delete it first to make it a ${kind}`,
      );
    }
    return entry;
  }

  private require(name: string): repo.ProfileRow {
    const row = repo.findProfile(this.db, name);
    if (!row) throw notFound(`profile ${JSON.stringify(name)} not found`);
    return row;
  }

  private requireManaged(actor: Actor, name: string): repo.ProfileRow {
    authorizeRole(actor, 'manage');
    const row = this.require(name);
    authorize(actor, 'manage', asTarget(row));
    return row;
  }

  /** The profile as stored now (`row` may predate the write). */
  private present(row: repo.ProfileRow): Profile {
    const current = repo.findProfile(this.db, row.name) ?? row;
    return repo.toProfile(current, repo.readEntries(this.db, row.id));
  }
}

function asTarget(row: repo.ProfileRow) {
  return { name: row.name, protected: row.protected === 1 };
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw badRequest(firstProblem(result.error));
  return result.data;
}
