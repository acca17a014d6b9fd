import { readFileSync, readdirSync } from 'node:fs';
import { timestamp } from '../clock.js';
import type { Db } from '../store/database.js';
import { processStartTime } from './process-start.js';
import { type AttemptRow, readSteps, runningAttempts } from './run-store.js';
import { NODE_STATUS, RUN_STATUS } from './status.js';

/** A live launcher beats every 5 s; this long without one means it is gone. */
const STALE_MS = 30_000;

/**
 * Marks failed the runs whose Dagdesk process died while running them
 * (killed, crashed, the machine went down), and ends the step processes
 * they left behind. Every Dagdesk process does this when it starts.
 */
export function recoverInterrupted(db: Db, now: number = Date.now()): number {
  let recovered = 0;
  for (const attempt of runningAttempts(db)) {
    const pid = attempt.launcher_pid;
    if (pid === process.pid) continue;
    if (pid !== null && launcherLives(attempt, now)) continue;

    const error =
      'interrupted: the Dagdesk process running it ' +
      `(pid ${pid ?? 'unknown'}) ended before the run did`;
    const claimed = db.transaction(() => {
      const changed = db
        .prepare(
          `UPDATE attempts SET status = ${RUN_STATUS.failed}, ` +
            'error = ?, finished_at = ? ' +
            `WHERE id = ? AND status = ${RUN_STATUS.running}`,
        )
        .run(error, timestamp(), attempt.id).changes;
      if (changed === 0) return false;
      db.prepare(
        `UPDATE dag_runs SET status = ${RUN_STATUS.failed}, ` +
          'error = ?, finished_at = ? WHERE latest_attempt = ?',
      ).run(error, timestamp(), attempt.id);
      return true;
    })();
    if (!claimed) continue;
    endLeftSteps(db, attempt.id);
    recovered++;
  }
  return recovered;
}

function endLeftSteps(db: Db, attemptId: string): void {
  const run = db
    .prepare(
      'SELECT r.dag_name, r.run_id FROM attempts a JOIN dag_runs r ON r.id = a.run WHERE a.id = ?',
    )
    .get(attemptId) as { dag_name: string; run_id: string };
  const live: number[] = [NODE_STATUS.running, NODE_STATUS.retrying];
  const left = readSteps(db, attemptId).filter((step) =>
    live.includes(step.status),
  );
  endStrayProcesses(
    run,
    left.flatMap((s) => (s.process_group === null ? [] : [s.process_group])),
  );
  for (const step of left) {
    db.prepare(
      `UPDATE attempt_steps SET status = ${NODE_STATUS.failed}, ` +
        `error = 'interrupted', finished_at = ? ` +
        'WHERE attempt = ? AND name = ?',
    ).run(timestamp(), attemptId, step.name);
  }
}

/**
 * The launcher still runs the attempt. Where the OS tells when a process
 * started, that settles it, so a laptop back from sleep (its heartbeat
 * late) keeps its run; elsewhere a stale heartbeat means a reused pid.
 */
function launcherLives(attempt: AttemptRow, now: number): boolean {
  const pid = attempt.launcher_pid!;
  if (!isAlive(pid)) return false;
  const started = processStartTime(pid);
  if (started !== undefined && attempt.launcher_start !== null) {
    return started === attempt.launcher_start;
  }
  return attempt.heartbeat_at !== null && now - attempt.heartbeat_at < STALE_MS;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Kills what a run's steps left running. On Linux every process is found
 * by the run's name and id in its environment, wherever it went, and so
 * is never mistaken for another; elsewhere the recorded process groups
 * are killed.
 */
function endStrayProcesses(
  run: { dag_name: string; run_id: string },
  groups: number[],
): void {
  const found = process.platform === 'linux' ? processesOfRun(run) : [];
  // A step may have started this very process (`dagdesk history` in a step).
  const own = found.find((p) => p.pid === process.pid)?.group;
  for (const { pid, group } of found.filter((p) => p.group !== own)) {
    kill(-group);
    kill(pid);
  }
  if (process.platform !== 'linux') groups.forEach((group) => kill(-group));
}

function kill(target: number): void {
  try {
    process.kill(target, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

function processesOfRun(run: {
  dag_name: string;
  run_id: string;
}): { pid: number; group: number }[] {
  const markers = [`DAG_RUN_ID=${run.run_id}\0`, `DAG_NAME=${run.dag_name}\0`];
  const found: { pid: number; group: number }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8');
      if (!markers.every((m) => environ.includes(m))) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      found.push({ pid: Number(entry), group: Number(fields[2]) });
    } catch {
      // Not ours to read, or it ended while we looked.
    }
  }
  return found;
}
