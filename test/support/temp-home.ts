import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

const homes: string[] = [];

afterEach(() => {
  for (const home of homes.splice(0))
    rmSync(home, { recursive: true, force: true });
});

/** A fresh DAGDESK_HOME, removed after the current test. */
export function tempHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'dagdesk-test-'));
  homes.push(home);
  return join(home, 'home');
}
