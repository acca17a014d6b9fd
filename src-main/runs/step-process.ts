import { execa } from 'execa';
import { constants } from 'node:os';
import type { StepOutput } from './step-output.js';

/** One process a step runs: a shell line, a script, or an interpreter. */
export interface ProcessSpec {
  file: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  /** 0 for none; a timeout ends the whole process group. */
  timeoutSec: number;
  /** Stop: ends the whole process group. */
  signal: AbortSignal;
  /** Told the process group id as soon as there is one. */
  onStart?: (processGroup: number) => void;
}

export type ProcessOutcome =
  | { kind: 'exited'; exitCode: number }
  | { kind: 'timed-out' }
  | { kind: 'stopped' }
  | { kind: 'not-started'; error: string };

/** How long a step has to end after SIGTERM before SIGKILL. */
export const KILL_GRACE_MS = 5_000;

/** The exit status Dagu gives a step that ran out of time. */
export const TIMEOUT_EXIT_CODE = 124;

/**
 * Runs one process in its own process group, with exactly the given
 * environment, its output through `output`. A timeout or a stop ends the
 * whole group (grandchildren too), and so does the process's own exit, so
 * nothing a step started outlives it.
 */
export async function runProcess(
  spec: ProcessSpec,
  output: StepOutput,
): Promise<ProcessOutcome> {
  const child = execa(spec.file, spec.args, {
    env: spec.env,
    extendEnv: false,
    cwd: spec.cwd,
    detached: true,
    stdin: 'ignore',
    buffer: false,
    reject: false,
    stripFinalNewline: false,
    windowsHide: true,
  });
  const group = child.pid;
  if (group !== undefined) spec.onStart?.(group);

  let ending: 'timed-out' | 'stopped' | undefined;
  const end = (why: 'timed-out' | 'stopped') => {
    ending ??= why;
    if (group !== undefined) endGroup(group);
  };
  const onStop = () => end('stopped');
  spec.signal.addEventListener('abort', onStop, { once: true });
  if (spec.signal.aborted) onStop();
  const timer =
    spec.timeoutSec > 0
      ? setTimeout(() => end('timed-out'), spec.timeoutSec * 1000)
      : undefined;
  // The group may hold the output pipes open after the leader exits.
  child.once('exit', () => {
    if (group !== undefined) endGroup(group);
  });

  const [result] = await Promise.all([
    child,
    output.attach({ stdout: child.stdout, stderr: child.stderr }),
  ]);
  clearTimeout(timer);
  spec.signal.removeEventListener('abort', onStop);

  if (ending) return { kind: ending };
  if (result.exitCode !== undefined) {
    return { kind: 'exited', exitCode: result.exitCode };
  }
  if (result.signal) {
    const number = constants.signals[result.signal as NodeJS.Signals] ?? 0;
    return { kind: 'exited', exitCode: 128 + number };
  }
  return {
    kind: 'not-started',
    error: result.shortMessage ?? `${spec.file} did not start`,
  };
}

/** SIGTERM to the group now, SIGKILL to what is left after the grace time. */
function endGroup(group: number): void {
  if (!signalGroup(group, 'SIGTERM')) return;
  setTimeout(() => signalGroup(group, 'SIGKILL'), KILL_GRACE_MS).unref();
}

/** False when the group is gone. */
export function signalGroup(group: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-group, signal);
    return true;
  } catch {
    return false;
  }
}
