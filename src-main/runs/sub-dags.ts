import { timestamp } from '../clock.js';
import type { Dag, DagFile } from '../dags/dag.js';
import { resolveDagPath } from '../dags/dag-files.js';
import { loadDagFile } from '../dags/dag-loader.js';
import { paramsText, resolveParams, tokensFromText } from '../dags/params.js';
import type {
  NodeState,
  SubDagResult,
  SubDagRunner,
} from './attempt-runtime.js';
import type { PreparedAttempt } from './attempt-setup.js';
import type { Vault } from '../secrets/vault.js';
import type { Db } from '../store/database.js';
import { expandVariables } from './expand.js';
import { inheritedContext, paramsContext } from './node-record.js';

import { childRunId, newAttemptId } from './run-ids.js';
import * as store from './run-store.js';
import {
  NODE_STATUS,
  RUN_STATUS,
  type RunStatus,
  runStatusLabel,
} from './status.js';

/** What sub-DAGs need of the engine that runs their parent. */
export interface ChildRunner {
  readonly db: Db;
  readonly options: { dagsDir: string; vault: Vault };
  runAttempt(
    run: store.RunRow,
    attemptId: string,
    plan: {
      mode: 'inherit';
      inherited: readonly string[];
      parentStop: AbortSignal;
    },
  ): Promise<{ run: store.RunRow; status: RunStatus; error?: string }>;
}

/**
 * Runs the sub-DAGs of one attempt. A child inherits the parent's profile
 * by name and resolves it itself; the parent's secret values join the
 * child's masks, sealed in its row so a retry of the child keeps them.
 */
export class SubDags implements SubDagRunner {
  constructor(
    private readonly engine: ChildRunner,
    private readonly parent: store.RunRow,
    private readonly prepared: PreparedAttempt,
  ) {}

  async run(
    node: NodeState,
    env: ReadonlyMap<string, string>,
    signal: AbortSignal,
  ): Promise<SubDagResult> {
    const action = node.step.action;
    if (action.kind !== 'dag.run' && action.kind !== 'dag.enqueue') {
      throw new Error(`step ${node.step.name} is not a sub-DAG step`);
    }
    let child: { file: DagFile; dag: Dag };
    let params: ReturnType<typeof resolveParams>;
    try {
      child = this.find(expandVariables(action.dag, env));
      params = resolveParams(
        child.dag.params,
        tokensFromText(expandVariables(action.params, env)),
      );
    } catch (error) {
      return {
        status: NODE_STATUS.failed,
        error: (error as Error).message,
        summary: '{}',
      };
    }
    const runId = childRunId(
      this.parent.run_id,
      node.step.name,
      child.dag.name,
      JSON.stringify(params),
    );
    const queued = action.kind === 'dag.enqueue';
    const existing = store.findRun(this.engine.db, child.dag.name, runId);
    const run =
      existing ?? this.insertChild(child, runId, params, queued, action.queue);

    if (queued) return this.enqueued(run, params, existing !== undefined);
    const outcome = await this.engine.runAttempt(run, newAttemptId(), {
      mode: 'inherit',
      inherited: this.prepared.secrets,
      parentStop: signal,
    });
    return this.finished(outcome.run, params, outcome.status, outcome.error);
  }

  /** The parent file's own DAGs first, then the DAGs folder. */
  private find(name: string): { file: DagFile; dag: Dag } {
    const file = this.prepared.dagFile;
    const local = file.main.name === name ? file.main : file.locals.get(name);
    if (local) return { file, dag: local };
    const other = loadDagFile(
      resolveDagPath(name, this.engine.options.dagsDir),
    );
    return { file: other, dag: other.main };
  }

  private insertChild(
    child: { file: DagFile; dag: Dag },
    runId: string,
    params: ReturnType<typeof resolveParams>,
    queued: boolean,
    queue: string | undefined,
  ): store.RunRow {
    const identity = { dag_name: child.dag.name, run_id: runId };
    const real = JSON.stringify(params);
    const shown = this.prepared.masker.maskText(real);
    return store.insertRun(this.engine.db, {
      ...identity,
      dag_file: child.file.path,
      dag_source: child.file.source,
      params: shown,
      params_sealed:
        shown === real
          ? null
          : this.seal(paramsContext(identity), real, identity.dag_name),
      profile_name: this.parent.profile_name,
      queue: queue || child.dag.queue || child.dag.name,
      status: queued ? RUN_STATUS.queued : RUN_STATUS.running,
      trigger_type: 'subdag',
      // A queued child is a run of its own, as in Dagu; a run child is not.
      root_name: queued ? child.dag.name : this.parent.root_name,
      root_run_id: queued ? runId : this.parent.root_run_id,
      parent_name: queued ? null : this.parent.dag_name,
      parent_run_id: queued ? null : this.parent.run_id,
      inherited_masks: this.sealMasks(identity),
      created_at: timestamp(),
      queued_at: queued ? timestamp() : null,
    });
  }

  /**
   * A child may run later, in another process, or be retried: it needs the
   * parent's secrets for its masks, sealed, or it could print them. When
   * they cannot be sealed, the child is not started at all.
   */
  private sealMasks(identity: {
    dag_name: string;
    run_id: string;
  }): Buffer | null {
    const secrets = this.prepared.secrets;
    if (secrets.length === 0) return null;
    return this.seal(
      inheritedContext(identity),
      JSON.stringify(secrets),
      identity.dag_name,
    );
  }

  private seal(context: string, text: string, dag: string): Buffer {
    try {
      return this.engine.options.vault.sealText(context, text);
    } catch (error) {
      throw new Error(
        `cannot start ${dag}: the secrets its parent passes cannot be ` +
          `sealed for it (${(error as Error).message})`,
      );
    }
  }

  private enqueued(
    run: store.RunRow,
    params: ReturnType<typeof resolveParams>,
    alreadyExists: boolean,
  ): SubDagResult {
    const summary = {
      name: run.dag_name,
      dagRunId: run.run_id,
      params: paramsText(params),
      queue: run.queue,
      status: runStatusLabel(run.status),
      ...(alreadyExists ? { alreadyExists: true } : {}),
    };
    return {
      status: NODE_STATUS.succeeded,
      summary: JSON.stringify(summary, null, 2),
    };
  }

  private finished(
    run: store.RunRow,
    params: ReturnType<typeof resolveParams>,
    status: RunStatus,
    error: string | undefined,
  ): SubDagResult {
    const outputs = run.latest_attempt
      ? Object.fromEntries(
          store
            .readSteps(this.engine.db, run.latest_attempt)
            .filter((s) => s.output_masked !== null && s.handler === null)
            .map((s) => [
              JSON.parse(s.definition).output as string,
              s.output_masked!,
            ]),
        )
      : {};
    const summary = JSON.stringify(
      {
        name: run.dag_name,
        dagRunId: run.run_id,
        params: paramsText(params),
        outputs,
        status: runStatusLabel(status),
      },
      null,
      2,
    );
    if (status === RUN_STATUS.succeeded)
      return { status: NODE_STATUS.succeeded, summary };
    if (status === RUN_STATUS.partiallySucceeded)
      return { status: NODE_STATUS.partiallySucceeded, summary };
    return {
      status: NODE_STATUS.failed,
      error:
        `sub DAG run ${run.run_id} failed with status: ` +
        `${runStatusLabel(status)}${error ? ` (${error})` : ''}`,
      summary,
    };
  }
}
