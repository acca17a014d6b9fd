import { appendFileSync, mkdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  profileNameSchema,
  firstProblem,
} from '../../src-shared/profile-rules.js';
import { timestamp } from '../clock.js';
import { HANDLER_KINDS, type Dag, type DagFile } from '../dags/dag.js';
import { parseDagSource } from '../dags/dag-loader.js';
import {
  type RunParams,
  resolveParams,
  tokenFromArgument,
  tokensFromText,
} from '../dags/params.js';
import { DagdeskError, badRequest, notFound } from '../errors.js';
import { DIR_MODE, FILE_MODE } from '../home.js';
import type {
  AttemptRuntime,
  NodeState,
  ProgressEvent,
} from './attempt-runtime.js';
import {
  type EngineServices,
  type PreparedAttempt,
  SetupFailure,
  pickDag,
  prepareAttempt,
} from './attempt-setup.js';
import { executeAttempt, recordPlan } from './executor.js';
import { makeAttemptLogDir, runLogFile } from './log-paths.js';
import { inheritedContext, restoredOutput } from './node-record.js';
import { planRetry } from './retry-plan.js';
import { checkRunId, newAttemptId, newRunId } from './run-ids.js';
import * as store from './run-store.js';
import {
  NODE_STATUS,
  RUN_STATUS,
  type RunStatus,
  nodeStatusLabel,
} from './status.js';
import type { OutputTargets } from './step-output.js';
import { SubDags } from './sub-dags.js';

/** What the engine needs besides the store: where output and progress go. */
export interface EngineOptions extends EngineServices {
  targets: OutputTargets;
  progress?: (run: store.RunRow, event: ProgressEvent) => void;
}

/** How a run's attempt ended. */
export interface RunOutcome {
  run: store.RunRow;
  attemptId: string;
  status: RunStatus;
  error?: string;
}

/** A new run of a DAG from a file. */
export interface RunRequest {
  file: DagFile;
  /** Which DAG of the file; the first when absent. */
  dagName?: string;
  /** Parameter values, as `-- K=V` arguments give them. */
  params?: readonly string[];
  /** `K=V K2=V2` or JSON, as `--params` or a REST body gives them. */
  paramsText?: string;
  profile?: string;
  runId?: string;
  queue?: string;
}

/** How an attempt starts: fresh, or keeping some steps of the last one. */
export interface AttemptPlan {
  mode: 'use' | 'inherit';
  /** Steps kept from an earlier attempt, by name. */
  kept?: Map<string, store.StepRow>;
  /** Secret values a parent passed down, for this run's masks. */
  inherited?: readonly string[];
  /** Ends this attempt too, as a parent's stop ends its sub-DAGs. */
  parentStop?: AbortSignal;
}

const STOP_POLL_MS = 500;
const HEARTBEAT_EVERY = 10; // polls, so every 5 s

/**
 * Starts, retries, restarts and stops runs. Every attempt resolves its
 * profile and secrets afresh, runs its steps as processes, and records
 * each change in the store, masked.
 */
export class RunEngine {
  readonly #active = new Map<string, AbortController>();
  #poller: NodeJS.Timeout | undefined;
  #polls = 0;

  constructor(readonly options: EngineOptions) {}

  get db() {
    return this.options.db;
  }

  /** The parameters a request gives, applied to its DAG's defaults. */
  paramsFor(request: RunRequest): RunParams {
    const dag = request.dagName
      ? pickDag(request.file, request.dagName)
      : request.file.main;
    return runParams(dag, request);
  }

  /** Starts a run in this process and waits for its end. */
  async start(request: RunRequest): Promise<RunOutcome> {
    return this.launch(request).done;
  }

  /**
   * Records a new run and starts it; bad input throws here, before
   * anything runs. `done` settles when the run has ended.
   */
  launch(request: RunRequest): {
    run: store.RunRow;
    done: Promise<RunOutcome>;
  } {
    const run = this.createRun(request, 'manual', RUN_STATUS.running);
    return { run, done: this.runAttempt(run, newAttemptId(), { mode: 'use' }) };
  }

  /** Records a queued run; a queue worker starts it later. */
  enqueue(request: RunRequest): store.RunRow {
    return this.createRun(request, 'manual', RUN_STATUS.queued);
  }

