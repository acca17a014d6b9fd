import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { processStartTime } from '../../src-main/runs/process-start.js';
import { recoverInterrupted } from '../../src-main/runs/recovery.js';
import {
  attemptById,
  insertAttempt,
  insertRun,
} from '../../src-main/runs/run-store.js';
import { RUN_STATUS } from '../../src-main/runs/status.js';
import { testCore } from '../support/core.js';

const launchers: ReturnType<typeof execa>[] = [];
afterEach(() => {
  for (const launcher of launchers.splice(0)) launcher.kill('SIGKILL');
});

/** A run whose attempt says `pid` runs it, last heard of an hour ago. */
function runningAttempt(
  db: ReturnType<typeof testCore>['db'],
  pid: number,
  start: string | null,
) {
  const run = insertRun(db, {
    dag_name: 'd',
    run_id: `r-${pid}-${start}`,
    dag_file: 'd.yaml',
    dag_source: 'steps: [{run: x}]',
    params: '{"named":[],"positional":[]}',
    params_sealed: null,
    profile_name: null,
    queue: 'd',
    status: RUN_STATUS.running,
    trigger_type: 'manual',
    root_name: 'd',
    root_run_id: 'r',
    parent_name: null,
    parent_run_id: null,
    inherited_masks: null,
    created_at: 't',
    queued_at: null,
  });
  const id = `attempt-${run.id}`;
  insertAttempt(db, { id, run: run.id, launcher_pid: pid, created_at: 't' });
  db.prepare(
    'UPDATE attempts SET launcher_start = ?, heartbeat_at = ? WHERE id = ?',
  ).run(start, Date.now() - 3_600_000, id);
  return id;
}

const lateHeartbeat =
  'keeps a run whose launcher lives, however late its heartbeat ' +
  '(a laptop back from sleep)';

describe('recovery of interrupted runs', () => {
  it(lateHeartbeat, () => {
    const { db } = testCore();
    const launcher = execa('sleep', ['30'], { reject: false });
    launchers.push(launcher);
    const start = processStartTime(launcher.pid!) ?? null;
    expect(start).not.toBeNull();
    const id = runningAttempt(db, launcher.pid!, start);
    expect(recoverInterrupted(db)).toBe(0);
    expect(attemptById(db, id)!.status).toBe(RUN_STATUS.running);
  });

  it('fails a run whose launcher pid now belongs to another process', () => {
    const { db } = testCore();
    const other = execa('sleep', ['30'], { reject: false });
    launchers.push(other);
    const id = runningAttempt(
      db,
      other.pid!,
      'a-start-time-of-another-process',
    );
    expect(recoverInterrupted(db)).toBe(1);
    expect(attemptById(db, id)!.error).toMatch(/^interrupted: /);
  });

  it('fails a run whose launcher is gone', async () => {
    const { db } = testCore();
    const gone = execa('true');
    await gone;
    const id = runningAttempt(db, gone.pid!, null);
    expect(recoverInterrupted(db)).toBe(1);
    expect(attemptById(db, id)!.status).toBe(RUN_STATUS.failed);
  });
});
