import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RetryPolicy } from '../dags/dag.js';
import { timestamp } from '../clock.js';
import { DIR_MODE } from '../home.js';
import type { AttemptRuntime, NodeState } from './attempt-runtime.js';
import { mayContinueAfterFailure } from './continue-on.js';
import { flatten, stepLayers } from './environment.js';
import { expandHome, expandVariables } from './expand.js';
import { recordNode } from './node-record.js';
import { unmetPrecondition } from './preconditions.js';
import { invocations, safeFileName } from './step-command.js';
import { StepOutput } from './step-output.js';
import { TIMEOUT_EXIT_CODE, runProcess } from './step-process.js';
import { NODE_STATUS } from './status.js';

/** How one try of a step ended. */
type TryResult =
  | { kind: 'succeeded' }
  | { kind: 'failed'; exitCode: number; error: string }
  | { kind: 'timed-out' }
  | { kind: 'stopped' };

/**
 * Runs one step to its end: environment, preconditions, every try its
 * retry policy allows, its output; the node is saved at each change.
 */
export async function runStep(
  rt: AttemptRuntime,
  node: NodeState,
  outputs: Iterable<readonly [string, string]>,
  signal: AbortSignal,
  extraManaged: ReadonlyMap<string, string> = new Map(),
): Promise<void> {
  const step = node.step;
  const base = join(rt.logDir, safeFileName(step.name));
  node.stdoutPath = `${base}.out`;
  node.stderrPath = `${base}.err`;
  node.status = NODE_STATUS.running;
  node.startedAt = timestamp();
  node.error = undefined;
  node.exitCode = undefined;
  recordNode(rt, node);
  rt.progress({ kind: 'step-started', step: step.name });

  const output = new StepOutput(
    rt.masker,
    { stdout: node.stdoutPath, stderr: node.stderrPath },
    rt.targets,
    step.output ? rt.dag.maxOutputSize : undefined,
  );
  try {
    await runPrepared(rt, node, outputs, signal, extraManaged, output);
  } catch (error) {
    finish(node, NODE_STATUS.failed, (error as Error).message);
  } finally {
    await output.close();
  }
  node.finishedAt = timestamp();
  node.doneCount++;
  recordNode(rt, node);
  rt.progress({
    kind: 'step-finished',
    step: step.name,
    status: node.status,
    error:
      node.error === undefined ? undefined : rt.masker.maskText(node.error),
  });
}

/** One step's run once its environment is known: what each try needs. */
interface StepTry {
  rt: AttemptRuntime;
  node: NodeState;
  env: ReadonlyMap<string, string>;
  cwd: string;
  signal: AbortSignal;
  output: StepOutput;
}

async function runPrepared(
  rt: AttemptRuntime,
  node: NodeState,
  outputs: Iterable<readonly [string, string]>,
  signal: AbortSignal,
  extraManaged: ReadonlyMap<string, string>,
  output: StepOutput,
): Promise<void> {
  const managed = new Map([
    ['DAG_RUN_STEP_NAME', node.step.name],
    ['DAG_RUN_STEP_STDOUT_FILE', node.stdoutPath!],
    ['DAG_RUN_STEP_STDERR_FILE', node.stderrPath!],
    ...extraManaged,
  ]);
  const layers = stepLayers(rt.layers, managed, outputs, node.step, rt.shell);
  const env = flatten(layers);
  const cwd = stepDir(rt, node, env);

  const conditions = node.step.preconditions;
  const unmet = await unmetPrecondition(conditions, env, rt.shell, cwd);
  if (unmet !== undefined) return finish(node, NODE_STATUS.skipped, unmet);

  const result = await tryUntilDone({ rt, node, env, cwd, signal, output });
  await settle(node, result, output.captured());
}

/** The node's status from its last try and what it printed. */
async function settle(
  node: NodeState,
  result: TryResult,
  captured: ReturnType<StepOutput['captured']>,
): Promise<void> {
  if ('value' in captured && node.step.output) {
    node.output = { value: captured.value, kept: true };
  }
  if (result.kind === 'succeeded') {
    if ('exceeded' in captured) {
      const limit = `${captured.exceeded} bytes (max_output_size)`;
      return finish(
        node,
        NODE_STATUS.failed,
        `output exceeded the limit of ${limit}`,
      );
    }
    node.exitCode = 0;
    return finish(node, NODE_STATUS.succeeded);
  }
  if (result.kind === 'stopped') {
    return finish(node, NODE_STATUS.aborted, 'the step was stopped');
  }
  if (result.kind === 'timed-out') {
    node.exitCode = TIMEOUT_EXIT_CODE;
    const timeout = node.step.timeoutSec;
    return finish(
      node,
      NODE_STATUS.failed,
      `step timed out after ${timeout} s`,
    );
  }
  node.exitCode = result.exitCode;
  finish(node, NODE_STATUS.failed, result.error);
  if (
    node.step.continueOn.markSuccess &&
    (await mayContinueAfterFailure(node))
  ) {
    finish(node, NODE_STATUS.succeeded);
  }
}

