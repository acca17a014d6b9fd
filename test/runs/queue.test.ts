import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDagFile } from '../../src-main/dags/dag-loader.js';
import { claimNext, drainQueue } from '../../src-main/runs/queue.js';
import { loadQueueLimits } from '../../src-main/home-config.js';
import { RUN_STATUS } from '../../src-main/runs/status.js';
import { admin } from '../support/actors.js';
import { cliEnv, spawnCli } from '../support/cli.js';
import { runHarness, withProfile } from '../support/runs.js';

describe('the queue', () => {
  it('runs queued runs on drain, resolving the profile at dispatch', async () => {
    const h = runHarness();
    withProfile(h.core, 'prod', { secrets: { TOKEN: 'value-at-enqueue' } });
    const path = h.writeDag('d', 'steps:\n  - run: printf %s "$TOKEN" > got\n');
    const queued = h.engine.enqueue({
      file: loadDagFile(path),
      profile: 'prod',
    });
    expect(queued).toMatchObject({
      status: RUN_STATUS.queued,
      profile_name: 'prod',
      queue: 'd',
    });

    h.core.profiles.setSecret(admin, 'prod', 'TOKEN', 'value-at-dispatch');
    const outcomes = await drainQueue(h.engine, () => 1);
    expect(outcomes.map((o) => o.status)).toEqual([RUN_STATUS.succeeded]);
    expect(h.read('got')).toBe('value-at-dispatch');
  });

  it('runs one run of a queue at a time unless its limit says more', async () => {
    const h = runHarness();
    const overlapping =
      'mkdir lock 2>/dev/null || echo overlap >> seen; sleep 0.2; ' +
      'rmdir lock 2>/dev/null; echo done >> done';
    const path = h.writeDag(
      'd',
      `queue: batch\nsteps:\n  - run: "${overlapping}"\n`,
    );
    for (let i = 0; i < 3; i++) h.engine.enqueue({ file: loadDagFile(path) });
    await drainQueue(h.engine, () => 1);
    expect(() => h.read('seen')).toThrow();
    expect(h.read('done')).toBe('done\ndone\ndone\n');

    writeFileSync(
      join(h.home, 'config.yaml'),
      'queues:\n  - name: batch\n    max_concurrency: 3\n',
    );
    for (let i = 0; i < 3; i++) h.engine.enqueue({ file: loadDagFile(path) });
    await drainQueue(h.engine, loadQueueLimits(h.home));
    expect(h.read('seen')).toContain('overlap');
  });

  it('claims a run once: a second claim takes the next one or nothing', () => {
    const h = runHarness();
    const path = h.writeDag('d', 'steps:\n  - run: "true"\n');
    h.engine.enqueue({ file: loadDagFile(path), queue: 'one' });
    h.engine.enqueue({ file: loadDagFile(path), queue: 'two' });
    const first = claimNext(h.core.db, () => 1)!;
    const second = claimNext(h.core.db, () => 1)!;
    expect(first.run.run_id).not.toBe(second.run.run_id);
    expect(claimNext(h.core.db, () => 1)).toBeUndefined();
  });

  it('is never run twice by two drain processes at once', async () => {
    const h = runHarness();
    const ledger = join(h.dags, 'ledger');
    for (let i = 0; i < 8; i++) {
      const path = h.writeDag(
        `q${i}`,
        `steps:\n  - run: sleep 0.1; echo "$DAG_RUN_ID" >> ${ledger}\n`,
      );
      h.engine.enqueue({ file: loadDagFile(path) });
    }
    mkdirSync(join(h.home, 'dags'), { recursive: true });
    const env = cliEnv(h.home);
    const workers = await Promise.all([
      spawnCli(['queue', 'drain'], env),
      spawnCli(['queue', 'drain'], env),
    ]);
    expect(workers.map((w) => w.code)).toEqual([0, 0]);
    const ran = readFileSync(ledger, 'utf8').trim().split('\n');
    expect(ran).toHaveLength(8);
    expect(new Set(ran).size).toBe(8);
  });
});
