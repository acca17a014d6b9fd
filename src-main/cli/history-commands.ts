import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { badRequest, notFound } from '../errors.js';
import { findOrLatestRun, listRuns, readSteps } from '../runs/run-store.js';
import { runDetails, runSummary } from '../runs/run-view.js';
import { RUN_STATUS_LABELS, runStatusFromLabel } from '../runs/status.js';
import { type WithCore, dagNameOf } from './context.js';
import type { CliIo } from './io.js';
import { json } from './profile-output.js';
import { formatDetails, formatHistory } from './run-output.js';

const HISTORY_LIMIT = 100;

/** `status`, `history`, `logs`: what the run history holds, masked. */
export function addHistoryCommands(
  program: Command,
  io: CliIo,
  withCore: WithCore,
): void {
  program
    .command('status <dag>')
    .description(
      'show a run (the latest by default) with its steps and profile',
    )
    .option('--run-id <id>', 'the run')
    .option('--json', 'print JSON')
    .action((dag: string, opts: { runId?: string; json?: boolean }) =>
      withCore((core) => {
        const run = findOrLatestRun(
          core.db,
          dagNameOf(core, io, dag),
          opts.runId,
        );
        const details = runDetails(core.db, core.home, run);
        io.stdout(opts.json ? json(details) : formatDetails(details));
      }),
    );

  program
    .command('history [dag]')
    .description('list runs, newest first')
    .option(
      '--status <labels>',
      `only runs with these statuses, comma-separated (${RUN_STATUS_LABELS.join(', ')})`,
    )
    .option('--limit <n>', `at most this many (default ${HISTORY_LIMIT})`)
    .option('--json', 'print JSON')
    .action(
      (
        dag: string | undefined,
        opts: { status?: string; limit?: string; json?: boolean },
      ) =>
        withCore((core) => {
          const runs = listRuns(core.db, {
            dagName: dag === undefined ? undefined : dagNameOf(core, io, dag),
            statuses: opts.status?.split(',').map(statusOf),
            limit: limitOf(opts.limit),
          }).map(runSummary);
          io.stdout(opts.json ? json(runs) : formatHistory(runs));
        }),
    );

  program
    .command('logs <dag>')
    .description("print a run's masked step logs")
    .requiredOption('--run-id <id>', 'the run')
    .option('--step <name>', 'only this step')
    .option('--stderr', 'standard error instead of standard output')
    .action(
      (dag: string, opts: { runId: string; step?: string; stderr?: boolean }) =>
        withCore((core) => {
          const run = findOrLatestRun(
            core.db,
            dagNameOf(core, io, dag),
            opts.runId,
          );
          const steps = run.latest_attempt
            ? readSteps(core.db, run.latest_attempt)
            : [];
          const chosen =
            opts.step === undefined
              ? steps
              : steps.filter((s) => s.name === opts.step);
          if (opts.step !== undefined && chosen.length === 0) {
            throw notFound(
              `step ${JSON.stringify(opts.step)} not found in run ` +
                `${run.run_id} (steps: ${steps.map((s) => s.name).join(', ')})`,
            );
          }
          for (const step of chosen) {
            const path = opts.stderr ? step.stderr_path : step.stdout_path;
            if (chosen.length > 1) io.stdout(`==> ${step.name} <==\n`);
            if (path && existsSync(path)) io.stdout(readFileSync(path, 'utf8'));
          }
        }),
    );
}

function statusOf(label: string) {
  const status = runStatusFromLabel(label.trim());
  if (status === undefined) {
    throw badRequest(
      `unknown status ${JSON.stringify(label)}: use ${RUN_STATUS_LABELS.join(', ')}`,
    );
  }
  return status;
}

function limitOf(text: string | undefined): number {
  if (text === undefined) return HISTORY_LIMIT;
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
    throw badRequest(
      `--limit must be a whole number from 1 to 10000, got ${JSON.stringify(text)}`,
    );
  }
  return limit;
}
