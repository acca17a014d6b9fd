import type { Step } from '../dags/dag.js';
import type { AttemptRuntime, NodeState } from './attempt-runtime.js';
import { type RunRow, type StepRow, saveStep } from './run-store.js';

/**
 * A step as the run history shows it, in Dagu's `Step` shape. It is
 * masked before it is stored: a command line may spell a secret.
 */
export function stepDefinition(step: Step): Record<string, unknown> {
  const action = step.action;
  const definition: Record<string, unknown> = {
    name: step.name,
    commands:
      action.kind === 'commands'
        ? action.lines.map((command) => ({ command }))
        : [],
    preconditions: step.preconditions.map((p) => ({
      condition: p.condition,
      ...(p.expected !== undefined ? { expected: p.expected } : {}),
      ...(p.negate ? { negate: true } : {}),
    })),
  };
  if (step.id) definition.id = step.id;
  if (step.description) definition.description = step.description;
  if (step.depends.length > 0) definition.depends = step.depends;
  if (step.workingDir) definition.dir = step.workingDir;
  if (step.output) definition.output = step.output;
  if (step.timeoutSec > 0) definition.timeoutSec = step.timeoutSec;
  if (action.kind === 'script') definition.script = action.script;
  if (action.kind === 'dag.run' || action.kind === 'dag.enqueue') {
    definition.call = action.dag;
    if (action.params) definition.params = action.params;
    definition.executorConfig = {
      type: action.kind === 'dag.run' ? 'dag' : 'dag_enqueue',
    };
  }
  return definition;
}

/** Where a step's sealed output is bound, so it opens nowhere else. */
function outputContext(rt: AttemptRuntime, node: NodeState): string {
  return `output:${rt.run.dag_name}:${rt.run.run_id}:${node.step.name}`;
}

/** Where the secrets a parent sealed for a child run are bound. */
export function inheritedContext(
  run: Pick<RunRow, 'dag_name' | 'run_id'>,
): string {
  return `inherited:${run.dag_name}:${run.run_id}`;
}

/** Where a child's real parameters are sealed, when they hold a secret. */
export function paramsContext(
  run: Pick<RunRow, 'dag_name' | 'run_id'>,
): string {
  return `params:${run.dag_name}:${run.run_id}`;
}

/** Saves a node's state; secrets in it are masked, its output sealed. */
export function recordNode(rt: AttemptRuntime, node: NodeState): void {
  const mask = (text: string | undefined) =>
    text === undefined ? null : rt.masker.maskText(text);
  const output = node.output;
  const masked = output ? rt.masker.maskText(output.value) : null;
  let sealed: Buffer | null = null;
  let kept = output?.kept ?? true;
  if (output && masked !== output.value && kept) {
    try {
      sealed = rt.vault.sealText(outputContext(rt, node), output.value);
    } catch {
      // No way to keep it safely: a retry runs this step again instead.
      kept = false;
    }
  }
  const row: StepRow = {
    attempt: rt.attemptId,
    position: node.position,
    name: node.step.name,
    handler: node.handler ?? null,
    definition: rt.masker.maskText(JSON.stringify(stepDefinition(node.step))),
    status: node.status,
    exit_code: node.exitCode ?? null,
    started_at: node.startedAt ?? null,
    finished_at: node.finishedAt ?? null,
    error: mask(node.error),
    retry_count: node.retryCount,
    done_count: node.doneCount,
    stdout_path: node.stdoutPath ?? null,
    stderr_path: node.stderrPath ?? null,
    output_masked: masked,
    output_sealed: sealed,
    output_kept: kept ? 1 : 0,
    process_group: node.processGroup ?? null,
  };
  saveStep(rt.db, row);
}

/** The real output of a step recorded by an earlier attempt, if kept. */
export function restoredOutput(
  rt: AttemptRuntime,
  node: NodeState,
  row: StepRow,
): NodeState['output'] {
  if (row.output_masked === null) return undefined;
  if (row.output_kept === 0) return { value: row.output_masked, kept: false };
  if (row.output_sealed === null)
    return { value: row.output_masked, kept: true };
  try {
    return {
      value: rt.vault.openText(outputContext(rt, node), row.output_sealed),
      kept: true,
    };
  } catch {
    return { value: row.output_masked, kept: false };
  }
}
