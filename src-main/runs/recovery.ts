import { readFileSync, readdirSync } from 'node:fs';
import { timestamp } from '../clock.js';
import type { Db } from '../store/database.js';
import { readSteps, runningAttempts } from './run-store.js';
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
    const beating =
      attempt.heartbeat_at !== null && now - attempt.heartbeat_at < STALE_MS;
    if (pid !== null && isAlive(pid) && beating) continue;

    const error = `interrupted: the Dagdesk process running it (pid ${pid ?? 'unknown'}) ended before the run did`;
    const claimed = db.transaction(() => {
      const changed = db
        .prepare(
          `UPDATE attempts SET status = ${RUN_STATUS.failed}, error = ?, finished_at = ? WHERE id = ? AND status = ${RUN_STATUS.running}`,
        )
        .run(error, timestamp(), attempt.id).changes;
      if (changed === 0) return false;
      db.prepare(
        `UPDATE dag_runs SET status = ${RUN_STATUS.failed}, error = ?, finished_at = ? WHERE latest_attempt = ?`,
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
      'SELECT r.run_id FROM attempts a JOIN dag_runs r ON r.id = a.run WHERE a.id = ?',
    )
    .get(attemptId) as { run_id: string };
  for (const step of readSteps(db, attemptId)) {
    const live: number[] = [NODE_STATUS.running, NODE_STATUS.retrying];
    if (!live.includes(step.status)) continue;
    if (step.process_group !== null)
      endStrayGroup(step.process_group, run.run_id);
    db.prepare(
      `UPDATE attempt_steps SET status = ${NODE_STATUS.failed}, error = 'interrupted', finished_at = ? WHERE attempt = ? AND name = ?`,
    ).run(timestamp(), attemptId, step.name);
  }
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
 * Kills a step's process group, but on Linux only once a member of it is
 * seen to carry the run's id: the ids may have been reused since.
 */
function endStrayGroup(group: number, runId: string): void {
  if (process.platform === 'linux' && !groupBelongsToRun(group, runId)) return;
  try {
    process.kill(-group, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

function groupBelongsToRun(group: number, runId: string): boolean {
  const marker = `DAG_RUN_ID=${runId}\0`;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== group) continue;
      if (readFileSync(`/proc/${entry}/environ`, 'utf8').includes(marker))
        return true;
    } catch {
      // The process ended while we looked.
    }
  }
  return false;
}
