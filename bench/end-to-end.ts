import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const RUNS = 5;
const MB = 1024 * 1024;

/** A step that logs like a busy service: ~200 MB of lines, no secret. */
const LINES = 2_500_000;
const BIG_STEP =
  `awk 'BEGIN{for(i=0;i<${LINES};i++) printf "2026-12-04T01:02:03Z INFO ` +
  `request %d served in 12ms user=42 path=/api/v1/items\\n", i}'`;

/** Two commands timed in turn; the ratio is taken pair by pair. */
export interface Comparison {
  name: string;
  baseline: string;
  seconds: number;
  baselineSeconds: number;
  ratio: number;
}

const middle = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function timed(run: () => void): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

// A B A B ...: a machine that speeds up or slows down mid-way moves both.
function compare(
  name: string,
  run: () => void,
  baseline: string,
  runBaseline: () => void,
): Comparison {
  const pairs = Array.from(
    { length: RUNS },
    () => [timed(run), timed(runBaseline)] as const,
  );
  return {
    name,
    baseline,
    seconds: middle(pairs.map(([a]) => a)),
    baselineSeconds: middle(pairs.map(([, b]) => b)),
    ratio: middle(pairs.map(([a, b]) => a / b)),
  };
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
export function benchEndToEnd(): Comparison[] {
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

    const size = Math.round((LINES * 83) / MB);
    return [
      compare(
        `dagdesk start of a step writing ${size} MB (3 secrets)`,
        () => dagdesk('start', 'big', '--profile', 'prod'),
        'the same step writing to a file',
        () =>
          run('sh', ['-c', `${BIG_STEP} > ${join(scratch, 'out.txt')}`], env),
      ),
      compare(
        'dagdesk start of a one-step DAG',
        () => dagdesk('start', 'one'),
        'dagdesk --version',
        () => dagdesk('--version'),
      ),
    ];
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