  /** Re-runs a finished run's failed steps (and what follows them), or one step. */
  async retry(
    dagName: string,
    runId: string,
    stepName?: string,
  ): Promise<RunOutcome> {
    const run = this.requireRun(dagName, runId);
    if (run.status === RUN_STATUS.running || run.status === RUN_STATUS.queued) {
      throw badRequest(
        `run ${runId} of DAG ${dagName} is ${run.status === RUN_STATUS.running ? 'still running' : 'queued'}: retry it once it has ended`,
      );
    }
    const steps = run.latest_attempt
      ? store.readSteps(this.db, run.latest_attempt)
      : [];
    const dag = pickDag(
      parseDagSource(run.dag_source, run.dag_file),
      run.dag_name,
    );
    const kept = planRetry(dag, steps, stepName);
    this.db
      .prepare("UPDATE dag_runs SET trigger_type = 'retry' WHERE id = ?")
      .run(run.id);
    return this.runAttempt({ ...run, trigger_type: 'retry' }, newAttemptId(), {
      mode: 'inherit',
      kept,
    });
  }

  /** Stops a run if it is running, then runs it again as a new run. */
  async restart(dagName: string, runId?: string): Promise<RunOutcome> {
    const run = runId
      ? this.requireRun(dagName, runId)
      : store.latestRun(this.db, dagName);
    if (!run) throw notFound(`DAG ${dagName} has no runs to restart`);
    if (run.status === RUN_STATUS.queued)
      throw badRequest(`run ${run.run_id} is queued: it has not started yet`);
    if (run.status === RUN_STATUS.running) await this.stopAndWait(run);

    const id = newRunId();
    const fresh = store.insertRun(this.db, {
      ...rowFields(run),
      run_id: id,
      status: RUN_STATUS.running,
      trigger_type: 'manual',
      root_name: run.dag_name,
      root_run_id: id,
      created_at: timestamp(),
      queued_at: null,
    });
    return this.runAttempt(fresh, newAttemptId(), { mode: 'inherit' });
  }

  /**
   * Asks the runs of a DAG (or one of them) to stop: a running one ends
   * its steps and runs its abort handler; a queued one never starts.
   */
  stop(dagName: string, runId?: string): store.RunRow[] {
    const runs = runId
      ? [this.requireRun(dagName, runId)]
      : store.listRuns(this.db, {
          dagName,
          statuses: [RUN_STATUS.running, RUN_STATUS.queued],
          limit: 1000,
        });
    const stoppable = runs.filter(
      (r) => r.status === RUN_STATUS.running || r.status === RUN_STATUS.queued,
    );
    if (stoppable.length === 0) {
      throw badRequest(
        runId
          ? `run ${runId} of DAG ${dagName} is not running`
          : `DAG ${dagName} has no running or queued run`,
      );
    }
    for (const run of stoppable) {
      if (run.status === RUN_STATUS.queued) {
        this.db
          .prepare(
            `UPDATE dag_runs SET status = ${RUN_STATUS.aborted}, error = 'stopped before it started', finished_at = ? WHERE id = ? AND status = ${RUN_STATUS.queued}`,
          )
          .run(timestamp(), run.id);
      } else if (run.latest_attempt) {
        store.requestStop(this.db, run.latest_attempt);
        this.#active.get(run.latest_attempt)?.abort();
      }
    }
    return stoppable;
  }

