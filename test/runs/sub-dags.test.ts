import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { drainQueue } from '../../src-main/runs/queue.js';
import { findRun, listRuns } from '../../src-main/runs/run-store.js';
import { runDetails } from '../../src-main/runs/run-view.js';
import { RUN_STATUS } from '../../src-main/runs/status.js';
import { runHarness, withProfile } from '../support/runs.js';

const PROFILE_SECRET = 'profile-secret-7c1e';
const DAG_SECRET = 'dag-secret-from-host-9d2f';

describe('sub-DAGs', () => {
  const childrenInherit =
    'dag.run children inherit the profile, resolve it themselves, and mask ' +
    'the parent secrets';
  it(childrenInherit, async () => {
    const h = runHarness({ PARENT_ONLY: DAG_SECRET });
    withProfile(h.core, 'prod', { secrets: { API_TOKEN: PROFILE_SECRET } });
    h.writeDag(
      'child',
      'params: "GIVEN=none"\n' +
        'steps:\n' +
        '  - run: printf %s "$API_TOKEN" > child-got; ' +
        'echo "child sees $GIVEN"\n',
    );
    h.writeDag(
      'parent',
      'secrets:\n' +
        '  - {name: PASS, provider: env, key: PARENT_ONLY}\n' +
        'steps:\n' +
        '  - action: dag.run\n' +
        '    with:\n' +
        '      dag: child\n' +
        '      params: GIVEN=${PASS}\n',
    );
    const outcome = await h.start('parent', { profile: 'prod' });
    expect(outcome.status).toBe(RUN_STATUS.succeeded);
    expect(h.read('child-got')).toBe(PROFILE_SECRET);

    const child = listRuns(h.core.db, { dagName: 'child', limit: 1 })[0]!;
    const details = runDetails(h.core.db, h.home, child);
    expect(details).toMatchObject({
      profileName: 'prod',
      triggerType: 'subdag',
      parentDAGRunName: 'parent',
      parentDAGRunId: outcome.run.run_id,
      rootDAGRunId: outcome.run.run_id,
      profileEntries: [{ key: 'API_TOKEN', kind: 'secret', version: 1 }],
    });
    expect(readFileSync(details.nodes[0]!.stdout, 'utf8')).toBe(
      'child sees *******\n',
    );
    expect(JSON.stringify(details)).not.toContain(DAG_SECRET);
  });

  it("writes the child's summary as the parent step's output", async () => {
    const h = runHarness();
    h.writeDag('child', 'steps:\n  - {run: echo 42, output: ANSWER}\n');
    h.writeDag(
      'parent',
      'steps:\n' +
        '  - {call: child, output: CHILD}\n' +
        '  - {run: "printf %s \\"$CHILD\\" > got", depends: dag_1}\n',
    );
    await h.start('parent');
    expect(JSON.parse(h.read('got'))).toMatchObject({
      name: 'child',
      status: 'succeeded',
      outputs: { ANSWER: '42' },
    });
  });

  it('runs a DAG of the same file by name', async () => {
    const h = runHarness();
    h.writeDag(
      'multi',
      'steps:\n  - call: helper\n---\nname: helper\nsteps:\n  - run: echo helped > got\n',
    );
    expect((await h.start('multi')).status).toBe(RUN_STATUS.succeeded);
    expect(h.read('got')).toBe('helped\n');
  });

  it('fails the parent step when the child fails, saying so', async () => {
    const h = runHarness();
    h.writeDag('child', 'steps:\n  - run: exit 1\n');
    h.writeDag('parent', 'steps:\n  - call: child\n');
    const outcome = await h.start('parent');
    const details = h.details(outcome);
    expect(outcome.status).toBe(RUN_STATUS.failed);
    expect(details.nodes[0]!.error).toMatch(
      /^sub DAG run \S+ failed with status: failed/,
    );
  });

  it('dag.enqueue queues the child with the profile; the parent does not wait', async () => {
    const h = runHarness({ PARENT_ONLY: DAG_SECRET });
    withProfile(h.core, 'prod', { secrets: { API_TOKEN: PROFILE_SECRET } });
    h.writeDag(
      'child',
      'params: "GIVEN=none"\n' +
        'steps:\n' +
        '  - run: echo "queued child got $GIVEN"; ' +
        'printf %s "$API_TOKEN" > queued-got\n',
    );
    h.writeDag(
      'parent',
      'secrets:\n' +
        '  - {name: PASS, provider: env, key: PARENT_ONLY}\n' +
        'steps:\n' +
        '  - action: dag.enqueue\n' +
        '    with: {dag: child, params: "GIVEN=${PASS}", queue: later}\n',
    );
    const parent = await h.start('parent', { profile: 'prod' });
    expect(parent.status).toBe(RUN_STATUS.succeeded);
    const queued = listRuns(h.core.db, { dagName: 'child', limit: 1 })[0]!;
    expect(queued).toMatchObject({
      status: RUN_STATUS.queued,
      profile_name: 'prod',
      queue: 'later',
    });

    await drainQueue(h.engine, () => 1);
    const ran = findRun(h.core.db, 'child', queued.run_id)!;
    const details = runDetails(h.core.db, h.home, ran);
    expect(ran.status).toBe(RUN_STATUS.succeeded);
    expect(h.read('queued-got')).toBe(PROFILE_SECRET);
    expect(readFileSync(details.nodes[0]!.stdout, 'utf8')).toBe(
      'queued child got *******\n',
    );
  });
});
