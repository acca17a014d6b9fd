import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, cliEnv } from '../support/cli.js';
import { tempHome } from '../support/temp-home.js';

const SECRET = 'cli-run-secret-5b7e';

function homeWith(dags: Record<string, string>) {
  const home = tempHome();
  mkdirSync(join(home, 'dags'), { recursive: true });
  for (const [name, yaml] of Object.entries(dags)) {
    writeFileSync(join(home, 'dags', `${name}.yaml`), yaml);
  }
  return { home, env: cliEnv(home) };
}

async function withSecretProfile(env: Record<string, string>) {
  await cli(['profile', 'create', 'prod'], env);
  await cli(['profile', 'set-var', 'prod', 'LEVEL', 'debug'], env);
  await cli(['profile', 'set-secret', 'prod', 'TOKEN', '--value-stdin'], env, {
    text: SECRET,
  });
}

describe('dagdesk start', () => {
  it('prints the masked output and progress, and exits 0 when the run succeeds', async () => {
    const { env } = homeWith({
      hello: 'steps:\n  - run: echo "hi $LEVEL $TOKEN"\n',
    });
    await withSecretProfile(env);
    const result = await cli(['start', 'hello', '--profile', 'prod'], env);
    expect(result.code).toBe(0);
    expect(result.out).toContain('hi debug *******\n');
    expect(result.err).toMatch(
      /> cmd_1\n< cmd_1 ok\nrun hello \S+ succeeded\n$/,
    );
    expect(result.out + result.err).not.toContain(SECRET);
  });

  it('exits 1 when the run fails, saying why', async () => {
    const { env } = homeWith({ bad: 'steps:\n  - run: exit 7\n' });
    const result = await cli(['start', 'bad'], env);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(
      /run bad \S+ failed: step cmd_1: exited with status 7\n$/,
    );
  });

  it('exits 1 and records the reason when the profile does not exist', async () => {
    const { env } = homeWith({ hello: 'steps:\n  - run: "true"\n' });
    const result = await cli(['start', 'hello', '--profile', 'nope'], env);
    expect(result.code).toBe(1);
    expect(result.err).toContain(
      'failed to resolve profile "nope": profile not found',
    );
  });

  it.each([
    [
      'an unknown DAG',
      ['start', 'missing'],
      /^error: DAG "missing" not found: no missing\.yaml or missing\.yml in /,
    ],
    [
      'a bad run id',
      ['start', 'hello', '--run-id', 'a b'],
      /^error: invalid dag-run ID "a b": use letters, digits, "-" and "_"/,
    ],
    [
      'an invalid profile name',
      ['start', 'hello', '--profile', 'Bad'],
      /^error: invalid profile name: "Bad"/,
    ],
    [
      'an unknown parameter',
      ['start', 'hello', '--', 'NOPE=1'],
      /^error: unknown parameter "NOPE": accepted parameters are WHO/,
    ],
    [
      'a retry without --run-id',
      ['retry', 'hello'],
      /required option '--run-id <id>' not specified/,
    ],
    [
      'a retry with --profile',
      ['retry', 'hello', '--run-id', 'x', '--profile', 'p'],
      /unknown option '--profile'/,
    ],
    [
      'params with --from-run-id',
      ['start', 'hello', '--from-run-id', 'x', '--', 'WHO=y'],
      /^error: parameters cannot be given with --from-run-id/,
    ],
    [
      'a retry of an unknown run',
      ['retry', 'hello', '--run-id', 'nope'],
      /^error: dag-run ID nope not found for DAG hello/,
    ],
  ])('exits 2 on %s, with one line on stderr', async (_what, args, message) => {
    const { env } = homeWith({
      hello: 'params: "WHO=x"\nsteps:\n  - run: "true"\n',
    });
    const result = await cli(args, env);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(message);
    expect(result.err.trim().split('\n')).toHaveLength(1);
  });

  it('exits 2 on a DAG that does not load, naming file, line and column', async () => {
    const { home, env } = homeWith({
      broken: 'steps:\n  - run: x\n    continueOn: failed\n',
    });
    const result = await cli(['start', 'broken'], env);
    expect(result.code).toBe(2);
    expect(result.err).toBe(
      `error: ${join(home, 'dags', 'broken.yaml')}:3:5: steps[0]: ` +
        'unknown key "continueOn"; use snake_case keys ' +
        '(continueOn -> continue_on)\n',
    );
  });

  it('refuses a run id the DAG has used, with exit 2', async () => {
    const { env } = homeWith({ hello: 'steps:\n  - run: "true"\n' });
    expect((await cli(['start', 'hello', '--run-id', 'r1'], env)).code).toBe(0);
    const again = await cli(['start', 'hello', '--run-id', 'r1'], env);
    expect(again).toMatchObject({
      code: 2,
      err: 'error: dag-run ID r1 already exists for DAG hello\n',
    });
  });

  it('takes params from --params, and from -- K=V which wins', async () => {
    const { home, env } = homeWith({
      p: 'params: "A=1 B=2"\nsteps:\n  - run: printf "%s %s" "$A" "$B" > got\n',
    });
    await cli(['start', 'p', '--params', 'A=x B=y'], env);
    expect(readGot(home)).toBe('x y');
    await cli(['start', 'p', '--params', 'A=x', '--', 'B=z'], env);
    expect(readGot(home)).toBe('1 z');
  });
});

