import { type Core, openCore } from '../../src-main/core.js';
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
