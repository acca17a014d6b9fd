import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, openCore } from '../../src-main/core.js';
import { listRuns } from '../../src-main/runs/run-store.js';
import { MASTER_KEY } from '../support/core.js';

const RUNS = 100_000;

function seed(db: Core['db']): void {
  const insert = db.prepare(
    `INSERT INTO dag_runs (dag_name, run_id, dag_file, dag_source, params,
       queue, status, trigger_type, root_name, root_run_id, created_at)
     VALUES (?, ?, 'f.yaml', '', '{"named":[],"positional":[]}', ?, ?, 'manual', ?, ?, 't')`,
  );
  db.transaction(() => {
    for (let i = 0; i < RUNS; i++) {
      const dag = `dag-${i % 50}`;
      insert.run(dag, `r${i}`, dag, i % 7 === 0 ? 2 : 4, dag, `r${i}`);
    }
  })();
}

function plan(db: Core['db'], sql: string): string {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[])
    .map((row) => row.detail)
    .join('; ');
}

describe('the run history at 100,000 runs', () => {
  // One store for the whole file: seeding it is the slow part.
  const dir = mkdtempSync(join(tmpdir(), 'dagdesk-history-'));
  let core: Core;
  beforeAll(() => {
    core = openCore(join(dir, 'home'), { masterKey: MASTER_KEY });
    seed(core.db);
  });
  afterAll(() => {
    core.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the latest runs of a DAG through its index, newest first', () => {
    const runs = listRuns(core.db, { dagName: 'dag-7', limit: 3 });
    expect(runs.map((r) => r.run_id)).toEqual(['r99957', 'r99907', 'r99857']);
    expect(
      plan(
        core.db,
        "SELECT * FROM dag_runs WHERE dag_name = 'dag-7' ORDER BY id DESC LIMIT 3",
      ),
    ).toMatch(/USING INDEX dag_runs_by_dag/);
  });

  it('reads all runs newest first without sorting the table', () => {
    const runs = listRuns(core.db, { limit: 2 });
    expect(runs.map((r) => r.run_id)).toEqual(['r99999', 'r99998']);
    const all = plan(
      core.db,
      'SELECT * FROM dag_runs ORDER BY id DESC LIMIT 2',
    );
    expect(all).not.toMatch(/TEMP B-TREE/);
  });

  it('pages on with the last id seen', () => {
    const first = listRuns(core.db, { limit: 2 });
    const next = listRuns(core.db, { limit: 2, before: first.at(-1)!.id });
    expect(next.map((r) => r.run_id)).toEqual(['r99997', 'r99996']);
  });
});
