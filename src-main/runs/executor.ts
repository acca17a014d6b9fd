import type { HandlerKind } from '../dags/dag.js';
import type { AttemptRuntime, NodeState } from './attempt-runtime.js';
import {
  isDone,
  mayContinueAfterFailure,
  mayContinueAfterSkip,
} from './continue-on.js';
import { flatten } from './environment.js';
import { recordNode } from './node-record.js';
import { unmetPrecondition } from './preconditions.js';
import {
  NODE_STATUS,
  RUN_STATUS,
  type RunStatus,
  runStatusLabel,
} from './status.js';
import { runStep } from './step-runner.js';

/** How an attempt ended. */
export interface AttemptResult {
  status: RunStatus;
  error?: string;
}

type Decision = 'ready' | 'wait' | 'aborted' | 'skipped';

/**
 * Runs the steps of one attempt in dependency order, at most
 * `max_active_steps` at a time, then its handlers: init first; success,
 * failure or abort by the outcome; exit last, whatever happened.
 */
export async function executeAttempt(
  rt: AttemptRuntime,
  nodes: NodeState[],
  handlers: Map<HandlerKind, NodeState>,
): Promise<AttemptResult> {
  const seconds = rt.dag.timeoutSec;
  const timeout = seconds > 0 ? AbortSignal.timeout(seconds * 1000) : undefined;
  const signal = timeout ? AbortSignal.any([rt.stop, timeout]) : rt.stop;

  const result =
    (await runSteps(rt, nodes, handlers, signal)) ??
    (rt.stop.aborted
      ? { status: RUN_STATUS.aborted, error: 'the run was stopped' }
      : timeout?.aborted
        ? {
            status: RUN_STATUS.failed,
            error: `the DAG timed out after ${seconds} s`,
          }
        : await settle(nodes));
  return runHandlers(rt, nodes, handlers, result);
}

/** Why no step ran (unmet preconditions, a failed init), or nothing. */
async function runSteps(
  rt: AttemptRuntime,
  nodes: NodeState[],
  handlers: Map<HandlerKind, NodeState>,
  signal: AbortSignal,
): Promise<AttemptResult | undefined> {
  const runEnv = flatten(rt.layers);
  const unmet = await unmetPrecondition(
    rt.dag.preconditions,
    runEnv,
    rt.shell,
    rt.workingDir,
  );
  if (unmet !== undefined) {
    rt.progress({
      kind: 'run-note',
      text: `preconditions not met, nothing runs: ${unmet}`,
    });
    return {
      status: RUN_STATUS.aborted,
      error: `preconditions not met: ${unmet}`,
    };
  }
  const init = handlers.get('init');
  if (init) {
    await runHandler(rt, init, nodes, RUN_STATUS.running);
    if (init.status !== NODE_STATUS.succeeded) {
      return {
        status: RUN_STATUS.aborted,
        error: `the init handler failed: ${init.error ?? ''}`,
      };
    }
  }
  await schedule(rt, nodes, signal);
  return undefined;
}