function finish(node: NodeState, status: NodeState['status'], error?: string) {
  node.status = status;
  node.error = error;
}

/** The step's folder: its `working_dir` against the DAG's, made if missing. */
function stepDir(
  rt: AttemptRuntime,
  node: NodeState,
  env: ReadonlyMap<string, string>,
) {
  const own = node.step.workingDir;
  const dir = own
    ? resolve(rt.workingDir, expandHome(expandVariables(own, env), env))
    : rt.workingDir;
  mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  return dir;
}

async function tryUntilDone(t: StepTry): Promise<TryResult> {
  const { node } = t;
  for (;;) {
    const result = await tryOnce(t);
    const policy = node.step.retryPolicy;
    if (
      result.kind !== 'failed' ||
      !policy ||
      !mayRetry(policy, node, result.exitCode)
    ) {
      return result;
    }
    node.status = NODE_STATUS.retrying;
    node.exitCode = result.exitCode;
    node.error = result.error;
    recordNode(t.rt, node);
    try {
      await sleep(retryDelayMs(policy, node.retryCount), undefined, {
        signal: t.signal,
      });
    } catch {
      return { kind: 'stopped' };
    }
    node.retryCount++;
    t.output.resetCapture();
    t.output.note(
      'stderr',
      `dagdesk: retrying ${node.step.name} (${node.retryCount} of ${policy.limit})\n`,
    );
  }
}

function mayRetry(
  policy: RetryPolicy,
  node: NodeState,
  exitCode: number,
): boolean {
  if (node.retryCount >= policy.limit) return false;
  return policy.exitCodes.length === 0 || policy.exitCodes.includes(exitCode);
}

export function retryDelayMs(
  policy: RetryPolicy,
  retriesSoFar: number,
): number {
  const grown = policy.intervalSec * policy.backoff ** retriesSoFar;
  const seconds =
    policy.backoff > 0
      ? Math.min(grown, policy.maxIntervalSec)
      : policy.intervalSec;
  return seconds * 1000;
}

function tryOnce(t: StepTry): Promise<TryResult> {
  const kind = t.node.step.action.kind;
  return kind === 'dag.run' || kind === 'dag.enqueue'
    ? trySubDag(t)
    : tryCommands(t);
}

async function trySubDag(t: StepTry): Promise<TryResult> {
  const result = await t.rt.subDags.run(t.node, t.env, t.signal);
  t.output.publish(`${result.summary}\n`);
  if (t.signal.aborted) return { kind: 'stopped' };
  const passed: number[] = [
    NODE_STATUS.succeeded,
    NODE_STATUS.partiallySucceeded,
  ];
  if (passed.includes(result.status)) return { kind: 'succeeded' };
  return {
    kind: 'failed',
    exitCode: 1,
    error: result.error ?? 'the sub-DAG failed',
  };
}

/** Each command in turn; the first that fails ends the try. */
async function tryCommands(t: StepTry): Promise<TryResult> {
  const { rt, node } = t;
  const steps = invocations(
    node.step,
    rt.shell,
    rt.params.positional,
    rt.logDir,
  );
  for (const [i, invocation] of steps.entries()) {
    const outcome = await runProcess(
      {
        file: invocation.file,
        args: invocation.args,
        env: Object.fromEntries(t.env),
        cwd: t.cwd,
        timeoutSec: node.step.timeoutSec,
        signal: t.signal,
        onStart: (group) => {
          node.processGroup = group;
          recordNode(rt, node);
        },
      },
      t.output,
    );
    if (outcome.kind === 'timed-out' || outcome.kind === 'stopped')
      return { kind: outcome.kind };
    if (outcome.kind === 'not-started')
      return { kind: 'failed', exitCode: 127, error: outcome.error };
    if (outcome.exitCode !== 0) {
      const which =
        steps.length > 1 ? `command ${i + 1} of ${steps.length} ` : '';
      const said = t.output.lastStderrLine();
      const error = `${which}exited with status ${outcome.exitCode}${said ? `: ${said}` : ''}`;
      return { kind: 'failed', exitCode: outcome.exitCode, error };
    }
  }
  return { kind: 'succeeded' };
}
