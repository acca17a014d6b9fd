import type { Dag, HandlerKind, Step } from '../dags/dag.js';
import type { RunParams } from '../dags/params.js';
import type { Masker } from '../masking/masker.js';
import type { Vault } from '../secrets/vault.js';
import type { Db } from '../store/database.js';
import type { Layer } from './environment.js';
import type { RunRow } from './run-store.js';
import type { NodeStatus } from './status.js';
import type { OutputTargets } from './step-output.js';

/** One step (or handler) of an attempt, as it stands. */
export interface NodeState {
  step: Step;
  position: number;
  handler?: HandlerKind;
  status: NodeStatus;
  exitCode?: number;
  startedAt?: string;
  finishedAt?: string;
  error?: string;
  retryCount: number;
  doneCount: number;
  stdoutPath?: string;
  stderrPath?: string;
  /** The real published value; `kept` is false when it could not be sealed. */
  output?: { value: string; kept: boolean };
  processGroup?: number;
}

/** What a sub-DAG step reports back. */
export interface SubDagResult {
  status: NodeStatus;
  error?: string;
  /** Written to the step's stdout, as Dagu writes a child's summary. */
  summary: string;
}

/** Runs the sub-DAG a `dag.run` or `dag.enqueue` step names. */
export interface SubDagRunner {
  run(
    node: NodeState,
    env: ReadonlyMap<string, string>,
    signal: AbortSignal,
  ): Promise<SubDagResult>;
}

/** A line of progress, for whoever shows the run as it goes. */
export type ProgressEvent =
  | { kind: 'step-started'; step: string }
  | { kind: 'step-finished'; step: string; status: NodeStatus; error?: string }
  | { kind: 'run-note'; text: string };

/** Everything one attempt of one run needs while it runs. */
export interface AttemptRuntime {
  db: Db;
  vault: Vault;
  run: RunRow;
  attemptId: string;
  dag: Dag;
  dagDir: string;
  workingDir: string;
  /** The DAG's shell, or the host's; `-e` is added per step. */
  shell: string[];
  params: RunParams;
  /** The run's environment layers, up to DAG secrets. */
  layers: Layer[];
  masker: Masker;
  logDir: string;
  /** Stop: ends running steps; handlers still run. */
  stop: AbortSignal;
  targets: OutputTargets;
  subDags: SubDagRunner;
  progress: (event: ProgressEvent) => void;
}
