import { type Core, openCore } from '../../src-main/core.js';
import { resolveProfile } from '../../src-main/profiles/resolve.js';
import type { KeySources } from '../../src-main/secrets/key-sources.js';
import { afterEach } from 'vitest';
import { tempHome } from './temp-home.js';

export const MASTER_KEY = 'test-master-key-0123456789';

const open: Core[] = [];

afterEach(() => {
  for (const core of open.splice(0)) core.close();
});

/** A core on a fresh home, opened with the master key unless told not to. */
export function testCore(
  keys: KeySources = { masterKey: MASTER_KEY },
  home = tempHome(),
): Core {
  const core = openCore(home, keys);
  open.push(core);
  return core;
}

/** The plaintext of a profile's secret, opened as a run would open it. */
export function storedSecret(
  home: string,
  profile: string,
  key: string,
): string | undefined {
  const core = testCore({ masterKey: MASTER_KEY }, home);
  const resolved = resolveProfile(
    core.db,
    core.vault,
    { name: 'test', role: 'admin' },
    profile,
    'use',
  );
  return resolved.secrets.get(key);
}