async function schedule(
  rt: AttemptRuntime,
  nodes: NodeState[],
  signal: AbortSignal,
) {
  const byName = new Map(nodes.map((n) => [n.step.name, n]));
  const running = new Map<string, Promise<void>>();
  const limit = rt.dag.maxActiveSteps || Infinity;

  for (;;) {
    if (!signal.aborted) {
      for (const node of nodes) {
        if (
          node.status !== NODE_STATUS.notStarted ||
          running.has(node.step.name)
        )
          continue;
        const decision = await decide(node, byName);
        if (decision === 'aborted' || decision === 'skipped') {
          settleUnstarted(rt, node, decision);
        } else if (decision === 'ready' && running.size < limit) {
          const outputs = upstreamOutputs(node, byName);
          const done = runStep(rt, node, outputs, signal).then(() => {
            running.delete(node.step.name);
          });
          running.set(node.step.name, done);
        }
      }
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  if (signal.aborted) {
    for (const node of nodes) {
      if (node.status === NODE_STATUS.notStarted)
        settleUnstarted(rt, node, 'aborted');
    }
  }
}

/** Dagu's rules: a failed dependency aborts, a skipped one skips. */
async function decide(
  node: NodeState,
  byName: Map<string, NodeState>,
): Promise<Decision> {
  for (const name of node.step.depends) {
    const dep = byName.get(name)!;
    if (!isDone(dep)) return 'wait';
    if (
      dep.status === NODE_STATUS.failed &&
      !(await mayContinueAfterFailure(dep))
    )
      return 'aborted';
    if (dep.status === NODE_STATUS.aborted) return 'aborted';
    if (dep.status === NODE_STATUS.skipped && !mayContinueAfterSkip(dep))
      return 'skipped';
  }
  return 'ready';
}

function settleUnstarted(
  rt: AttemptRuntime,
  node: NodeState,
  status: 'aborted' | 'skipped',
) {
  node.status =
    status === 'aborted' ? NODE_STATUS.aborted : NODE_STATUS.skipped;
  node.error = status === 'aborted' ? 'upstream failed' : 'upstream skipped';
  recordNode(rt, node);
  rt.progress({
    kind: 'step-finished',
    step: node.step.name,
    status: node.status,
    error: node.error,
  });
}

/**
 * The outputs of every step this one depends on, directly or not; a
 * nearer step's value wins over a farther one's of the same name.
 */
function upstreamOutputs(
  node: NodeState,
  byName: Map<string, NodeState>,
): [string, string][] {
  const order: NodeState[] = [];
  const seen = new Set<string>();
  let frontier = node.step.depends;
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const name of frontier) {
      if (seen.has(name)) continue;
      seen.add(name);
      const dep = byName.get(name)!;
      order.push(dep);
      next.push(...dep.step.depends);
    }
    frontier = next;
  }
  return order
    .reverse()
    .filter((dep) => dep.output && dep.step.output)
    .map((dep) => [dep.step.output!, dep.output!.value]);
}

/** The run's status from its steps, as Dagu computes it. */
async function settle(nodes: NodeState[]): Promise<AttemptResult> {
  const failed = nodes.filter((n) => n.status === NODE_STATUS.failed);
  const aborted = nodes.filter((n) => n.status === NODE_STATUS.aborted);
  if (failed.length === 0 && aborted.length === 0)
    return { status: RUN_STATUS.succeeded };

  const error = failed.concat(aborted).map(describeFailure).join('; ');
  const continuable = await Promise.all(failed.map(mayContinueAfterFailure));
  const succeeded = nodes.some((n) => n.status === NODE_STATUS.succeeded);
  if (aborted.length === 0 && continuable.every(Boolean) && succeeded) {
    return { status: RUN_STATUS.partiallySucceeded, error };
  }
  return { status: RUN_STATUS.failed, error };
}

function describeFailure(node: NodeState): string {
  return `step ${node.step.name}: ${node.error ?? runStatusLabel(RUN_STATUS.failed)}`;
}

async function runHandlers(
  rt: AttemptRuntime,
  nodes: NodeState[],
  handlers: Map<HandlerKind, NodeState>,
  result: AttemptResult,
): Promise<AttemptResult> {
  const kind: HandlerKind =
    result.status === RUN_STATUS.aborted
      ? 'abort'
      : result.status === RUN_STATUS.failed
        ? 'failure'
        : 'success';
  let current = result;
  for (const which of [kind, 'exit'] as const) {
    const handler = handlers.get(which);
    if (!handler) continue;
    await runHandler(rt, handler, nodes, current.status);
    if (
      handler.status !== NODE_STATUS.succeeded &&
      handler.status !== NODE_STATUS.skipped
    ) {
      current = {
        status: RUN_STATUS.failed,
        error: `the ${which} handler failed: ${handler.error ?? ''}`,
      };
    }
  }
  return current;
}

/** A handler sees the run's status and every step's output. */
async function runHandler(
  rt: AttemptRuntime,
  handler: NodeState,
  nodes: NodeState[],
  status: RunStatus,
): Promise<void> {
  const outputs = nodes
    .filter((n) => n.output && n.step.output)
    .map((n) => [n.step.output!, n.output!.value] as const);
  const managed = new Map([['DAG_RUN_STATUS', runStatusLabel(status)]]);
  // A stop ends the steps; the handlers that follow must still run.
  await runStep(rt, handler, outputs, new AbortController().signal, managed);
}

/** Saves the nodes as they are before the attempt starts (for status). */
export function recordPlan(rt: AttemptRuntime, nodes: NodeState[]): void {
  for (const node of nodes) recordNode(rt, node);
}
