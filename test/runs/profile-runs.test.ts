import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RUN_STATUS } from '../../src-main/runs/status.js';
import { admin } from '../support/actors.js';
import { runHarness, stepStatuses, withProfile } from '../support/runs.js';

const TOKEN = 'tok-3f9a-secret-value';

describe('runs with a profile', () => {
  it('injects its variables and secrets and records which, never the values', async () => {
    const h = runHarness();
    withProfile(h.core, 'prod', {
      variables: { LOG_LEVEL: 'info' },
      secrets: { API_TOKEN: TOKEN },
    });
    h.writeDag(
      'd',
      'steps:\n' +
        '  - run: printf "%s|%s" "$LOG_LEVEL" "$API_TOKEN" > got; ' +
        'echo "token is $API_TOKEN"\n',
    );
    const outcome = await h.start('d', { profile: 'prod' });
    const details = h.details(outcome);

    expect(h.read('got')).toBe(`info|${TOKEN}`);
    expect(details.profileName).toBe('prod');
    expect(details.profileResolvedAt).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
    );
    expect(details.profileEntries).toEqual([
      { key: 'API_TOKEN', kind: 'secret', version: 1 },
      { key: 'LOG_LEVEL', kind: 'variable' },
    ]);
    expect(h.printed()).toBe('token is *******\n');
    expect(JSON.stringify(details)).not.toContain(TOKEN);
  });

  it('retry re-resolves the profile: a rotated secret reaches the retried step', async () => {
    const h = runHarness();
    withProfile(h.core, 'prod', {
      secrets: { API_TOKEN: 'first-token-value' },
    });
    h.writeDag(
      'd',
      'steps:\n' +
        '  - {name: a, run: "echo a >> ran-a"}\n' +
        '  - {name: b, run: "printf %s \\"$API_TOKEN\\" > got; ' +
        'test -f go", depends: a}\n',
    );
    const first = await h.start('d', { profile: 'prod' });
    expect(first.status).toBe(RUN_STATUS.failed);
    expect(h.read('got')).toBe('first-token-value');

    h.core.profiles.setSecret(
      admin,
      'prod',
      'API_TOKEN',
      'rotated-token-value',
    );
    writeFileSync(join(h.dags, 'go'), '');
    const retried = await h.engine.retry('d', first.run.run_id);
    const details = h.details(retried);

    expect(retried.status).toBe(RUN_STATUS.succeeded);
    expect(h.read('got')).toBe('rotated-token-value');
    expect(h.read('ran-a')).toBe('a\n');
    expect(details.profileName).toBe('prod');
    expect(details.profileEntries).toEqual([
      { key: 'API_TOKEN', kind: 'secret', version: 2 },
    ]);
    expect(details.triggerType).toBe('retry');
  });

  it('retry --step re-runs just that step', async () => {
    const h = runHarness();
    h.writeDag(
      'd',
      'steps:\n' +
        '  - {name: a, run: "echo a >> log"}\n' +
        '  - {name: b, run: "echo b >> log", depends: a}\n',
    );
    const first = await h.start('d');
    await h.engine.retry('d', first.run.run_id, 'a');
    expect(h.read('log')).toBe('a\nb\na\n');
    await expect(h.engine.retry('d', first.run.run_id, 'nope')).rejects.toThrow(
      'step "nope" not found in DAG d (its steps: a, b)',
    );
  });

  it.each([
    [
      'disabled',
      (h: ReturnType<typeof runHarness>) =>
        h.core.profiles.update(admin, 'prod', { status: 'disabled' }),
      'profile is disabled (enable it to start runs)',
    ],
    [
      'deleted',
      (h: ReturnType<typeof runHarness>) =>
        h.core.profiles.delete(admin, 'prod'),
      'profile not found',
    ],
  ])(
    'a %s profile fails the run before any step runs',
    async (_state, change, reason) => {
      const h = runHarness();
      withProfile(h.core, 'prod', { variables: { A: '1' } });
      change(h);
      h.writeDag('d', 'steps:\n  - run: touch ran\n');
      const outcome = await h.start('d', { profile: 'prod' });
      const details = h.details(outcome);
      expect(outcome.status).toBe(RUN_STATUS.failed);
      expect(details.error).toBe(`failed to resolve profile "prod": ${reason}`);
      expect(stepStatuses(details)).toEqual({});
      expect(existsSync(join(h.dags, 'ran'))).toBe(false);
    },
  );

  it('a retry of a run whose profile was deleted since fails the same way', async () => {
    const h = runHarness();
    withProfile(h.core, 'prod', { variables: { A: '1' } });
    h.writeDag('d', 'steps:\n  - run: exit 1\n');
    const first = await h.start('d', { profile: 'prod' });
    h.core.profiles.delete(admin, 'prod');
    const retried = await h.engine.retry('d', first.run.run_id);
    expect(retried.error).toBe(
      'failed to resolve profile "prod": profile not found',
    );
  });

  it('profile names with "." and "_" hold secrets that reach the steps', async () => {
    const h = runHarness();
    withProfile(h.core, 'team_a.prod', { secrets: { TOKEN: TOKEN } });
    h.writeDag('d', 'steps:\n  - run: printf %s "$TOKEN" > got\n');
    await h.start('d', { profile: 'team_a.prod' });
    expect(h.read('got')).toBe(TOKEN);
  });

  it('restart runs again as a new run that keeps the profile', async () => {
    const h = runHarness();
    withProfile(h.core, 'prod', { variables: { A: 'kept' } });
    h.writeDag(
      'd',
      'params: "P=1"\nsteps:\n  - run: printf "%s %s" "$A" "$P" > got\n',
    );
    const first = await h.start('d', { profile: 'prod', params: ['P=2'] });
    const again = await h.engine.restart('d', first.run.run_id);
    expect(again.run.run_id).not.toBe(first.run.run_id);
    expect(again.run.profile_name).toBe('prod');
    expect(h.read('got')).toBe('kept 2');
  });

  it('--from-run-id runs the old DAG and params again, with its profile or another', async () => {
    const h = runHarness();
    withProfile(h.core, 'prod', { variables: { A: 'prod' } });
    withProfile(h.core, 'dev', { variables: { A: 'dev' } });
    h.writeDag(
      'd',
      'params: "P=1"\nsteps:\n  - run: printf "%s %s" "$A" "$P" > got\n',
    );
    const first = await h.start('d', { profile: 'prod', params: ['P=2'] });
    h.writeDag('d', 'steps:\n  - run: echo the file changed > got\n');

    const same = await h.engine.launchFrom('d', first.run.run_id, {}).done;
    expect([same.run.profile_name, h.read('got')]).toEqual(['prod', 'prod 2']);
    const other = await h.engine.launchFrom('d', first.run.run_id, {
      profile: 'dev',
      runId: 'r2',
    }).done;
    expect([other.run.run_id, other.run.profile_name, h.read('got')]).toEqual([
      'r2',
      'dev',
      'dev 2',
    ]);
  });

  it('restart of a sub-DAG run keeps the secrets its parent sealed for it', async () => {
    const h = runHarness({ PARENT_ONLY: 'parent-secret-4e1d' });
    h.writeDag(
      'child',
      'params: "GIVEN=x"\nsteps:\n  - run: echo "got $GIVEN"\n',
    );
    h.writeDag(
      'parent',
      'secrets:\n  - {name: S, provider: env, key: PARENT_ONLY}\n' +
        'steps:\n  - {call: child, params: "GIVEN=${S}"}\n',
    );
    await h.start('parent');
    const child = h.core.db
      .prepare("SELECT * FROM dag_runs WHERE dag_name = 'child'")
      .get() as { run_id: string };
    const again = await h.engine.restart('child', child.run_id);
    const details = h.details(again);
    expect(again.status).toBe(RUN_STATUS.succeeded);
    expect(details.parentDAGRunName).toBeUndefined();
    expect(readFileSync(details.nodes[0]!.stdout, 'utf8')).toBe(
      'got *******\n',
    );
  });
});

