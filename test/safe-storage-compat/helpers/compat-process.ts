import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface CompatRequest {
  applicationName: string;
  passwordStore?: 'basic' | 'gnome-libsecret';
  /** Text to seal. */
  encrypt?: string;
  /** A sealed value, base64, to open. */
  decrypt?: string;
}

export interface CompatReply {
  backend: string;
  available: boolean;
  /** base64 */
  sealed?: string;
  opened?: string;
  error?: { code: string; message: string };
}

const root = fileURLToPath(new URL('../../../', import.meta.url));
const fixture = fileURLToPath(
  new URL('../fixtures/compat-cli.ts', import.meta.url),
);

/** Runs the compat module in a new Node process, with nothing cached. */
export function runCompatProcess(
  request: CompatRequest,
  env: NodeJS.ProcessEnv = process.env,
): CompatReply {
  const stdout = execFileSync(
    process.execPath,
    ['--import', 'tsx', fixture, JSON.stringify(request)],
    { cwd: root, env, encoding: 'utf8' },
  );
  return JSON.parse(stdout) as CompatReply;
}
