import { execFileSync } from 'node:child_process';

/** How a keyring command ended. */
export type ToolResult =
  | { ok: true; stdout: string }
  | {
      ok: false;
      /** `missing`: not installed; `timeout`: killed; `exit`: non-zero. */
      failure: 'missing' | 'timeout' | 'exit';
      status: number | null;
      stderr: string;
    };

export interface ToolCall {
  /** Written to the command's stdin, so secrets never appear in argv. */
  input?: string;
  timeoutMs: number;
}

/**
 * Runs a keyring command synchronously, as Electron's `safeStorage` calls
 * are synchronous. Its output stays in memory and is never logged.
 */
export function runTool(
  file: string,
  args: readonly string[],
  call: ToolCall,
): ToolResult {
  try {
    const stdout = execFileSync(file, args, {
      input: call.input ?? '',
      timeout: call.timeoutMs,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    return { ok: true, stdout };
  } catch (error) {
    return failureOf(error);
  }
}

function failureOf(error: unknown): ToolResult {
  const e = error as NodeJS.ErrnoException & {
    status?: number | null;
    stderr?: string;
  };
  const stderr = typeof e.stderr === 'string' ? e.stderr.trim() : '';
  const status = e.status ?? null;

  if (e.code === 'ENOENT') {
    return { ok: false, failure: 'missing', status, stderr };
  }
  if (e.code === 'ETIMEDOUT') {
    return { ok: false, failure: 'timeout', status, stderr };
  }
  return { ok: false, failure: 'exit', status, stderr };
}

/** A short description of a failed command for an error message. */
export function describeFailure(
  name: string,
  result: Exclude<ToolResult, { ok: true }>,
): string {
  if (result.failure === 'missing') return `${name} is not installed`;
  if (result.failure === 'timeout') return `${name} did not answer in time`;
  const detail = result.stderr ? `: ${result.stderr}` : '';
  if (result.status === null) return `${name} was stopped${detail}`;
  return `${name} exited with status ${result.status}${detail}`;
}
