import { chmodSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Files Dagdesk creates are readable by their owner only. */
export const FILE_MODE = 0o600;
export const DIR_MODE = 0o700;

type Env = Record<string, string | undefined>;

/**
 * The folder holding the database, DAGs and logs. The Electron app and the
 * CLI resolve the same one, so both see the same profiles.
 */
export function resolveHome(
  env: Env = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.DAGDESK_HOME) return env.DAGDESK_HOME;
  return join(appDataDir(env, platform), 'dagdesk');
}

function appDataDir(env: Env, platform: NodeJS.Platform): string {
  const home = env.HOME ?? homedir();
  if (platform === 'darwin')
    return join(home, 'Library', 'Application Support');
  if (platform === 'win32') {
    return env.APPDATA ?? join(home, 'AppData', 'Roaming');
  }
  return env.XDG_CONFIG_HOME || join(home, '.config');
}

/** Creates `dir` (and parents) owner-only; tightens it if it existed. */
export function ensurePrivateDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  chmodSync(dir, DIR_MODE);
  return dir;
}
