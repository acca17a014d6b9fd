import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { NodeState } from './attempt-runtime.js';
import { NODE_STATUS } from './status.js';

/**
 * Whether the steps after a failed step may run anyway: `continue_on`
 * allows it by flag, by exit code, or by a line of the step's stdout
 * (`re:` for a regular expression), as in Dagu.
 */
export async function mayContinueAfterFailure(
  node: NodeState,
): Promise<boolean> {
  const rule = node.step.continueOn;
  if (rule.failed) return true;
  if (node.exitCode !== undefined && rule.exitCodes.includes(node.exitCode)) {
    return true;
  }
  if (rule.output.length === 0 || !node.stdoutPath) return false;
  return stdoutMatches(node.stdoutPath, rule.output);
}

export function mayContinueAfterSkip(node: NodeState): boolean {
  return node.step.continueOn.skipped;
}

async function stdoutMatches(
  path: string,
  patterns: string[],
): Promise<boolean> {
  const tests = patterns.map((p) =>
    p.startsWith('re:')
      ? (line: string) => new RegExp(p.slice(3)).test(line)
      : (line: string) => line.includes(p),
  );
  const lines = createInterface({
    input: createReadStream(path),
    crlfDelay: Infinity,
  });
  try {
    for await (const line of lines) {
      if (tests.some((test) => test(line))) return true;
    }
  } catch {
    return false;
  }
  return false;
}

/** A finished node whose dependants may start. */
export function isDone(node: NodeState): boolean {
  const done: number[] = [
    NODE_STATUS.succeeded,
    NODE_STATUS.failed,
    NODE_STATUS.skipped,
    NODE_STATUS.aborted,
    NODE_STATUS.partiallySucceeded,
  ];
  return done.includes(node.status);
}
