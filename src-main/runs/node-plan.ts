import { HANDLER_KINDS, type Dag } from '../dags/dag.js';
import type { AttemptRuntime, NodeState } from './attempt-runtime.js';
import { restoredOutput } from './node-record.js';
import type { StepRow } from './run-store.js';
import { NODE_STATUS } from './status.js';

/**
 * The steps and handlers of an attempt: fresh, or as an earlier attempt
 * left them (a retry keeps the steps that need not run again).
 */
export function planNodes(
  rt: AttemptRuntime,
  dag: Dag,
  kept?: Map<string, StepRow>,
) {
  const nodes = dag.steps.map((step, position): NodeState => {
    const node = freshNode(step, position);
    const row = kept?.get(step.name);
    return row ? keptNode(rt, node, row) : node;
  });
  const handlers = new Map(
    HANDLER_KINDS.flatMap((kind, i) => {
      const step = dag.handlers[kind];
      if (!step) return [];
      const node = { ...freshNode(step, dag.steps.length + i), handler: kind };
      return [[kind, node] as const];
    }),
  );
  return { nodes, handlers };
}

function freshNode(step: NodeState['step'], position: number): NodeState {
  return {
    step,
    position,
    status: NODE_STATUS.notStarted,
    retryCount: 0,
    doneCount: 0,
  };
}

function keptNode(
  rt: AttemptRuntime,
  node: NodeState,
  row: StepRow,
): NodeState {
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
}
