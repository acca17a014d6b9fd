import { execa } from 'execa';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { RUN_STATUS } from '../../src-main/runs/status.js';
import { PROJECT_ROOT, cliEnv, spawnCli } from '../support/cli.js';
import { runHarness, stepStatuses } from '../support/runs.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(
  check: () => boolean,
  what: string,
  ms = 15_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** A step whose shell starts a grandchild and waits on it. */
const GRANDCHILD = 'sleep 300 & echo $! > grandchild.pid; wait';

function startInBackground(home: string, dag: string) {
  return execa(
    process.execPath,
    ['--import', 'tsx', 'src-main/cli/main.ts', 'start', dag],
    {
      cwd: PROJECT_ROOT,
      env: cliEnv(home),
      reject: false,
    },
  );
}

describe('step processes', () => {
  it('a step timeout ends the whole process tree, grandchildren too', async () => {
    const h = runHarness();
    h.writeDag('d', `steps:\n  - run: ${GRANDCHILD}\n    timeout_sec: 1\n`);
    const outcome = await h.start('d');
    const pid = Number(h.read('grandchild.pid'));
    await until(() => !alive(pid), 'the grandchild to end', 8000);
    expect(h.details(outcome).nodes[0]).toMatchObject({
      statusLabel: 'failed',
      exitCode: 124,
      error: 'step timed out after 1 s',
    });
  });

  it("a step's background processes end with the step", async () => {
    const h = runHarness();
    h.writeDag('d', 'steps:\n  - run: sleep 300 & echo $! > grandchild.pid\n');
    await h.start('d');
    const pid = Number(h.read('grandchild.pid'));
    await until(() => !alive(pid), 'the background process to end', 8000);
  });

  it('stop ends running steps, then the abort and exit handlers run', async () => {
    const h = runHarness();
    h.writeDag(
      'd',
      'handler_on:\n' +
        '  abort: {run: "echo abort >> order"}\n' +
        '  exit: {run: "echo exit:$DAG_RUN_STATUS >> order"}\n' +
        'steps:\n' +
        `  - {name: long, run: "${GRANDCHILD}"}\n` +
        '  - {name: next, run: "true", depends: long}\n',
    );
    const running = h.start('d');
    await until(
      () => existsSync(join(h.dags, 'grandchild.pid')),
      'the step to start',
    );
    h.engine.stop('d');
    const outcome = await running;
    const pid = Number(h.read('grandchild.pid'));

    expect(outcome.status).toBe(RUN_STATUS.aborted);
    expect(stepStatuses(h.details(outcome))).toEqual({
      long: 'aborted',
      next: 'aborted',
    });
    expect(h.read('order')).toBe('abort\nexit:aborted\n');
    await until(() => !alive(pid), 'the grandchild to end', 8000);
  });
});

describe('across processes', () => {
  it('dagdesk stop, from another process, stops a run started by dagdesk start', async () => {
    const h = runHarness();
    h.writeDag(
      'd',
      `handler_on:\n  abort: {run: "echo abort >> order"}\nsteps:\n  - run: ${GRANDCHILD}\n`,
    );
    const start = startInBackground(h.home, 'd');
    await until(
      () => existsSync(join(h.dags, 'grandchild.pid')),
      'the step to start',
    );
    const stop = await spawnCli(['stop', 'd'], cliEnv(h.home));
    const started = await start;

    expect(stop).toMatchObject({ code: 0 });
    expect(stop.out).toMatch(/^stopped d /);
    expect(started.exitCode).toBe(1);
    expect(h.read('order')).toBe('abort\n');
    await until(
      () => !alive(Number(h.read('grandchild.pid'))),
      'the grandchild to end',
      8000,
    );
  });

  it('Ctrl-C on dagdesk start ends the step tree and runs the abort handler', async () => {
    const h = runHarness();
    h.writeDag(
      'd',
      `handler_on:\n  abort: {run: "echo abort >> order"}\nsteps:\n  - run: ${GRANDCHILD}\n`,
    );
    const start = startInBackground(h.home, 'd');
    await until(
      () => existsSync(join(h.dags, 'grandchild.pid')),
      'the step to start',
    );
    start.kill('SIGINT');
    const started = await start;
    expect(started.exitCode).toBe(1);
    expect(started.stderr).toMatch(/run d \S+ aborted/);
    expect(h.read('order')).toBe('abort\n');
    await until(
      () => !alive(Number(h.read('grandchild.pid'))),
      'the grandchild to end',
      8000,
    );
  });

  const launcherKilled =
    'after kill -9 of the launcher, the next Dagdesk process marks the run ' +
    'failed and ends its steps';
  it(launcherKilled, async () => {
    const h = runHarness();
    h.writeDag('d', `steps:\n  - run: ${GRANDCHILD}\n`);
    const start = startInBackground(h.home, 'd');
    await until(
      () => existsSync(join(h.dags, 'grandchild.pid')),
      'the step to start',
    );
    const grandchild = Number(h.read('grandchild.pid'));
    start.kill('SIGKILL');
    await start;
    expect(alive(grandchild)).toBe(true);

    const history = await spawnCli(['history', 'd', '--json'], cliEnv(h.home));
    const [run] = JSON.parse(history.out) as {
      statusLabel: string;
      error: string;
    }[];
    expect(run).toMatchObject({ statusLabel: 'failed' });
    expect(run!.error).toMatch(
      /^interrupted: the Dagdesk process running it \(pid \d+\) ended before the run did$/,
    );
    await until(() => !alive(grandchild), 'the orphaned step to end', 8000);
    const status = JSON.parse(
      (await spawnCli(['status', 'd', '--json'], cliEnv(h.home))).out,
    );
    expect(status.nodes[0]).toMatchObject({
      statusLabel: 'failed',
      error: 'interrupted',
    });
    expect(readFileSync(join(h.dags, 'grandchild.pid'), 'utf8').trim()).toBe(
      String(grandchild),
    );
  });
});
