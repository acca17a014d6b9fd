import { z } from 'zod';
import type { DagSecret } from './dag.js';
import { isPlainObject } from './yaml-forms.js';

/**
 * `secrets:` of a DAG: each one names the variable it is injected as and
 * where its value comes from: `provider: env` or `file` with a `key`, or
 * `ref:` to a secret kept in Dagdesk's store.
 */

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const REF = /^[a-z0-9][a-z0-9-]*(\/[a-z0-9][a-z0-9-]*)*$/;
const MANAGED = new Set([
  'DAG_NAME',
  'DAG_RUN_ID',
  'DAG_RUN_LOG_FILE',
  'DAG_RUN_STEP_NAME',
  'DAG_RUN_STEP_STDOUT_FILE',
  'DAG_RUN_STEP_STDERR_FILE',
  'DAG_RUN_STATUS',
  'DAG_PARAMS_JSON',
]);

export const secretsForm = z.unknown().transform((value, ctx): DagSecret[] => {
  if (!Array.isArray(value)) {
    ctx.addIssue({ code: 'custom', message: 'secrets must be a list' });
    return z.NEVER;
  }
  const seen = new Set<string>();
  const secrets: DagSecret[] = [];
  value.forEach((item, i) => {
    const parsed = parseSecret(item, i, seen);
    if (typeof parsed === 'string') {
      ctx.addIssue({ code: 'custom', message: parsed, path: [i] });
    } else {
      seen.add(parsed.name);
      secrets.push(parsed);
    }
  });
  return secrets;
});

export function isValidSecretRef(ref: string): boolean {
  return REF.test(ref);
}

export const SECRET_REF_RULE =
  'a slash-separated path of lowercase letters, digits and "-", such as team/slack-webhook';

function parseSecret(
  item: unknown,
  index: number,
  seen: Set<string>,
): DagSecret | string {
  if (!isPlainObject(item)) return `secret at index ${index} must be a map`;
  const { name, provider, key, ref, ...rest } = item;
  const extra = Object.keys(rest)[0];
  if (extra)
    return (
      `secret at index ${index} has an unknown key "${extra}" ` +
      '(allowed: name, provider, key, ref)'
    );
  if (typeof name !== 'string' || name === '') {
    return `secret at index ${index}: 'name' is required`;
  }
  const problem = nameProblem(name, seen);
  if (problem) return problem;

  if (ref !== undefined) {
    if (provider !== undefined || key !== undefined) return exactlyOne(name);
    if (typeof ref !== 'string' || !REF.test(ref)) {
      return `secret "${name}": ref must be ${SECRET_REF_RULE}`;
    }
    return { name, ref };
  }
  if (provider !== 'env' && provider !== 'file') {
    if (provider === undefined) return exactlyOne(name);
    return (
      `secret "${name}": unknown provider ${JSON.stringify(provider)} ` +
      '(Dagdesk reads env and file)'
    );
  }
  if (typeof key !== 'string' || key === '') {
    return `secret "${name}": 'key' is required with provider ${provider}`;
  }
  return { name, provider, key };
}

function nameProblem(name: string, seen: Set<string>): string | undefined {
  if (!NAME.test(name))
    return `secret "${name}" must be a valid environment variable name`;
  if (name.startsWith('DAGU_'))
    return `secret "${name}" must not start with DAGU_`;
  if (MANAGED.has(name))
    return `secret "${name}" collides with a variable Dagdesk sets for every run`;
  if (seen.has(name)) return `duplicate secret name "${name}"`;
  return undefined;
}

function exactlyOne(name: string): string {
  return `secret "${name}": exactly one of 'ref' or 'provider' plus 'key' is required`;
}
