import { execa } from 'execa';
import type { Precondition } from '../dags/dag.js';
import { evaluateValue } from './expand.js';

/** Why a precondition failed, or undefined when all of them hold. */
export async function unmetPrecondition(
  conditions: readonly Precondition[],
  env: ReadonlyMap<string, string>,
  shell: readonly string[],
  cwd: string,
): Promise<string | undefined> {
  for (const condition of conditions) {
    const unmet = await check(condition, env, shell, cwd);
    if ((unmet !== undefined) !== condition.negate) {
      return (
        unmet ??
        `condition ${JSON.stringify(condition.condition)} was met, and negate is set`
      );
    }
  }
  return undefined;
}

/**
 * With `expected`: the evaluated condition must equal it (or match it,
 * with `re:`), line by line. Without: the condition runs as a command,
 * and exit status 0 passes.
 */
async function check(
  condition: Precondition,
  env: ReadonlyMap<string, string>,
  shell: readonly string[],
  cwd: string,
): Promise<string | undefined> {
  if (condition.expected === undefined) {
    const result = await execa(
      shell[0]!,
      [...shell.slice(1), '-c', condition.condition],
      {
        env: Object.fromEntries(env),
        extendEnv: false,
        cwd,
        stdin: 'ignore',
        reject: false,
      },
    );
    if (result.exitCode === 0) return undefined;
    return (
      `condition ${JSON.stringify(condition.condition)} exited with status ` +
      `${result.exitCode ?? 'unknown'}`
    );
  }
  const actual = evaluateValue(condition.condition, env, shell);
  if (matches(actual, condition.expected)) return undefined;
  return (
    'condition was not met: expected ' +
    `${JSON.stringify(condition.expected)}, got ${JSON.stringify(actual)}`
  );
}

function matches(actual: string, expected: string): boolean {
  const lines = actual.split(/\r?\n/);
  if (expected.startsWith('re:')) {
    const pattern = new RegExp(expected.slice(3));
    return lines.some((line) => pattern.test(line));
  }
  return lines.some((line) => line === expected) || actual === expected;
}
