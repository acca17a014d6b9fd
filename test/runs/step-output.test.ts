import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadDagFile } from '../../src-main/dags/dag-loader.js';
import { RunEngine } from '../../src-main/runs/run-engine.js';
import { RUN_STATUS } from '../../src-main/runs/status.js';
import { admin } from '../support/actors.js';
import { runHarness, withProfile } from '../support/runs.js';

describe("a step's output", () => {
  it('streams a large output to its log without holding it in memory', async () => {
    const h = runHarness();
    const bytes = 30 * 1024 * 1024;
    h.writeDag(
      'big',
      `steps:\n  - run: head -c ${bytes} /dev/zero | tr '\\\\0' x\n`,
    );
    const before = process.memoryUsage().rss;
    const outcome = await h.start('big');
    expect(outcome.status).toBe(RUN_STATUS.succeeded);
    expect(statSync(h.details(outcome).nodes[0]!.stdout).size).toBe(bytes);
    // The echo in this harness keeps what it gets; the engine itself adds little.
    expect(process.memoryUsage().rss - before).toBeLessThan(bytes * 3);
  });

  it('reaches live listeners as it comes, masked', async () => {
    const h = runHarness();
    withProfile(h.core, 'prod', { secrets: { TOKEN: 'live-secret-0042' } });
    const path = h.writeDag(
      'd',
      'steps:\n  - run: echo "first $TOKEN"; sleep 0.2; echo second >&2\n',
    );
    const seen: string[] = [];
    const engine = new RunEngine({
      ...h.engine.options,
      actor: admin,
      targets: { onOutput: (stream, chunk) => seen.push(`${stream}:${chunk}`) },
    });
    await engine.start({ file: loadDagFile(path), profile: 'prod' });
    expect(seen).toEqual(['stdout:first *******\n', 'stderr:second\n']);
  });
});

describe("the run's own log", () => {
  it('tells what each step did, masked, at DAG_RUN_LOG_FILE', async () => {
    const h = runHarness();
    withProfile(h.core, 'prod', { secrets: { TOKEN: 'log-secret-0042' } });
    h.writeDag(
      'd',
      'steps:\n' +
        '  - {name: ok, run: "true"}\n' +
        '  - {name: bad, run: "echo $TOKEN >&2; exit 2", depends: ok}\n',
    );
    const outcome = await h.start('d', { profile: 'prod' });
    const log = readFileSync(h.details(outcome).log, 'utf8').replace(
      /^\S+ /gm,
      '',
    );
    expect(log).toBe(
      'step ok started\n' +
        'step ok succeeded\n' +
        'step bad started\n' +
        'step bad failed: exited with status 2: *******\n',
    );
  });
});
