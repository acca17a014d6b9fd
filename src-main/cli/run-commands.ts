import type { Command } from 'commander';
import type { Core } from '../core.js';
import { dagsDir, resolveDagPath } from '../dags/dag-files.js';
import { loadDagFile } from '../dags/dag-loader.js';
import { dryRun } from '../runs/dry-run.js';
import { drainQueue } from '../runs/queue.js';
import { badRequest } from '../errors.js';
import { loadQueueLimits } from '../home-config.js';
import { engineForCore } from '../core-engine.js';
import {
  type RunEngine,
  type RunOutcome,
  type RunRequest,
} from '../runs/run-engine.js';
import { runSummary } from '../runs/run-view.js';
import { RUN_STATUS } from '../runs/status.js';
import { type WithCore, cliActor, dagNameOf } from './context.js';
import { type CliIo, EXIT } from './io.js';
import { json } from './profile-output.js';
import { formatDry, formatOutcome, formatProgress } from './run-output.js';

/** Ends a command with an exit code other than 0, its report printed. */
export class ExitWith extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

interface StartOptions {
  profile?: string;
  runId?: string;
  params?: string;
  queue?: string;
  json?: boolean;
  fromRunId?: string;
}

/** `start`, `enqueue`, `dry`, `retry`, `restart`, `stop`, `queue drain`. */
export function addRunCommands(
  program: Command,
  io: CliIo,
  withCore: WithCore,
): void {
  const startLike = (name: string, description: string) =>
    program
      .command(`${name} <dag>`)
      .argument(
        '[params...]',
        'parameters after --, as K=V or positional values',
      )
      .description(description)
      .option('--profile <name>', 'runtime profile to run with')
      .option(
        '--params <text>',
        'parameters as one string, "K=V K2=V2" (ignored when -- is given)',
      );

  startLike('start', 'run a DAG now, in the foreground, and print its output')
    .option('--run-id <id>', 'the run id (default: a new UUID v7)')
    .option(
      '--from-run-id <id>',
      "run again as a new run: that run's DAG, params and profile",
    )
    .action((dag: string, params: string[], opts: StartOptions) =>
      withCore(async (core) => {
        const engine = cliEngine(core, io, true);
        const started = opts.fromRunId
          ? startFrom(core, io, engine, dag, params, opts)
          : engine.launch(runRequest(core, io, dag, params, opts));
        const outcome = await withInterrupt(io, engine, () => started.done);
        finishRun(io, outcome);
      }),
    );

  startLike('enqueue', 'queue a run of a DAG; `queue drain` runs it')
    .option('--run-id <id>', 'the run id (default: a new UUID v7)')
    .option(
      '--queue <name>',
      'the queue (default: the DAG queue, else its name)',
    )
    .action((dag: string, params: string[], opts: StartOptions) =>
      withCore((core) => {
        const engine = cliEngine(core, io, false);
        const request = runRequest(core, io, dag, params, opts);
        if (request.profile)
          core.profiles.checkUsable(cliActor(), request.profile);
        const run = engine.enqueue({ ...request, queue: opts.queue });
        io.stdout(
          opts.json
            ? json(runSummary(run))
            : `queued ${run.dag_name} ${run.run_id} on queue ${run.queue}\n`,
        );
      }),
    )
    .option('--json', 'print the queued run as JSON');

  startLike(
    'dry',
    'validate a DAG, its parameters, profile and secrets; run nothing',
  )
    .option('--json', 'print the report as JSON')
    .action((dag: string, params: string[], opts: StartOptions) =>
      withCore((core) => {
        const request = runRequest(core, io, dag, params, opts);
        const engine = cliEngine(core, io, false);
        const report = dryRun(engine.options, request);
        for (const key of request.file.main.ignored)
          io.stderr(`note: ${key} is not used by Dagdesk\n`);
        io.stdout(opts.json ? json(report) : formatDry(report));
      }),
    );

  program
    .command('retry <dag>')
    .description(
      "re-run a run's failed steps and what follows them, keeping its profile",
    )
    .requiredOption('--run-id <id>', 'the run to retry')
    .option('--step <name>', 'retry just this step')
    .action((dag: string, opts: { runId: string; step?: string }) =>
      withCore(async (core) => {
        const engine = cliEngine(core, io, true);
        const name = dagNameOf(core, io, dag);
        finishRun(
          io,
          await withInterrupt(io, engine, () =>
            engine.retry(name, opts.runId, opts.step),
          ),
        );
      }),
    );

  program
    .command('restart <dag>')
    .description(
      'stop a run if it is running, then run it again as a new run with its profile',
    )
    .option('--run-id <id>', 'the run (default: the latest)')
    .action((dag: string, opts: { runId?: string }) =>
      withCore(async (core) => {
        const engine = cliEngine(core, io, true);
        const name = dagNameOf(core, io, dag);
        finishRun(
          io,
          await withInterrupt(io, engine, () =>
            engine.restart(name, opts.runId),
          ),
        );
      }),
    );

  program
    .command('stop <dag>')
    .description('stop the running (or queued) runs of a DAG, or one run')
    .option('--run-id <id>', 'the run to stop')
    .action((dag: string, opts: { runId?: string }) =>
      withCore(async (core) => {
        const engine = cliEngine(core, io, false);
        const stopped = engine.stop(dagNameOf(core, io, dag), opts.runId);
        for (const run of stopped) {
          const ended = await engine.waitUntilEnded(run);
          io.stdout(
            `${ended.status === RUN_STATUS.running ? 'stopping' : 'stopped'} ` +
              `${run.dag_name} ${run.run_id}\n`,
          );
        }
      }),
    );

  program
    .command('queue')
    .description('work the run queue')
    .command('drain')
    .description('run queued runs until the queue is empty, then exit')
    .action(() =>
      withCore(async (core) => {
        const engine = cliEngine(core, io, true);
        const stopping = new AbortController();
        const outcomes = await withInterrupt(
          io,
          engine,
          () => drainQueue(engine, loadQueueLimits(core.home), stopping.signal),
          stopping,
        );
        for (const outcome of outcomes)
          io.stderr(formatOutcome(runSummary(outcome.run)));
        io.stdout(
          `ran ${outcomes.length} queued run${outcomes.length === 1 ? '' : 's'}\n`,
        );
        if (outcomes.some((o) => o.status !== RUN_STATUS.succeeded))
          throw new ExitWith(EXIT.runFailed);
      }),
    );
}

