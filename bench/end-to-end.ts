import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const RUNS = 3;
const MB = 1024 * 1024;

/** A step that logs like a busy service: ~200 MB of lines, no secret. */
const LINES = 2_500_000;
const BIG_STEP = `awk 'BEGIN{for(i=0;i<${LINES};i++) printf "2026-12-04T01:02:03Z INFO request %d served in 12ms user=42 path=/api/v1/items\\n", i}'`;

export interface CommandTiming {
  name: string;
  seconds: number;
}

function median(run: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    run();
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): void {
  const result = spawnSync(command, args, {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
    cwd: ROOT,
  });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`,
    );
  }
}

/**
 * Whole commands as an operator runs them: `dagdesk` is `node
 * scripts/dagdesk.mjs`, what `npm run dagdesk` starts.
 */
export function benchEndToEnd(): CommandTiming[] {
  const scratch = mkdtempSync(join(tmpdir(), 'dagdesk-bench-'));
  try {
    const home = join(scratch, 'home');
    mkdirSync(join(home, 'dags'), { recursive: true });
    writeFileSync(
      join(home, 'dags', 'big.yaml'),
      `steps:\n  - run: ${JSON.stringify(BIG_STEP)}\n`,
    );
    writeFileSync(
      join(home, 'dags', 'one.yaml'),
      'steps:\n  - run: echo hello\n',
    );
    const env = {
      ...process.env,
      DAGDESK_HOME: home,
      DAGDESK_MASTER_KEY: 'bench-master-key-0123456789',
    };
    const dagdesk = (...args: string[]) =>
      run(process.execPath, ['scripts/dagdesk.mjs', ...args], env);

    dagdesk('profile', 'create', 'prod');
    for (const key of ['TOKEN_A', 'TOKEN_B', 'TOKEN_C']) {
      const set = spawnSync(
        process.execPath,
        [
          'scripts/dagdesk.mjs',
          'profile',
          'set-secret',
          'prod',
          key,
          '--value-stdin',
        ],
        {
          env,
          cwd: ROOT,
          input: `${key.toLowerCase()}-secret-value-0123456789`,
        },
      );
      if (set.status !== 0) throw new Error(String(set.stderr));
    }
    dagdesk('--version');

    const toFile = median(() =>
      run('sh', ['-c', `${BIG_STEP} > ${join(scratch, 'out.txt')}`], env),
    );
    const through = median(() => dagdesk('start', 'big', '--profile', 'prod'));
    const version = median(() => dagdesk('--version'));
    const one = median(() => dagdesk('start', 'one'));
    return [
      {
        name: `the step writing ${Math.round((LINES * 83) / MB)} MB to a file`,
        seconds: toFile,
      },
      {
        name: 'the same step through dagdesk start (3 secrets masked)',
        seconds: through,
      },
      { name: 'dagdesk --version', seconds: version },
      { name: 'dagdesk start of a one-step DAG', seconds: one },
    ];
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