describe('secrets in what a run shows', () => {
  it('are masked in step logs, errors and the status, and in outputs', async () => {
    const h = runHarness();
    withProfile(h.core, 'prod', { secrets: { API_TOKEN: TOKEN } });
    h.writeDag(
      'd',
      'steps:\n' +
        '  - {id: leak, run: "echo $API_TOKEN", output: OUT}\n' +
        '  - {name: fail, run: "echo bad $API_TOKEN >&2; exit 1", ' +
        'depends: leak}\n',
    );
    const outcome = await h.start('d', { profile: 'prod' });
    const details = h.details(outcome);
    const logs = details.nodes
      .flatMap((n) => [
        readFileSync(n.stdout, 'utf8'),
        readFileSync(n.stderr, 'utf8'),
      ])
      .join('');

    expect(logs).toBe('*******\nbad *******\n');
    expect(details.nodes[0]!.outputVariables).toEqual({ OUT: '*******' });
    expect(details.nodes[1]!.error).toBe('exited with status 1: bad *******');
    expect(details.error).toContain('*******');
    expect(JSON.stringify(details)).not.toContain(TOKEN);
  });

  it('an output that carried a secret stays usable by later steps and retries', async () => {
    const h = runHarness();
    withProfile(h.core, 'prod', { secrets: { API_TOKEN: TOKEN } });
    h.writeDag(
      'd',
      'steps:\n' +
        '  - {id: make, run: "echo header-$API_TOKEN", output: HEADER}\n' +
        '  - {name: use, run: "printf %s \\"$HEADER\\" > got; test -f go", ' +
        'depends: make}\n',
    );
    const first = await h.start('d', { profile: 'prod' });
    expect(h.read('got')).toBe(`header-${TOKEN}`);
    writeFileSync(join(h.dags, 'got'), '');
    writeFileSync(join(h.dags, 'go'), '');

    await h.engine.retry('d', first.run.run_id);
    expect(h.read('got')).toBe(`header-${TOKEN}`);
    const row = h.core.db
      .prepare(
        "SELECT output_masked, output_sealed FROM attempt_steps WHERE name = 'make'",
      )
      .get() as {
      output_masked: string;
      output_sealed: Buffer;
    };
    expect(row.output_masked).toBe('header-*******');
    expect(row.output_sealed.includes(Buffer.from(TOKEN))).toBe(false);
  });
});
