import { mkdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { timestamp } from '../clock.js';
import { parseDagSource } from '../dags/dag-loader.js';
import { DagdeskError, badRequest, notFound } from '../errors.js';
import { DIR_MODE } from '../home.js';
import type { AttemptRuntime, ProgressEvent } from './attempt-runtime.js';
import {
  type EngineServices,
  type PreparedAttempt,
  SetupFailure,
  inheritedSecrets,
  pickDag,
  prepareAttempt,
} from './attempt-setup.js';
import { AttemptTracker } from './attempt-tracker.js';
import { executeAttempt, recordPlan } from './executor.js';
import { makeAttemptLogDir, runLogFile } from './log-paths.js';
import { planNodes } from './node-plan.js';
import { planRetry } from './retry-plan.js';
import { inheritedContext, paramsContext } from './node-record.js';
import { checkRunId, newAttemptId, newRunId } from './run-ids.js';
import { runLogWriter } from './run-log.js';
import { type RunRequest, checkProfileName, newRunRow } from './run-request.js';
import * as store from './run-store.js';
import { RUN_STATUS, type RunStatus } from './status.js';
import type { OutputTargets } from './step-output.js';
import { SubDags } from './sub-dags.js';

export type { RunRequest } from './run-request.js';

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

/**
 * Starts, retries, restarts and stops runs. Every attempt resolves its
 * profile and secrets afresh, runs its steps as processes, and records
 * each change in the store, masked.
 */
export class RunEngine {
  readonly #attempts: AttemptTracker;

  constructor(readonly options: EngineOptions) {
    this.#attempts = new AttemptTracker(options.db);
  }

  get db() {
    return this.options.db;
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
    const run = this.insert(newRunRow(request, 'manual', RUN_STATUS.running));
    return { run, done: this.runAttempt(run, newAttemptId(), { mode: 'use' }) };
  }

  /** Records a queued run; a queue worker starts it later. */
  enqueue(request: RunRequest): store.RunRow {
    return this.insert(newRunRow(request, 'manual', RUN_STATUS.queued));
  }

  /** Re-runs a finished run's failed steps (and what follows them), or one step. */
  async retry(
    dagName: string,
    runId: string,
    stepName?: string,
  ): Promise<RunOutcome> {
    const run = this.requireRun(dagName, runId);
    if (run.status === RUN_STATUS.running || run.status === RUN_STATUS.queued) {
      const state =
        run.status === RUN_STATUS.running ? 'still running' : 'queued';
      throw badRequest(
        `run ${runId} of DAG ${dagName} is ${state}: retry it once it has ended`,
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
    if (run.status === RUN_STATUS.queued) {
      throw badRequest(`run ${run.run_id} is queued: it has not started yet`);
    }
    if (run.status === RUN_STATUS.running) await this.stopAndWait(run);
    const fresh = this.insert(this.rerunOf(run, newRunId()));
    return this.runAttempt(fresh, newAttemptId(), { mode: 'inherit' });
  }

  /**
   * A new run made from an old one (`start --from-run-id`): its DAG as it
   * was, its params and its profile, unless another profile is named.
   */
  launchFrom(
    dagName: string,
    fromRunId: string,
    options: { runId?: string; profile?: string },
  ): { run: store.RunRow; done: Promise<RunOutcome> } {
    const old = this.requireRun(dagName, fromRunId);
    const row = this.rerunOf(old, options.runId ?? newRunId());
    const profile = options.profile?.trim();
    if (profile) row.profile_name = checkProfileName(profile) ?? null;
    const run = this.insert(row);
    const mode = profile ? 'use' : 'inherit';
    return { run, done: this.runAttempt(run, newAttemptId(), { mode }) };
  }

  /**
   * Asks the runs of a DAG (or one of them) to stop: a running one ends
   * its steps and runs its abort handler; a queued one never starts.
   */
  stop(dagName: string, runId?: string): store.RunRow[] {
    const live = [RUN_STATUS.running, RUN_STATUS.queued] as RunStatus[];
    const runs = runId
      ? [this.requireRun(dagName, runId)]
      : store.listRuns(this.db, { dagName, statuses: live, limit: 1000 });
    const stoppable = runs.filter((r) => live.includes(r.status));
    if (stoppable.length === 0) {
      throw badRequest(
        runId
          ? `run ${runId} of DAG ${dagName} is not running`
          : `DAG ${dagName} has no running or queued run`,
      );
    }
    for (const run of stoppable) {
      if (run.status === RUN_STATUS.queued)
        store.abortQueued(this.db, run.id, timestamp());
      else if (run.latest_attempt) {
        store.requestStop(this.db, run.latest_attempt);
        this.#attempts.stop(run.latest_attempt);
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
    this.#attempts.stopAll();
  }

  /** Runs one attempt of `run` to its end and records how it ended. */
  async runAttempt(
    run: store.RunRow,
    attemptId: string,
    plan: AttemptPlan,
    claimed = false,
  ): Promise<RunOutcome> {
    if (!claimed) {
      const attempt = {
        id: attemptId,
        run: run.id,
        launcher_pid: process.pid,
        created_at: timestamp(),
      };
      store.insertAttempt(this.db, attempt);
    }
    const controller = new AbortController();
    plan.parentStop?.addEventListener('abort', () => controller.abort(), {
      once: true,
    });
    this.#attempts.track(attemptId, controller);
    try {
      const outcome = await this.execute(
        run,
        attemptId,
        plan,
        controller.signal,
      );
      const ended = {
        status: outcome.status,
        error: outcome.error ?? null,
        finished_at: timestamp(),
      };
      store.updateAttempt(this.db, attemptId, ended);
      return { run: store.runById(this.db, run.id)!, attemptId, ...outcome };
    } finally {
      this.#attempts.untrack(attemptId);
    }
  }

  close(): void {
    this.#attempts.close();
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
      const inherited = plan.inherited ?? inheritedSecrets(this.options, run);
      prepared = prepareAttempt(
        this.options,
        run,
        attemptId,
        plan.mode,
        inherited,
      );
    } catch (error) {
      if (!(error instanceof SetupFailure)) throw error;
      if (error.profile) this.recordProfile(attemptId, error.profile);
      progress({ kind: 'run-note', text: error.message });
      return { status: RUN_STATUS.failed, error: error.message };
    }
    if (prepared.profile) this.recordProfile(attemptId, prepared.profile);
    makeAttemptLogDir(this.options.home, prepared.logDir);
    mkdirSync(prepared.workingDir, { recursive: true, mode: DIR_MODE });
    const log = runLogWriter(runLogFile(prepared.logDir), prepared.masker);

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
      progress: (event) => {
        log(event);
        progress(event);
      },
    };
    const { nodes, handlers } = planNodes(rt, prepared.dag, plan.kept);
    recordPlan(rt, [...nodes, ...handlers.values()]);
    const result = await executeAttempt(rt, nodes, handlers);
    const error =
      result.error === undefined ? undefined : rt.masker.maskText(result.error);
    return { status: result.status, error };
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

  /**
   * The row of a new top-level run of `old`'s DAG, params and profile.
   * What was sealed for the old run id is sealed again for the new one.
   */
  private rerunOf(old: store.RunRow, runId: string): store.NewRun {
    checkRunId(runId);
    const reseal = (
      context: (r: store.RunRow) => string,
      sealed: Buffer | null,
    ) => {
      if (!sealed) return null;
      const vault = this.options.vault;
      const fresh = { ...old, run_id: runId };
      return vault.sealText(
        context(fresh),
        vault.openText(context(old), sealed),
      );
    };
    return {
      ...store.rowFields(old),
      run_id: runId,
      status: RUN_STATUS.running,
      trigger_type: 'manual',
      root_name: old.dag_name,
      root_run_id: runId,
      parent_name: null,
      parent_run_id: null,
      params_sealed: reseal(paramsContext, old.params_sealed),
      inherited_masks: reseal(inheritedContext, old.inherited_masks),
      created_at: timestamp(),
      queued_at: null,
    };
  }

  private insert(row: store.NewRun): store.RunRow {
    try {
      return store.insertRun(this.db, row);
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new DagdeskError(
          'already_exists',
          `dag-run ID ${row.run_id} already exists for DAG ${row.dag_name}`,
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
}
