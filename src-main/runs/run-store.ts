import { notFound } from '../errors.js';
import type { Db } from '../store/database.js';
import { processStartTime } from './process-start.js';
import { RUN_STATUS, type NodeStatus, type RunStatus } from './status.js';

/** SQL for runs, their attempts and their steps; no rules. */

export interface RunRow {
  id: number;
  dag_name: string;
  run_id: string;
  dag_file: string;
  dag_source: string;
  params: string;
  params_sealed: Buffer | null;
  profile_name: string | null;
  queue: string;
  status: RunStatus;
  trigger_type: string;
  root_name: string;
  root_run_id: string;
  parent_name: string | null;
  parent_run_id: string | null;
  inherited_masks: Buffer | null;
  latest_attempt: string | null;
  created_at: string;
  queued_at: string | null;
  started_at: string | null;
  finished_at: string | null;
  error: string | null;
}

export type NewRun = Omit<
  RunRow,
  'id' | 'latest_attempt' | 'started_at' | 'finished_at' | 'error'
>;

export interface AttemptRow {
  id: string;
  run: number;
  status: RunStatus;
  started_at: string | null;
  finished_at: string | null;
  error: string | null;
  profile_resolved_at: string | null;
  profile_entries: string | null;
  launcher_pid: number | null;
  /** When the launcher process started, as the OS tells it (Linux). */
  launcher_start: string | null;
  heartbeat_at: number | null;
  stop_requested: 0 | 1;
  created_at: string;
}

export interface StepRow {
  attempt: string;
  position: number;
  name: string;
  handler: string | null;
  definition: string;
  status: NodeStatus;
  exit_code: number | null;
  started_at: string | null;
  finished_at: string | null;
  error: string | null;
  retry_count: number;
  done_count: number;
  stdout_path: string | null;
  stderr_path: string | null;
  output_masked: string | null;
  output_sealed: Buffer | null;
  output_kept: 0 | 1;
  process_group: number | null;
}

export function insertRun(db: Db, run: NewRun): RunRow {
  const { lastInsertRowid } = db
    .prepare(
      `INSERT INTO dag_runs (dag_name, run_id, dag_file, dag_source, params,
         params_sealed, profile_name, queue, status, trigger_type, root_name,
         root_run_id, parent_name, parent_run_id, inherited_masks, created_at,
         queued_at)
       VALUES (@dag_name, @run_id, @dag_file, @dag_source, @params,
         @params_sealed, @profile_name, @queue, @status, @trigger_type, @root_name,
         @root_run_id, @parent_name, @parent_run_id, @inherited_masks,
         @created_at, @queued_at)`,
    )
    .run(run);
  return runById(db, Number(lastInsertRowid))!;
}

/** The fields of a run that a restart copies. */
export function rowFields(run: RunRow): NewRun {
  const {
    id: _id,
    latest_attempt: _a,
    started_at: _s,
    finished_at: _f,
    error: _e,
    ...fields
  } = run;
  return fields;
}

/** A queued run that will never start: stopped before its turn. */
export function abortQueued(db: Db, id: number, now: string): void {
  db.prepare(
    `UPDATE dag_runs SET status = ${RUN_STATUS.aborted}, error = 'stopped before it started',
       finished_at = ? WHERE id = ? AND status = ${RUN_STATUS.queued}`,
  ).run(now, id);
}

export function runById(db: Db, id: number): RunRow | undefined {
  return db.prepare('SELECT * FROM dag_runs WHERE id = ?').get(id) as
    RunRow | undefined;
}

export function findRun(
  db: Db,
  dagName: string,
  runId: string,
): RunRow | undefined {
  return db
    .prepare('SELECT * FROM dag_runs WHERE dag_name = ? AND run_id = ?')
    .get(dagName, runId) as RunRow | undefined;
}

export function latestRun(db: Db, dagName: string): RunRow | undefined {
  return db
    .prepare(
      'SELECT * FROM dag_runs WHERE dag_name = ? ORDER BY id DESC LIMIT 1',
    )
    .get(dagName) as RunRow | undefined;
}

/**
 * A run of `dagName` by id, or its latest when `runId` is `latest` or
 * absent; not_found, in Dagu's words, when there is none.
 */
export function findOrLatestRun(
  db: Db,
  dagName: string,
  runId?: string,
): RunRow {
  if (runId === undefined || runId === 'latest') {
    const run = latestRun(db, dagName);
    if (!run) throw notFound(`no dag-runs found for DAG ${dagName}`);
    return run;
  }
  const run = findRun(db, dagName, runId);
  if (!run) throw notFound(`dag-run ID ${runId} not found for DAG ${dagName}`);
  return run;
}

export interface RunQuery {
  dagName?: string;
  statuses?: RunStatus[];
  limit: number;
  /** Only runs older than this row id: the next page. */
  before?: number;
}

