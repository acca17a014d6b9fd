import type { Readable } from 'node:stream';

/** What a CLI command may touch of its process; tests pass their own. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  stdin: Readable & { isTTY?: boolean };
  env: Record<string, string | undefined>;
}

export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stdin: process.stdin,
    env: process.env,
  };
}

/** Exit codes of DESIGN.md section 8. */
export const EXIT = { ok: 0, runFailed: 1, usage: 2 } as const;
