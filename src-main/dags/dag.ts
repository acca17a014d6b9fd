/**
 * A DAG as Dagdesk runs it: the Dagu YAML subset, parsed, validated and
 * normalised, so the run engine never sees the several YAML spellings.
 */

/** `KEY: value` pairs in the order they were written; later ones win. */
export type EnvEntries = ReadonlyArray<readonly [key: string, value: string]>;

/** A parameter's default: named, or positional (named "1", "2", ...). */
export interface ParamDefault {
  name: string;
  value: string;
  positional: boolean;
  description?: string;
  required?: boolean;
  enum?: string[];
}

export type DagSecret =
  | { name: string; provider: 'env'; key: string }
  | { name: string; provider: 'file'; key: string }
  | { name: string; ref: string };

/** A shell condition (exit 0 passes), or a value matched line by line. */
export interface Precondition {
  condition: string;
  expected?: string;
  negate: boolean;
}

export type StepAction =
  /** Command lines, each run by the shell in turn, stopping at a failure. */
  | { kind: 'commands'; lines: string[] }
  /** A script written to a file and run by the shell or its shebang. */
  | { kind: 'script'; script: string; interpreter?: string[] }
  /** A sub-DAG: run and waited for, or enqueued. */
  | {
      kind: 'dag.run' | 'dag.enqueue';
      dag: string;
      params: string;
      queue?: string;
    };

export interface ContinueOn {
  failed: boolean;
  skipped: boolean;
  exitCodes: number[];
  /** Substrings of stdout lines, or `re:` regular expressions. */
  output: string[];
  markSuccess: boolean;
}

export interface RetryPolicy {
  limit: number;
  intervalSec: number;
  /** Retry only on these exit codes; empty: on any failure. */
  exitCodes: number[];
  /** 0 for a fixed interval, else the growth factor. */
  backoff: number;
  maxIntervalSec: number;
}

export interface Step {
  name: string;
  id?: string;
  description: string;
  action: StepAction;
  shell?: string[];
  workingDir?: string;
  env: EnvEntries;
  /** Names of the steps this one waits for. */
  depends: string[];
  /** The variable its trimmed stdout is published as. */
  output?: string;
  continueOn: ContinueOn;
  retryPolicy?: RetryPolicy;
  preconditions: Precondition[];
  timeoutSec: number;
}

export const HANDLER_KINDS = [
  'init',
  'success',
  'failure',
  'abort',
  'exit',
] as const;
export type HandlerKind = (typeof HANDLER_KINDS)[number];

/** The step name Dagu gives each handler. */
export const HANDLER_STEP_NAMES: Record<HandlerKind, string> = {
  init: 'onInit',
  success: 'onSuccess',
  failure: 'onFailure',
  abort: 'onAbort',
  exit: 'onExit',
};

export interface Dag {
  name: string;
  description: string;
  type: 'graph' | 'chain';
  env: EnvEntries;
  dotenv: string[];
  params: ParamDefault[];
  secrets: DagSecret[];
  workingDir?: string;
  shell?: string[];
  timeoutSec: number;
  maxActiveSteps: number;
  maxOutputSize: number;
  queue?: string;
  preconditions: Precondition[];
  handlers: Partial<Record<HandlerKind, Step>>;
  steps: Step[];
  /** Keys Dagu knows but Dagdesk does not act on, said once per load. */
  ignored: string[];
}

/** A DAG file: its main DAG, the other DAGs of the file, and its text. */
export interface DagFile {
  path: string;
  /** The whole file as read; a retry runs this, not the file of today. */
  source: string;
  main: Dag;
  /** The file's other documents, callable by name as sub-DAGs. */
  locals: Map<string, Dag>;
}

/** Dagu's default limit on a step's captured output. */
export const DEFAULT_MAX_OUTPUT_SIZE = 1024 * 1024;
