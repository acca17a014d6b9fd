import { setTimeout as sleep } from 'node:timers/promises';
import { timestamp } from '../clock.js';
import type { Db } from '../store/database.js';
import type { QueueLimits } from '../home-config.js';
import type { RunEngine, RunOutcome } from './run-engine.js';
import { newAttemptId } from './run-ids.js';
import { type RunRow, insertAttempt, runById } from './run-store.js';
import { RUN_STATUS } from './status.js';

const IDLE_POLL_MS = 250;

/**
 * Takes the oldest queued run whose queue has room, and makes it this
 * process's in one write transaction: two workers never take the same.
 */
export function claimNext(
  db: Db,
  limits: QueueLimits,
): { run: RunRow; attemptId: string } | undefined {
  return db
    .transaction(() => {
      const queued = db
        .prepare(
          `SELECT * FROM dag_runs WHERE status = ${RUN_STATUS.queued} ORDER BY id`,
        )
        .all() as RunRow[];
      const active = new Map(
        (
          db
            .prepare(
              'SELECT queue, count(*) AS n FROM dag_runs ' +
                `WHERE status = ${RUN_STATUS.running} GROUP BY queue`,
            )
            .all() as { queue: string; n: number }[]
        ).map((row) => [row.queue, row.n]),
      );
      const run = queued.find(
        (r) => (active.get(r.queue) ?? 0) < limits(r.queue),
      );
      if (!run) return undefined;
      const attemptId = newAttemptId();
      insertAttempt(db, {
        id: attemptId,
        run: run.id,
        launcher_pid: process.pid,
        created_at: timestamp(),
      });
      return { run: runById(db, run.id)!, attemptId };
    })
    .immediate();
}

function hasQueued(db: Db): boolean {
  return (
    db
      .prepare(
        `SELECT 1 FROM dag_runs WHERE status = ${RUN_STATUS.queued} LIMIT 1`,
      )
      .get() !== undefined
  );
}

/**
 * Runs queued runs until none is left (or `signal` says stop), several at
 * once where queues allow. Each resolves its profile when it starts, not
 * when it was queued.
 */
export async function drainQueue(
  engine: RunEngine,
  limits: QueueLimits,
  signal?: AbortSignal,
): Promise<RunOutcome[]> {
  const db = engine.db;
  const outcomes: RunOutcome[] = [];
  const running = new Set<Promise<void>>();
  for (;;) {
    const claim = () => (signal?.aborted ? undefined : claimNext(db, limits));
    let claimed = claim();
    while (claimed) {
      const { run, attemptId } = claimed;
      const done: Promise<void> = engine
        .runAttempt(run, attemptId, { mode: 'inherit' }, true)
        .then((outcome) => void outcomes.push(outcome))
        .finally(() => running.delete(done));
      running.add(done);
      claimed = claim();
    }
    if (running.size > 0) await Promise.race(running);
    else if (hasQueued(db) && !signal?.aborted) await sleep(IDLE_POLL_MS);
    else return outcomes;
  }
}
