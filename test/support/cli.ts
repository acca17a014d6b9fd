import { execa } from 'execa';
import { Readable, Writable } from 'node:stream';
import { resolve } from 'node:path';
import { runCli } from '../../src-main/cli/program.js';
import { createSafeStorageCompat } from '../../src-main/safe-storage-compat/index.js';
import { MASTER_KEY } from './core.js';

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

export const PROJECT_ROOT = resolve(import.meta.dirname, '../..');

export function cliEnv(home: string, extra: Record<string, string> = {}) {
  return { DAGDESK_HOME: home, DAGDESK_MASTER_KEY: MASTER_KEY, ...extra };
}

/** Runs the CLI in this process, as `dagdesk <args>` would. */
export async function cli(
  args: string[],
  env: Record<string, string | undefined>,
  stdin: { text?: string; isTTY?: boolean } = {},
): Promise<CliResult> {
  let out = '';
  let err = '';
  const input = Object.assign(Readable.from([Buffer.from(stdin.text ?? '')]), {
    isTTY: stdin.isTTY ?? false,
  });
  const collect = (append: (text: string) => void) =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        append(chunk.toString('utf8'));
        done();
      },
    });
  const io = {
    stdout: (text: string) => void (out += text),
    stderr: (text: string) => void (err += text),
    stdin: input,
    env,
    streams: {
      stdout: collect((text) => (out += text)),
      stderr: collect((text) => (err += text)),
    },
    onInterrupt: () => () => undefined,
  };
  const os = createSafeStorageCompat({ applicationName: 'dagdesk-cli-test' });
  const code = await runCli(args, io, os);
  return { code, out, err };
}

/** Runs the real `dagdesk` entry point as a separate process. */
export async function spawnCli(
  args: string[],
  env: Record<string, string>,
  input = '',
): Promise<CliResult> {
  const result = await execa(
    process.execPath,
    ['--import', 'tsx', 'src-main/cli/main.ts', ...args],
    { cwd: PROJECT_ROOT, env, input, reject: false },
  );
  return {
    code: result.exitCode ?? -1,
    out: result.stdout,
    err: result.stderr,
  };
}
