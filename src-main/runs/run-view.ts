import type { HandlerKind } from '../dags/dag.js';
import { HANDLER_STEP_NAMES } from '../dags/dag.js';
import { parseDagSource } from '../dags/dag-loader.js';
import { paramsText, type RunParams } from '../dags/params.js';
import type { UsedEntry } from '../profiles/resolve.js';
import type { Db } from '../store/database.js';
import { attemptLogDir, runLogFile } from './log-paths.js';
import {
  type AttemptRow,
  type RunRow,
  type StepRow,
  attemptById,
  readSteps,
} from './run-store.js';
import { nodeStatusLabel, runStatusLabel } from './status.js';

/**
 * Runs as the CLI's `--json`, REST and the window show them: Dagu's field
 * names and status codes, plus the profile the run used (never a value;
 * everything here was masked before it was stored).
 */

export interface RunSummary {
  name: string;
  dagRunId: string;
  status: number;
  statusLabel: string;
  startedAt: string;
  finishedAt: string;
  queuedAt?: string;
  params?: string;
  triggerType: string;
  profileName?: string;
  error?: string;
  /** Dagu's fields for features a local run does not have, at their empty values. */
  autoRetryCount: number;
  autoRetryLimit: null;
  artifactsAvailable: boolean;
  workerId: string;
  labels: string[];
  tags: string[];
}

export interface NodeView {
  step: Record<string, unknown>;
  stdout: string;
  stderr: string;
  startedAt: string;
  finishedAt: string;
  status: number;
  statusLabel: string;
  exitCode?: number;
  retryCount: number;
  doneCount: number;
  error?: string;
  outputVariables?: Record<string, string>;
  subRuns: { dagRunId: string; dagName?: string }[];
  subRunsRepeated: { dagRunId: string }[];
}

export interface RunDetails extends RunSummary {
  attemptId: string;
  log: string;
  rootDAGRunName: string;
  rootDAGRunId: string;
  parentDAGRunName?: string;
  parentDAGRunId?: string;
  profileResolvedAt?: string;
  profileEntries?: UsedEntry[];
  nodes: NodeView[];
  preconditions: { condition: string; expected?: string }[];
  onInit?: NodeView;
  onSuccess?: NodeView;
  onFailure?: NodeView;
  onAbort?: NodeView;
  onExit?: NodeView;
}

/** Dagu's fields for what a local run never has: auto-retries, artifacts, labels. */
const LOCAL_RUN = {
  autoRetryCount: 0,
  autoRetryLimit: null,
  artifactsAvailable: false,
  workerId: 'local',
  labels: [] as string[],
  tags: [] as string[],
};

export function runSummary(run: RunRow): RunSummary {
  const params = paramsText(JSON.parse(run.params) as RunParams);
  return {
    name: run.dag_name,
    dagRunId: run.run_id,
    status: run.status,
    statusLabel: runStatusLabel(run.status),
    startedAt: run.started_at ?? '',
    finishedAt: run.finished_at ?? '',
    ...(run.queued_at ? { queuedAt: run.queued_at } : {}),
    ...(params ? { params } : {}),
    triggerType: run.trigger_type,
    ...(run.profile_name ? { profileName: run.profile_name } : {}),
    ...(run.error ? { error: run.error } : {}),
    ...LOCAL_RUN,
  };
}

export function runDetails(db: Db, home: string, run: RunRow): RunDetails {
  const attempt = run.latest_attempt
    ? attemptById(db, run.latest_attempt)
    : undefined;
  const steps = attempt ? readSteps(db, attempt.id) : [];
  const details: RunDetails = {
    ...runSummary(run),
    attemptId: attempt?.id ?? '',
    log: attempt
      ? runLogFile(attemptLogDir(home, run.dag_name, run.run_id, attempt.id))
      : '',
    rootDAGRunName: run.root_name,
    rootDAGRunId: run.root_run_id,
    ...(run.parent_name
      ? {
          parentDAGRunName: run.parent_name,
          parentDAGRunId: run.parent_run_id!,
        }
      : {}),
    ...profileFields(attempt),
    nodes: steps.filter((s) => s.handler === null).map(nodeView),
    preconditions: dagPreconditions(run),
  };
  for (const step of steps) {
    if (step.handler === null) continue;
    const key = HANDLER_STEP_NAMES[
      step.handler as HandlerKind
    ] as keyof RunDetails;
    (details as unknown as Record<string, unknown>)[key] = nodeView(step);
  }
  return details;
}

/** The DAG's own preconditions, as the run's DAG file had them. */
function dagPreconditions(run: RunRow): RunDetails['preconditions'] {
  const file = parseDagSource(run.dag_source, run.dag_file);
  const dag =
    file.main.name === run.dag_name ? file.main : file.locals.get(run.dag_name);
  return (dag?.preconditions ?? []).map((p) => ({
    condition: p.condition,
    ...(p.expected !== undefined ? { expected: p.expected } : {}),
  }));
}

/** A DAG that never ran, as Dagu lists it: an empty summary. */
export function neverRun(name: string): RunSummary {
  return {
    name,
    dagRunId: '',
    status: 0,
    statusLabel: 'not_started',
    startedAt: '',
    finishedAt: '',
    triggerType: 'manual',
    ...LOCAL_RUN,
  };
}

function profileFields(attempt: AttemptRow | undefined) {
  if (!attempt?.profile_resolved_at) return {};
  return {
    profileResolvedAt: attempt.profile_resolved_at,
    profileEntries: JSON.parse(attempt.profile_entries ?? '[]') as UsedEntry[],
  };
}

function nodeView(row: StepRow): NodeView {
  const step = JSON.parse(row.definition) as Record<string, unknown>;
  const view: NodeView = {
    step,
    stdout: row.stdout_path ?? '',
    stderr: row.stderr_path ?? '',
    startedAt: row.started_at ?? '',
    finishedAt: row.finished_at ?? '',
    status: row.status,
    statusLabel: nodeStatusLabel(row.status),
    retryCount: row.retry_count,
    doneCount: row.done_count,
    subRuns: [],
    subRunsRepeated: [],
  };
  if (row.exit_code !== null) view.exitCode = row.exit_code;
  if (row.error !== null) view.error = row.error;
  if (row.output_masked !== null && typeof step.output === 'string') {
    view.outputVariables = { [step.output]: row.output_masked };
  }
  return view;
}
