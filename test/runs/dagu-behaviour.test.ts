import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RUN_STATUS } from '../../src-main/runs/status.js';
import { runHarness, stepStatuses } from '../support/runs.js';

/** Each test is one of Dagu's documented behaviours, run for real. */
describe('Dagu behaviours', () => {
  it('a failed step aborts the steps that depend on it (upstream failed)', async () => {
    const h = runHarness();
    h.writeDag(
      'd',
      'steps:\n' +
        '  - {name: a, run: "exit 3"}\n' +
        '  - {name: b, run: "echo b", depends: a}\n' +
        '  - {name: c, run: "echo c"}\n',
    );
    const outcome = await h.start('d');
    const details = h.details(outcome);
    expect(outcome.status).toBe(RUN_STATUS.failed);
    expect(stepStatuses(details)).toEqual({
      a: 'failed',
      b: 'aborted',
      c: 'succeeded',
    });
    expect(details.nodes[0]).toMatchObject({
      exitCode: 3,
      error: 'exited with status 3',
    });
    expect(details.nodes[1]!.error).toBe('upstream failed');
  });

  it('continue_on failed lets dependants run and the run partially succeeds', async () => {
    const h = runHarness();
    h.writeDag(
      'd',
      'steps:\n' +
        '  - {name: a, run: "exit 1", continue_on: failed}\n' +
        '  - {name: b, run: "echo b", depends: a}\n',
    );
    const outcome = await h.start('d');
    expect(outcome.status).toBe(RUN_STATUS.partiallySucceeded);
    expect(stepStatuses(h.details(outcome))).toEqual({
      a: 'failed',
      b: 'succeeded',
    });
  });

  it('continue_on exit_code and output match the failure', async () => {
    const h = runHarness();
    h.writeDag(
      'd',
      [
        'steps:',
        '  - {name: a, run: "exit 4", continue_on: {exit_code: [4]}}',
        '  - {name: b, run: "echo WARN: soft; exit 1", continue_on: {output: ["re:^WARN"]}}',
        '  - {name: c, run: "exit 1", continue_on: {exit_code: 9}}',
        '  - {name: after_a, run: "true", depends: a}',
        '  - {name: after_b, run: "true", depends: b}',
        '  - {name: after_c, run: "true", depends: c}',
      ].join('\n'),
    );
    const statuses = stepStatuses(h.details(await h.start('d')));
    expect(statuses).toMatchObject({
      after_a: 'succeeded',
      after_b: 'succeeded',
      after_c: 'aborted',
    });
  });

  it('mark_success turns an allowed failure into success', async () => {
    const h = runHarness();
    h.writeDag(
      'd',
      'steps:\n  - {name: a, run: "exit 1", continue_on: {failed: true, mark_success: true}}\n',
    );
    const outcome = await h.start('d');
    expect(outcome.status).toBe(RUN_STATUS.succeeded);
    expect(stepStatuses(h.details(outcome))).toEqual({ a: 'succeeded' });
  });

  it('retry_policy runs a step again until it passes or the limit is reached', async () => {
    const h = runHarness();
    h.writeDag(
      'd',
      'steps:\n' +
        '  - name: flaky\n' +
        '    run: echo x >> tries; test "$(wc -l < tries)" -ge 3\n' +
        '    retry_policy: {limit: 3, interval_sec: 0}\n' +
        '  - name: never\n' +
        '    run: exit 2\n' +
        '    retry_policy: {limit: 1, interval_sec: 0}\n',
    );
    const details = h.details(await h.start('d'));
    expect(h.read('tries').trim().split('\n')).toHaveLength(3);
    expect(details.nodes[0]).toMatchObject({
      statusLabel: 'succeeded',
      retryCount: 2,
    });
    expect(details.nodes[1]).toMatchObject({
      statusLabel: 'failed',
      retryCount: 1,
      exitCode: 2,
    });
  });

  it('retry_policy exit_code retries only those exit codes', async () => {
    const h = runHarness();
    h.writeDag(
      'd',
      'steps:\n' +
        '  - run: echo x >> tries; exit 5\n' +
        '    retry_policy: {limit: 3, interval_sec: 0, exit_code: [7]}\n',
    );
    await h.start('d');
    expect(h.read('tries').trim().split('\n')).toHaveLength(1);
  });

  it('preconditions that are not met skip a step, and the steps after it', async () => {
    const h = runHarness();
    h.writeDag(
      'd',
      [
        'params: "MODE=dry"',
        'steps:',
        '  - name: gated',
        '    run: touch ran',
        '    preconditions:',
        '      - condition: "$MODE"',
        '        expected: live',
        '  - {name: after, run: "true", depends: gated}',
        '  - {name: tolerant, run: "true", depends: gated2}',
        '  - name: gated2',
        '    run: "true"',
        '    preconditions: "test -f nothing-here"',
        '    continue_on: skipped',
      ].join('\n'),
    );
    const outcome = await h.start('d');
    expect(outcome.status).toBe(RUN_STATUS.succeeded);
    expect(stepStatuses(h.details(outcome))).toEqual({
      gated: 'skipped',
      after: 'skipped',
      tolerant: 'succeeded',
      gated2: 'skipped',
    });
    expect(existsSync(join(h.dags, 'ran'))).toBe(false);
  });

  it('DAG preconditions that are not met abort the run before any step', async () => {
    const h = runHarness();
    h.writeDag(
      'd',
      'preconditions:\n' +
        '  - condition: "`echo no`"\n' +
        '    expected: "re:^y"\n' +
        'steps:\n' +
        '  - run: touch ran\n',
    );
    const outcome = await h.start('d');
    expect(outcome.status).toBe(RUN_STATUS.aborted);
    expect(existsSync(join(h.dags, 'ran'))).toBe(false);
  });

  it('handler_on runs success then exit, with DAG_RUN_STATUS', async () => {
    const h = runHarness();
    h.writeDag(
      'd',
      'handler_on:\n' +
        '  success: {run: "echo success:$DAG_RUN_STATUS >> order"}\n' +
        '  failure: {run: "echo failure >> order"}\n' +
        '  exit: {run: "echo exit:$DAG_RUN_STATUS >> order"}\n' +
        'steps:\n' +
        '  - run: echo step >> order\n',
    );
    const details = h.details(await h.start('d'));
    expect(h.read('order')).toBe('step\nsuccess:succeeded\nexit:succeeded\n');
    expect(details.onSuccess?.statusLabel).toBe('succeeded');
    expect(details.onFailure?.statusLabel).toBe('not_started');
  });

  it('handler_on failure runs when a step fails, and init before all', async () => {
    const h = runHarness();
    h.writeDag(
      'd',
      'handler_on:\n' +
        '  init: {run: "echo init >> order"}\n' +
        '  failure: {run: "echo failure:$DAG_RUN_STATUS >> order"}\n' +
        '  exit: {run: "echo exit >> order"}\n' +
        'steps:\n' +
        '  - run: exit 1\n',
    );
    await h.start('d');
    expect(h.read('order')).toBe('init\nfailure:failed\nexit\n');
  });

  it('a failing init handler aborts the run; abort and exit still run', async () => {
    const h = runHarness();
    h.writeDag(
      'd',
      'handler_on:\n' +
        '  init: {run: "exit 1"}\n' +
        '  abort: {run: "echo abort >> order"}\n' +
        '  exit: {run: "echo exit >> order"}\n' +
        'steps:\n' +
        '  - run: touch ran\n',
    );
    const outcome = await h.start('d');
    expect(outcome.status).toBe(RUN_STATUS.aborted);
    expect(h.read('order')).toBe('abort\nexit\n');
    expect(existsSync(join(h.dags, 'ran'))).toBe(false);
  });

  it('type chain runs each step after the one before', async () => {
    const h = runHarness();
    h.writeDag(
      'd',
      'type: chain\n' +
        'steps:\n' +
        '  - run: sleep 0.2; echo 1 >> order\n' +
        '  - run: echo 2 >> order\n' +
        '  - run: echo 3 >> order\n',
    );
    await h.start('d');
    expect(h.read('order')).toBe('1\n2\n3\n');
  });

  it('max_active_steps limits how many steps run at once', async () => {
    const h = runHarness();
    const step = (n: number) =>
      '  - run: "mkdir lock 2>/dev/null || echo overlap >> seen; ' +
      `sleep 0.1; rmdir lock; echo ${n} >> done"`;
    h.writeDag(
      'd',
      `max_active_steps: 1\nsteps:\n${[1, 2, 3].map(step).join('\n')}\n`,
    );
    await h.start('d');
    expect(existsSync(join(h.dags, 'seen'))).toBe(false);
    expect(h.read('done').trim().split('\n').sort()).toEqual(['1', '2', '3']);
  });

  it('output publishes trimmed stdout to the steps after it, and only to them', async () => {
    const h = runHarness();
    h.writeDag(
      'd',
      'steps:\n' +
        '  - {id: make, run: "printf \'  v1  \\\\n\'", output: VERSION}\n' +
        '  - {name: use, run: "printf %s \\"$VERSION\\" > got", ' +
        'depends: make}\n' +
        '  - {name: alone, ' +
        'run: "printf %s \\"${VERSION:-unset}\\" > alone"}\n',
    );
    const details = h.details(await h.start('d'));
    expect(h.read('got')).toBe('v1');
    expect(h.read('alone')).toBe('unset');
    expect(details.nodes[0]!.outputVariables).toEqual({ VERSION: 'v1' });
  });

  it('output larger than max_output_size fails the step', async () => {
    const h = runHarness();
    h.writeDag(
      'd',
      'max_output_size: 10\nsteps:\n  - {run: "echo 0123456789abcdef", output: BIG}\n',
    );
    const details = h.details(await h.start('d'));
    expect(details.nodes[0]).toMatchObject({
      statusLabel: 'failed',
      error: 'output exceeded the limit of 10 bytes (max_output_size)',
    });
  });

  const scriptsAndLists =
    'a multi-line run is a script, a list runs each command in turn and ' +
    'stops at a failure';
  it(scriptsAndLists, async () => {
    const h = runHarness();
    h.writeDag(
      'd',
      'steps:\n' +
        '  - run: |\n' +
        '      A=1\n' +
        '      echo "script $A" > script-out\n' +
        '  - run: [echo one >> list, "false", echo three >> list]\n',
    );
    const details = h.details(await h.start('d'));
    expect(h.read('script-out')).toBe('script 1\n');
    expect(h.read('list')).toBe('one\n');
    expect(details.nodes[1]!.error).toBe('command 2 of 3 exited with status 1');
  });

  it('a script with a shebang runs with its interpreter', async () => {
    const h = runHarness();
    h.writeDag(
      'd',
      'steps:\n' +
        '  - run: |\n' +
        '      #!/usr/bin/env node\n' +
        '      require("fs").writeFileSync("node-out", String(6 * 7))\n',
    );
    await h.start('d');
    expect(h.read('node-out')).toBe('42');
  });

  const stepVariables =
    'steps get DAG_NAME, DAG_RUN_ID, DAG_RUN_LOG_FILE, DAG_RUN_STEP_NAME ' +
    'and their log files';
  it(stepVariables, async () => {
    const h = runHarness();
    h.writeDag(
      'named',
      'steps:\n' +
        '  - name: probe\n' +
        '    run: printf "%s|%s|%s|%s|%s" "$DAG_NAME" "$DAG_RUN_ID" ' +
        '"$DAG_RUN_STEP_NAME" "$DAG_RUN_LOG_FILE" ' +
        '"$DAG_RUN_STEP_STDOUT_FILE" > got\n',
    );
    const outcome = await h.start('named', { runId: 'run-42' });
    const [name, id, step, log, stdout] = h.read('got').split('|');
    expect([name, id, step]).toEqual(['named', 'run-42', 'probe']);
    expect(log).toBe(
      join(h.home, 'logs', 'named', 'run-42', outcome.attemptId, 'dag.log'),
    );
    expect(stdout).toBe(
      join(h.home, 'logs', 'named', 'run-42', outcome.attemptId, 'probe.out'),
    );
  });

  it('positional params are $1, $2 of the shell; named ones are variables', async () => {
    const h = runHarness();
    h.writeDag(
      'd',
      'params: "first second N=3"\nsteps:\n  - run: printf "%s %s %s" "$1" "$2" "$N" > got\n',
    );
    await h.start('d', { params: ['one', 'N=4'] });
    expect(h.read('got')).toBe('one second 4');
  });

  it('dotenv files load after env, relative to the working directory', async () => {
    const h = runHarness();
    writeFileSync(
      join(h.dags, 'extra.env'),
      'FROM_FILE=yes\nREF=${FROM_FILE}-ref\n',
    );
    h.writeDag(
      'd',
      'dotenv: extra.env\nsteps:\n  - run: printf %s "$REF" > got\n',
    );
    await h.start('d');
    expect(h.read('got')).toBe('yes-ref');
  });

  it('working_dir is where steps run, relative to the DAG file', async () => {
    const h = runHarness();
    h.writeDag(
      'd',
      'working_dir: sub\nsteps:\n  - run: pwd > here\n  - {run: pwd > here, working_dir: deeper}\n',
    );
    await h.start('d');
    expect(h.read('sub/here').trim()).toBe(join(h.dags, 'sub'));
    expect(h.read('sub/deeper/here').trim()).toBe(
      join(h.dags, 'sub', 'deeper'),
    );
  });

  it('secrets come from env, file and ref providers', async () => {
    const h = runHarness({ HOST_TOKEN: 'env-secret-value' });
    writeFileSync(join(h.dags, 'db.pass'), 'file-secret-value\n');
    h.core.registry.set(
      { name: 't', role: 'admin' },
      'team/hook',
      'registry-secret-value',
    );
    h.writeDag(
      'd',
      'secrets:\n' +
        '  - {name: A, provider: env, key: HOST_TOKEN}\n' +
        '  - {name: B, provider: file, key: db.pass}\n' +
        '  - {name: C, ref: team/hook}\n' +
        'steps:\n' +
        '  - run: printf "%s|%s|%s" "$A" "$B" "$C" > got\n',
    );
    await h.start('d');
    expect(h.read('got')).toBe(
      'env-secret-value|file-secret-value\n|registry-secret-value',
    );
  });

  it('a secret that cannot be read fails the run before any step, naming it', async () => {
    const h = runHarness();
    h.writeDag(
      'd',
      'secrets:\n  - {name: B, provider: file, key: missing.txt}\nsteps:\n  - run: touch ran\n',
    );
    const outcome = await h.start('d');
    expect(outcome.status).toBe(RUN_STATUS.failed);
    expect(outcome.error).toMatch(
      /^failed to prepare the run: failed to resolve secret "B": secret file not found: /,
    );
    expect(existsSync(join(h.dags, 'ran'))).toBe(false);
  });

  it('env values run `command` substitutions', async () => {
    const h = runHarness();
    h.writeDag(
      'd',
      'env:\n  - STAMP: "`echo computed`"\nsteps:\n  - run: printf %s "$STAMP" > got\n',
    );
    await h.start('d');
    expect(h.read('got')).toBe('computed');
  });

  it('a DAG timeout fails the run and aborts its steps', async () => {
    const h = runHarness();
    h.writeDag(
      'd',
      'timeout_sec: 1\n' +
        'steps:\n' +
        '  - {name: slow, run: sleep 30}\n' +
        '  - {name: later, run: "true", depends: slow}\n',
    );
    const outcome = await h.start('d');
    expect(outcome.status).toBe(RUN_STATUS.failed);
    expect(outcome.error).toBe('the DAG timed out after 1 s');
    expect(stepStatuses(h.details(outcome))).toEqual({
      slow: 'aborted',
      later: 'aborted',
    });
  });
});