/** Newest first; both shapes of query read an index, not the table. */
export function listRuns(db: Db, query: RunQuery): RunRow[] {
  const where: string[] = [];
  const args: Record<string, unknown> = { limit: query.limit };
  if (query.dagName !== undefined) {
    where.push('dag_name = @dagName');
    args.dagName = query.dagName;
  }
  if (query.before !== undefined) {
    where.push('id < @before');
    args.before = query.before;
  }
  if (query.statuses && query.statuses.length > 0) {
    where.push(`status IN (${query.statuses.map(Number).join(', ')})`);
  }
  const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  return db
    .prepare(`SELECT * FROM dag_runs ${filter} ORDER BY id DESC LIMIT @limit`)
    .all(args) as RunRow[];
}

export function insertAttempt(
  db: Db,
  attempt: Pick<AttemptRow, 'id' | 'run' | 'launcher_pid' | 'created_at'>,
): void {
  db.prepare(
    `INSERT INTO attempts (id, run, status, launcher_pid, launcher_start,
       heartbeat_at, created_at, started_at)
     VALUES (@id, @run, ${RUN_STATUS.running}, @launcher_pid, @start, @now,
       @created_at, @created_at)`,
  ).run({
    ...attempt,
    start: processStartTime(attempt.launcher_pid ?? 0) ?? null,
    now: Date.now(),
  });
  db.prepare(
    `UPDATE dag_runs SET latest_attempt = ?, status = ${RUN_STATUS.running},
       started_at = ?, finished_at = NULL, error = NULL WHERE id = ?`,
  ).run(attempt.id, attempt.created_at, attempt.run);
}

export function attemptById(db: Db, id: string): AttemptRow | undefined {
  return db.prepare('SELECT * FROM attempts WHERE id = ?').get(id) as
    AttemptRow | undefined;
}

type AttemptChange = Partial<
  Pick<
    AttemptRow,
    | 'status'
    | 'finished_at'
    | 'error'
    | 'profile_resolved_at'
    | 'profile_entries'
  >
>;

/** Changes an attempt, and its run when it is the run's latest. */
export function updateAttempt(db: Db, id: string, change: AttemptChange): void {
  const keys = Object.keys(change) as (keyof AttemptChange)[];
  if (keys.length === 0) return;
  db.transaction(() => {
    db.prepare(
      `UPDATE attempts SET ${keys.map((k) => `${k} = @${k}`).join(', ')}
       WHERE id = @id`,
    ).run({ ...change, id });
    const mirrored = keys.filter((k) =>
      ['status', 'finished_at', 'error'].includes(k),
    );
    if (mirrored.length === 0) return;
    db.prepare(
      `UPDATE dag_runs SET ${mirrored.map((k) => `${k} = @${k}`).join(', ')}
       WHERE latest_attempt = @id`,
    ).run({ ...change, id });
  })();
}

export function heartbeat(db: Db, attemptIds: string[]): void {
  const beat = db.prepare('UPDATE attempts SET heartbeat_at = ? WHERE id = ?');
  const now = Date.now();
  db.transaction(() => attemptIds.forEach((id) => beat.run(now, id)))();
}

export function requestStop(db: Db, attemptId: string): void {
  db.prepare('UPDATE attempts SET stop_requested = 1 WHERE id = ?').run(
    attemptId,
  );
}

export function saveStep(db: Db, step: StepRow): void {
  db.prepare(
    `INSERT INTO attempt_steps (attempt, position, name, handler, definition,
       status, exit_code, started_at, finished_at, error, retry_count,
       done_count, stdout_path, stderr_path, output_masked, output_sealed,
       output_kept, process_group)
     VALUES (@attempt, @position, @name, @handler, @definition, @status,
       @exit_code, @started_at, @finished_at, @error, @retry_count,
       @done_count, @stdout_path, @stderr_path, @output_masked,
       @output_sealed, @output_kept, @process_group)
     ON CONFLICT (attempt, name) DO UPDATE SET status = excluded.status,
       exit_code = excluded.exit_code, started_at = excluded.started_at,
       finished_at = excluded.finished_at, error = excluded.error,
       retry_count = excluded.retry_count, done_count = excluded.done_count,
       stdout_path = excluded.stdout_path, stderr_path = excluded.stderr_path,
       output_masked = excluded.output_masked,
       output_sealed = excluded.output_sealed,
       output_kept = excluded.output_kept,
       process_group = excluded.process_group`,
  ).run(step);
}

export function readSteps(db: Db, attemptId: string): StepRow[] {
  return db
    .prepare('SELECT * FROM attempt_steps WHERE attempt = ? ORDER BY position')
    .all(attemptId) as StepRow[];
}

/** Attempts some process says it is running. */
export function runningAttempts(db: Db): (AttemptRow & { run_row: number })[] {
  return db
    .prepare(
      `SELECT *, run AS run_row FROM attempts WHERE status = ${RUN_STATUS.running}`,
    )
    .all() as (AttemptRow & { run_row: number })[];
}
