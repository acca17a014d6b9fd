// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import type { DagdeskApi } from '../../src-shared/contract.js';
import { createApiHandlers, dispatch } from '../../src-main/ipc/handlers.js';
import {
  createProfile,
  loadProfiles,
  resetProfiles,
  setSecret,
  setVariable,
  useProfiles,
} from '../../src-renderer/profiles-store.js';
import { admin } from '../support/actors.js';
import { testCore } from '../support/core.js';

/** The real main-side handlers behind the bridge's shape, minus Electron. */
function bridgeTo(core: ReturnType<typeof testCore>): DagdeskApi {
  const handlers = createApiHandlers(core, admin);
  return new Proxy({} as DagdeskApi, {
    get:
      (_, method) =>
      async (...args: unknown[]) =>
        structuredClone(dispatch(handlers, method as keyof DagdeskApi, args)),
  });
}

beforeEach(() => {
  resetProfiles();
  window.dagdesk = bridgeTo(testCore());
});

describe('the window profile state', () => {
  it('loads, creates and selects profiles', async () => {
    await createProfile('prod', '');
    await createProfile('dev', '');
    resetProfiles();
    await loadProfiles();
    expect(useProfiles.getState().profiles.map((p) => p.name)).toEqual([
      'dev',
      'prod',
    ]);
  });

  it('shows an expected failure as the message, without throwing', async () => {
    expect(await createProfile('Bad Name', '')).toBe(false);
    expect(useProfiles.getState().error).toMatch(
      /^invalid profile name: "Bad Name"/,
    );
  });

  it('never holds a secret value, and passes warnings on', async () => {
    await createProfile('prod', '');
    await setVariable('prod', 'MODE', 'fast');
    await setSecret('prod', 'TOKEN', 'renderer-secret-value');
    await setSecret('prod', 'PIN', 'abc');
    const state = JSON.stringify(useProfiles.getState());
    expect(state).not.toContain('renderer-secret-value');
    expect(state).toContain('fast');
    expect(useProfiles.getState().notice).toMatch(/shorter than 4 characters/);
  });
});
