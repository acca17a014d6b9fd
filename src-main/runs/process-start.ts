import { readFileSync } from 'node:fs';

/**
 * When process `pid` started, in clock ticks since boot, on Linux; a pid
 * and its start time name one process, even after the pid is reused.
 * Undefined elsewhere, or when there is no such process.
 */
export function processStartTime(pid: number): string | undefined {
  if (process.platform !== 'linux' || pid <= 0) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces), from state on.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}