/** The run engine of a CLI command: admin, output echoed when asked. */
export function cliEngine(core: Core, io: CliIo, echo: boolean): RunEngine {
  return engineForCore(core, io.env, cliActor(), {
    targets: echo ? { echo: io.streams } : {},
    progress: (run, event) => io.stderr(formatProgress(run, event)),
  });
}

function startFrom(
  core: Core,
  io: CliIo,
  engine: RunEngine,
  dag: string,
  params: string[],
  opts: StartOptions,
) {
  if (params.length > 0 || opts.params !== undefined) {
    throw badRequest(
      'parameters cannot be given with --from-run-id: the run keeps its own',
    );
  }
  return engine.launchFrom(dagNameOf(core, io, dag), opts.fromRunId!, {
    runId: opts.runId,
    profile: opts.profile,
  });
}

function runRequest(
  core: Core,
  io: CliIo,
  dag: string,
  params: string[],
  opts: StartOptions,
): RunRequest {
  const file = loadDagFile(resolveDagPath(dag, dagsDir(core.home, io.env)));
  return {
    file,
    params,
    paramsText: opts.params,
    profile: opts.profile,
    runId: opts.runId,
  };
}

async function withInterrupt<T>(
  io: CliIo,
  engine: RunEngine,
  run: () => Promise<T>,
  stopping?: AbortController,
): Promise<T> {
  const release = io.onInterrupt(() => {
    io.stderr(
      'stopping: ending the steps, then the abort and exit handlers ' +
        '(Ctrl-C again to leave at once)\n',
    );
    stopping?.abort();
    engine.stopAll();
  });
  try {
    return await run();
  } finally {
    release();
  }
}

function finishRun(io: CliIo, outcome: RunOutcome): void {
  io.stderr(formatOutcome(runSummary(outcome.run)));
  if (outcome.status !== RUN_STATUS.succeeded)
    throw new ExitWith(EXIT.runFailed);
}
