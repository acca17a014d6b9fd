import type { Readable, Writable } from 'node:stream';

/** What a CLI command may touch of its process; tests pass their own. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  stdin: Readable & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  /** Where `start` copies the steps' masked output to. */
  streams: { stdout: Writable; stderr: Writable };
  /** Ctrl-C: `start` stops its run cleanly, running the abort handler. */
  onInterrupt(stop: () => void): () => void;
}

export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stdin: process.stdin,
    env: process.env,
    streams: { stdout: process.stdout, stderr: process.stderr },
    onInterrupt(stop) {
      let stops = 0;
      const handler = () => {
        // A second Ctrl-C leaves at once; the next Dagdesk process cleans up.
        if (++stops > 1) process.exit(130);
        stop();
      };
      process.on('SIGINT', handler);
      process.on('SIGTERM', handler);
      return () => {
        process.off('SIGINT', handler);
        process.off('SIGTERM', handler);
      };
    },
  };
}

/** Exit codes of DESIGN.md section 8. */
export const EXIT = { ok: 0, runFailed: 1, usage: 2 } as const;