function readGot(home: string): string {
  return readFileSync(join(home, 'dags', 'got'), 'utf8');
}

describe('status, history and logs', () => {
  it('status --json has Dagu field names and the profile the run used', async () => {
    const { env } = homeWith({
      hello: 'steps:\n  - {name: greet, run: "echo $TOKEN"}\n',
    });
    await withSecretProfile(env);
    await cli(['start', 'hello', '--profile', 'prod', '--run-id', 'r1'], env);
    const status = JSON.parse(
      (await cli(['status', 'hello', '--run-id', 'r1', '--json'], env)).out,
    );
    expect(status).toMatchObject({
      name: 'hello',
      dagRunId: 'r1',
      status: 4,
      statusLabel: 'succeeded',
      triggerType: 'manual',
      profileName: 'prod',
      profileEntries: [
        { key: 'LEVEL', kind: 'variable' },
        { key: 'TOKEN', kind: 'secret', version: 1 },
      ],
      nodes: [
        {
          step: { name: 'greet' },
          status: 4,
          statusLabel: 'succeeded',
          exitCode: 0,
        },
      ],
    });
    expect(status.attemptId).toMatch(/^attempt_/);
    expect(typeof status.startedAt).toBe('string');
    expect(typeof status.profileResolvedAt).toBe('string');
  });

  it('history lists runs newest first, filtered by status', async () => {
    const { env } = homeWith({
      ok: 'steps:\n  - run: "true"\n',
      bad: 'steps:\n  - run: "false"\n',
    });
    await cli(['start', 'ok', '--run-id', 'first'], env);
    await cli(['start', 'bad', '--run-id', 'second'], env);
    const all = JSON.parse((await cli(['history', '--json'], env)).out);
    expect(all.map((r: { dagRunId: string }) => r.dagRunId)).toEqual([
      'second',
      'first',
    ]);
    const failed = JSON.parse(
      (await cli(['history', '--status', 'failed', '--json'], env)).out,
    );
    expect(failed.map((r: { name: string }) => r.name)).toEqual(['bad']);
    expect((await cli(['history', '--status', 'odd'], env)).code).toBe(2);
  });

  it('logs prints a step log, masked', async () => {
    const { env } = homeWith({
      hello:
        'steps:\n  - {name: greet, run: "echo out $TOKEN; echo err >&2"}\n',
    });
    await withSecretProfile(env);
    await cli(['start', 'hello', '--profile', 'prod', '--run-id', 'r1'], env);
    expect(
      (await cli(['logs', 'hello', '--run-id', 'r1', '--step', 'greet'], env))
        .out,
    ).toBe('out *******\n');
    expect(
      (
        await cli(
          ['logs', 'hello', '--run-id', 'r1', '--step', 'greet', '--stderr'],
          env,
        )
      ).out,
    ).toBe('err\n');
    expect(
      (await cli(['logs', 'hello', '--run-id', 'r1', '--step', 'nope'], env))
        .code,
    ).toBe(2);
  });
});

describe('dagdesk dry', () => {
  it('reports where each key comes from, never a value', async () => {
    const { env } = homeWith({
      hello:
        'env:\n  - LEVEL: info\nsteps:\n  - {name: a, run: "true", env: [STEP_ONLY: x]}\n',
    });
    await withSecretProfile(env);
    const result = await cli(['dry', 'hello', '--profile', 'prod'], env);
    expect(result.code).toBe(0);
    expect(result.out).toContain(
      'profile prod: active; variables: LEVEL; secrets (decrypted): TOKEN v1',
    );
    expect(result.out).toMatch(
      /LEVEL +profile variable +\(overrides dag env\)/,
    );
    expect(result.out).toMatch(/TOKEN +profile secret/);
    expect(result.out).toContain('step a: first; step env STEP_ONLY');
    expect(result.out).not.toContain(SECRET);
    expect(result.out).not.toContain('debug');
  });

  it('exits 2 when the profile would not resolve', async () => {
    const { env } = homeWith({ hello: 'steps:\n  - run: "true"\n' });
    const result = await cli(['dry', 'hello', '--profile', 'ghost'], env);
    expect(result).toMatchObject({
      code: 2,
      err: 'error: failed to resolve profile "ghost": profile not found\n',
    });
  });
});

describe('dagdesk enqueue and queue drain', () => {
  it('queues a run and drains it', async () => {
    const { env } = homeWith({ hello: 'steps:\n  - run: echo queued\n' });
    const queued = await cli(['enqueue', 'hello', '--run-id', 'q1'], env);
    expect(queued.out).toBe('queued hello q1 on queue hello\n');
    const drained = await cli(['queue', 'drain'], env);
    expect(drained).toMatchObject({ code: 0 });
    expect(drained.out).toContain('ran 1 queued run\n');
    expect(
      JSON.parse((await cli(['status', 'hello', '--json'], env)).out)
        .statusLabel,
    ).toBe('succeeded');
  });

  it('refuses to queue with a profile that cannot start runs', async () => {
    const { env } = homeWith({ hello: 'steps:\n  - run: "true"\n' });
    await cli(['profile', 'create', 'off'], env);
    await cli(['profile', 'disable', 'off'], env);
    const result = await cli(['enqueue', 'hello', '--profile', 'off'], env);
    expect(result).toMatchObject({
      code: 2,
      err: 'error: profile "off" is disabled (enable it to start runs)\n',
    });
  });
});
