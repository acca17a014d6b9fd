import { describe, expect, it } from 'vitest';
import { CHANNELS } from '../../src-shared/contract.js';
import { API_ARGS } from '../../src-shared/contract-schemas.js';
import { createApiHandlers, dispatch } from '../../src-main/ipc/handlers.js';
import { admin } from '../support/actors.js';
import { testCore } from '../support/core.js';

describe('IPC dispatch', () => {
  it('covers every contract method with a channel and an argument schema', () => {
    const handlers = createApiHandlers(testCore(), admin);
    expect(Object.keys(API_ARGS).sort()).toEqual(Object.keys(CHANNELS).sort());
    expect(Object.keys(handlers).sort()).toEqual(Object.keys(CHANNELS).sort());
    expect(new Set(Object.values(CHANNELS)).size).toBe(
      Object.keys(CHANNELS).length,
    );
  });

  it('returns values as ok results and expected failures as coded errors', () => {
    const handlers = createApiHandlers(testCore(), admin);
    const created = dispatch(handlers, 'createProfile', [{ name: 'prod' }]);
    expect(created).toMatchObject({
      ok: true,
      value: { name: 'prod', status: 'active' },
    });
    expect(dispatch(handlers, 'createProfile', [{ name: 'prod' }])).toEqual({
      ok: false,
      error: {
        code: 'already_exists',
        message: 'profile "prod" already exists: names are unique',
      },
    });
    expect(dispatch(handlers, 'getProfile', ['nope'])).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });

  it('parses untrusted arguments before anything runs', () => {
    const handlers = createApiHandlers(testCore(), admin);
    const cases: Array<[keyof typeof CHANNELS, unknown[]]> = [
      ['getProfile', [42]],
      ['getProfile', []],
      ['createProfile', [{ name: 'x', extra: true }]],
      ['updateProfile', ['x', { status: 'paused' }]],
      ['setSecret', ['x', 'K']],
      ['listProfiles', ['unexpected']],
    ];
    for (const [method, args] of cases) {
      const result = dispatch(handlers, method, args);
      expect(result, `${method} ${JSON.stringify(args)}`).toMatchObject({
        ok: false,
        error: { code: 'bad_request' },
      });
    }
    expect(dispatch(handlers, 'listProfiles', [])).toEqual({
      ok: true,
      value: [],
    });
  });

  it('answers a secret write with versions only', () => {
    const handlers = createApiHandlers(testCore(), admin);
    dispatch(handlers, 'createProfile', [{ name: 'prod' }]);
    const result = dispatch(handlers, 'setSecret', [
      'prod',
      'TOKEN',
      'ipc-secret-value',
    ]);
    expect(JSON.stringify(result)).not.toContain('ipc-secret-value');
    expect(result).toMatchObject({
      ok: true,
      value: { profile: { entries: [{ version: 1 }] } },
    });
  });
});