  /** Waits until a run is no longer running (another process may run it). */
  async waitUntilEnded(
    run: store.RunRow,
    timeoutMs = 60_000,
  ): Promise<store.RunRow> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const now = store.runById(this.db, run.id)!;
      if (now.status !== RUN_STATUS.running || Date.now() > deadline)
        return now;
      await sleep(100);
    }
  }

  /** Stops every attempt this process runs, as Ctrl-C does. */
  stopAll(): void {
    for (const [attemptId, controller] of this.#active) {
      store.requestStop(this.db, attemptId);
      controller.abort();
    }
  }

  get activeCount(): number {
    return this.#active.size;
  }

  /** Runs one attempt of `run` to its end and records how it ended. */
  async runAttempt(
    run: store.RunRow,
    attemptId: string,
    plan: AttemptPlan,
    claimed = false,
  ): Promise<RunOutcome> {
    if (!claimed) {
      store.insertAttempt(this.db, {
        id: attemptId,
        run: run.id,
        launcher_pid: process.pid,
        created_at: timestamp(),
      });
    }
    const controller = new AbortController();
    plan.parentStop?.addEventListener('abort', () => controller.abort(), {
      once: true,
    });
    this.track(attemptId, controller);
    try {
      const outcome = await this.execute(
        run,
        attemptId,
        plan,
        controller.signal,
      );
      store.updateAttempt(this.db, attemptId, {
        status: outcome.status,
        error: outcome.error ?? null,
        finished_at: timestamp(),
      });
      return { run: store.runById(this.db, run.id)!, attemptId, ...outcome };
    } finally {
      this.untrack(attemptId);
    }
  }

  close(): void {
    clearInterval(this.#poller);
    this.#poller = undefined;
  }

  private async execute(
    run: store.RunRow,
    attemptId: string,
    plan: AttemptPlan,
    stop: AbortSignal,
  ) {
    const progress = (event: ProgressEvent) =>
      this.options.progress?.(run, event);
    let prepared: PreparedAttempt;
    try {
      prepared = prepareAttempt(
        this.options,
        run,
        attemptId,
        plan.mode,
        plan.inherited ?? inheritedMasks(this.options, run),
      );
    } catch (error) {
      if (!(error instanceof SetupFailure)) throw error;
      if (error.profile) this.recordProfile(attemptId, error.profile);
      progress({ kind: 'run-note', text: error.message });
      return { status: RUN_STATUS.failed, error: error.message };
    }
    if (prepared.profile) this.recordProfile(attemptId, prepared.profile);
    makeAttemptLogDir(this.options.home, prepared.logDir);
    const runLog = runLogFile(prepared.logDir);
    const logged = (event: ProgressEvent) => {
      appendFileSync(runLog, prepared.masker.maskText(logLine(event)), {
        mode: FILE_MODE,
      });
      progress(event);
    };
    mkdirSync(prepared.workingDir, { recursive: true, mode: DIR_MODE });

    const rt: AttemptRuntime = {
      db: this.db,
      vault: this.options.vault,
      run,
      attemptId,
      dag: prepared.dag,
      dagDir: prepared.dagDir,
      workingDir: prepared.workingDir,
      shell: prepared.shell,
      params: prepared.params,
      layers: prepared.layers,
      masker: prepared.masker,
      logDir: prepared.logDir,
      stop,
      targets: this.options.targets,
      subDags: new SubDags(this, run, prepared),
      progress: logged,
    };
    const { nodes, handlers } = planNodes(rt, prepared.dag, plan.kept);
    recordPlan(rt, [...nodes, ...handlers.values()]);
    const result = await executeAttempt(rt, nodes, handlers);
    return {
      status: result.status,
      error:
        result.error === undefined
          ? undefined
          : rt.masker.maskText(result.error),
    };
  }

  private recordProfile(
    attemptId: string,
    profile: NonNullable<PreparedAttempt['profile']>,
  ) {
    store.updateAttempt(this.db, attemptId, {
      profile_resolved_at: profile.profileResolvedAt,
      profile_entries: JSON.stringify(profile.profileEntries),
    });
  }

  private createRun(
    request: RunRequest,
    trigger: store.RunRow['trigger_type'],
    status: RunStatus,
  ): store.RunRow {
    const dag = request.dagName
      ? pickDag(request.file, request.dagName)
      : request.file.main;
    const params = runParams(dag, request);
    const profile = checkProfileName(request.profile);
    const id =
      request.runId === undefined ? newRunId() : checkRunId(request.runId);
    const now = timestamp();
    try {
      return store.insertRun(this.db, {
        dag_name: dag.name,
        run_id: id,
        dag_file: request.file.path,
        dag_source: request.file.source,
        params: JSON.stringify(params),
        params_sealed: null,
        profile_name: profile ?? null,
        queue: request.queue || dag.queue || dag.name,
        status,
        trigger_type: trigger,
        root_name: dag.name,
        root_run_id: id,
        parent_name: null,
        parent_run_id: null,
        inherited_masks: null,
        created_at: now,
        queued_at: status === RUN_STATUS.queued ? now : null,
      });
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new DagdeskError(
          'already_exists',
          `dag-run ID ${id} already exists for DAG ${dag.name}`,
        );
      }
      throw error;
    }
  }

  private requireRun(dagName: string, runId: string): store.RunRow {
    const run = store.findRun(this.db, dagName, runId);
    if (!run)
      throw notFound(`dag-run ID ${runId} not found for DAG ${dagName}`);
    return run;
  }

  private async stopAndWait(run: store.RunRow): Promise<void> {
    this.stop(run.dag_name, run.run_id);
    const ended = await this.waitUntilEnded(run);
    if (ended.status === RUN_STATUS.running) {
      throw badRequest(`run ${run.run_id} did not stop in time; try again`);
    }
  }

  private track(attemptId: string, controller: AbortController): void {
    this.#active.set(attemptId, controller);
    this.#poller ??= setInterval(() => this.poll(), STOP_POLL_MS).unref();
  }

  private untrack(attemptId: string): void {
    this.#active.delete(attemptId);
    if (this.#active.size === 0) this.close();
  }

  // Another process asks for a stop through the store; this one checks.
  private poll(): void {
    const ids = [...this.#active.keys()];
    if (++this.#polls % HEARTBEAT_EVERY === 0) store.heartbeat(this.db, ids);
    for (const id of ids) {
      if (store.attemptById(this.db, id)?.stop_requested === 1)
        this.#active.get(id)?.abort();
    }
  }
}

/** The run's steps and handlers, fresh or kept from the attempt before. */
function planNodes(
  rt: AttemptRuntime,
  dag: Dag,
  kept?: Map<string, store.StepRow>,
) {
  const nodes = dag.steps.map((step, position): NodeState => {
    const node: NodeState = {
      step,
      position,
      status: NODE_STATUS.notStarted,
      retryCount: 0,
      doneCount: 0,
    };
    const row = kept?.get(step.name);
    if (!row) return node;
    return {
      ...node,
      status: row.status,
      exitCode: row.exit_code ?? undefined,
      startedAt: row.started_at ?? undefined,
      finishedAt: row.finished_at ?? undefined,
      error: row.error ?? undefined,
      retryCount: row.retry_count,
      doneCount: row.done_count,
      stdoutPath: row.stdout_path ?? undefined,
      stderrPath: row.stderr_path ?? undefined,
      output: restoredOutput(rt, node, row),
    };
  });
  const handlers = new Map(
    HANDLER_KINDS.flatMap((kind, i) => {
      const step = dag.handlers[kind];
      if (!step) return [];
      const node: NodeState = {
        step,
        position: dag.steps.length + i,
        handler: kind,
        status: NODE_STATUS.notStarted,
        retryCount: 0,
        doneCount: 0,
      };
      return [[kind, node] as const];
    }),
  );
  return { nodes, handlers };
}

function runParams(dag: Dag, request: RunRequest): RunParams {
  if (request.params && request.params.length > 0) {
    return resolveParams(dag.params, request.params.map(tokenFromArgument));
  }
  if (request.paramsText)
    return resolveParams(dag.params, tokensFromText(request.paramsText));
  return resolveParams(dag.params, []);
}

function checkProfileName(name: string | undefined): string | undefined {
  if (name === undefined || name.trim() === '') return undefined;
  const parsed = profileNameSchema.safeParse(name.trim());
  if (!parsed.success) throw badRequest(firstProblem(parsed.error));
  return parsed.data;
}

/** The secret values a parent left to this run, sealed in its row. */
function inheritedMasks(services: EngineServices, run: store.RunRow): string[] {
  if (!run.inherited_masks) return [];
  try {
    return JSON.parse(
      services.vault.openText(inheritedContext(run), run.inherited_masks),
    ) as string[];
  } catch (error) {
    throw new SetupFailure(
      `cannot open the secrets the parent run passed down: ${(error as Error).message}`,
    );
  }
}

/** The fields of a run that a restart or a child copies. */
export function rowFields(run: store.RunRow): store.NewRun {
  const {
    id: _id,
    latest_attempt: _a,
    started_at: _s,
    finished_at: _f,
    error: _e,
    ...fields
  } = run;
  return fields;
}

/** A line of the run's own log (`DAG_RUN_LOG_FILE`). */
function logLine(event: ProgressEvent): string {
  const at = timestamp();
  if (event.kind === 'run-note') return `${at} ${event.text}\n`;
  if (event.kind === 'step-started')
    return `${at} step ${event.step} started\n`;
  const why = event.error ? `: ${event.error}` : '';
  return `${at} step ${event.step} ${nodeStatusLabel(event.status)}${why}\n`;
}
