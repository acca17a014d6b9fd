import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../src-shared/roles.js';
import { admin } from '../support/actors.js';
import { type ApiHarness, apiHarness, untilEnded } from '../support/api.js';

/** What each role may do to a profile, protected or not (README, Access). */
function allowed(role: Role, action: string, isProtected: boolean): boolean {
  const rank = ROLES.indexOf(role);
  const atLeast = (floor: Role) => rank <= ROLES.indexOf(floor);
  switch (action) {
    case 'retry':
      return atLeast('operator');
    case 'start':
      return isProtected ? role === 'admin' : atLeast('operator');
    default:
      return isProtected ? role === 'admin' : atLeast('manager');
  }
}

/** Each action, done as `role` on profile `p` (and its run), and its status. */
const ACTIONS: [string, (api: ApiHarness, role: Role) => Promise<number>][] = [
  [
    'see in list',
    async (api, role) => {
      const reply = await api.call('GET', '/profiles', { role });
      if (reply.status !== 200) return reply.status;
      return reply.json.profiles.some((p: { name: string }) => p.name === 'p')
        ? 200
        : 403;
    },
  ],
  [
    'get',
    async (api, role) =>
      (await api.call('GET', '/profiles/p', { role })).status,
  ],
  [
    'change',
    async (api, role) =>
      (
        await api.call('PATCH', '/profiles/p', {
          role,
          body: { description: 'x' },
        })
      ).status,
  ],
  [
    'set a variable',
    async (api, role) =>
      (
        await api.call('PUT', '/profiles/p/variables/V', {
          role,
          body: { value: '1' },
        })
      ).status,
  ],
  [
    'set a secret',
    async (api, role) =>
      (
        await api.call('PUT', '/profiles/p/secrets/S', {
          role,
          body: { value: 'secret-1' },
        })
      ).status,
  ],
  [
    'delete an entry',
    async (api, role) =>
      (await api.call('DELETE', '/profiles/p/entries/KEPT', { role })).status,
  ],
  [
    'start',
    async (api, role) =>
      (
        await api.call('POST', '/dags/d/start', {
          role,
          body: { profile: 'p' },
        })
      ).status,
  ],
  [
    'retry',
    async (api, role) => {
      const run = await api.call('POST', '/dags/d/start', {
        body: { profile: 'p' },
      });
      await untilEnded(api, 'd', run.json.dagRunId);
      return (
        await api.call('POST', `/dag-runs/d/${run.json.dagRunId}/retry`, {
          role,
          body: {},
        })
      ).status;
    },
  ],
  [
    'delete',
    async (api, role) =>
      (await api.call('DELETE', '/profiles/p', { role })).status,
  ],
];

describe('the access matrix, over HTTP', () => {
  for (const isProtected of [false, true]) {
    for (const role of ROLES) {
      it(`${role} on a ${isProtected ? 'protected' : 'plain'} profile`, async () => {
        const api = await apiHarness();
        api.core.profiles.create(admin, { name: 'p', protected: isProtected });
        api.core.profiles.setVariable(admin, 'p', 'KEPT', 'x');
        api.writeDag('d', 'steps:\n  - run: "true"\n');
        const got: Record<string, boolean> = {};
        const want: Record<string, boolean> = {};
        for (const [action, act] of ACTIONS) {
          const status = await act(api, role);
          expect([200, 201, 204, 403], `${action}: ${status}`).toContain(
            status,
          );
          got[action] = status !== 403;
          want[action] = allowed(role, action, isProtected);
        }
        expect(got).toEqual(want);
      });
    }
  }

  it('lets only admins create a protected profile or change the flag', async () => {
    const api = await apiHarness();
    for (const role of ROLES) {
      const reply = await api.call('POST', '/profiles', {
        role,
        body: { name: `x-${role}`, protected: true },
      });
      expect([role, reply.status]).toEqual([
        role,
        role === 'admin' ? 201 : 403,
      ]);
    }
    api.core.profiles.create(admin, { name: 'plain' });
    const manager = await api.call('PATCH', '/profiles/plain', {
      role: 'manager',
      body: { protected: true },
    });
    expect(manager).toMatchObject({
      status: 403,
      json: { code: 'forbidden', message: 'Insufficient permissions' },
    });
  });

  it('lets operators start runs without a profile, not viewers', async () => {
    const api = await apiHarness();
    api.writeDag('d', 'steps:\n  - run: "true"\n');
    expect(
      (await api.call('POST', '/dags/d/start', { role: 'operator', body: {} }))
        .status,
    ).toBe(200);
    expect(
      (await api.call('POST', '/dags/d/start', { role: 'viewer', body: {} }))
        .status,
    ).toBe(403);
    expect(
      (await api.call('GET', '/dag-runs', { role: 'viewer' })).status,
    ).toBe(200);
  });
});
