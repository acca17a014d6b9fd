import { read } from 'read';
import { badRequest } from '../errors.js';
import type { CliIo } from './io.js';

/**
 * Reads a secret value without it ever touching argv or the shell history:
 * from standard input with `--value-stdin`, else from a hidden prompt on a
 * terminal. With neither, it refuses rather than wait on a pipe.
 */
export async function readSecretValue(
  io: CliIo,
  key: string,
  fromStdin: boolean,
): Promise<string> {
  if (fromStdin) return stripTrailingNewlines(await readAll(io.stdin));
  if (!io.stdin.isTTY) {
    throw badRequest(
      'standard input is not a terminal, so the secret cannot be prompted ' +
        'for: pass --value-stdin and pipe the value in',
    );
  }
  // The prompt goes to stderr so `--json` output on stdout stays clean.
  const value = await read({
    prompt: `Value for ${key} (hidden): `,
    silent: true,
    input: io.stdin,
    output: process.stderr,
  });
  process.stderr.write('\n');
  return value;
}

async function readAll(stream: CliIo['stdin']): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** `echo` and heredocs add a newline the operator did not mean as part of
 * the value; other whitespace is kept. */
export function stripTrailingNewlines(value: string): string {
  return value.replace(/(\r?\n)+$/, '');
}
