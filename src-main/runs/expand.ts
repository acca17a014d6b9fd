import { execaSync } from 'execa';

/**
 * `$NAME` and `${NAME}` in a DAG value, replaced from a scope; `\$` is a
 * literal dollar. Names the scope lacks become empty, as in Dagu.
 */
export function expandVariables(
  text: string,
  scope: ReadonlyMap<string, string>,
): string {
  return text.replace(
    /\\\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (match, braced?: string, bare?: string) => {
      if (match === '\\$') return '$';
      return scope.get((braced ?? bare)!) ?? '';
    },
  );
}

/** `~` and `~/...` as the HOME of the scope. */
export function expandHome(
  path: string,
  scope: ReadonlyMap<string, string>,
): string {
  if (path !== '~' && !path.startsWith('~/')) return path;
  return (scope.get('HOME') ?? '') + path.slice(1);
}

/** How long a `` `command` `` in a value may take, as in Dagu. */
const SUBSTITUTION_TIMEOUT_MS = 2_000;

/**
 * Expands variables, then runs each `` `command` `` with the shell and puts
 * its trimmed output in its place (Dagu's command substitution in env).
 */
export function evaluateValue(
  text: string,
  scope: ReadonlyMap<string, string>,
  shell: readonly string[],
): string {
  const expanded = expandVariables(text, scope);
  if (!expanded.includes('`')) return expanded;
  return expanded.replace(/`([^`]*)`/g, (_, command: string) =>
    substitute(command, scope, shell),
  );
}

function substitute(
  command: string,
  scope: ReadonlyMap<string, string>,
  shell: readonly string[],
): string {
  const result = execaSync(shell[0]!, [...shell.slice(1), '-c', command], {
    env: Object.fromEntries(scope),
    extendEnv: false,
    timeout: SUBSTITUTION_TIMEOUT_MS,
    reject: false,
    stdin: 'ignore',
  });
  if (result.exitCode !== 0 || result.timedOut) {
    const why = result.timedOut
      ? `did not finish in ${SUBSTITUTION_TIMEOUT_MS / 1000} s`
      : `exited with status ${result.exitCode}`;
    throw new Error(`command substitution \`${command}\` ${why}`);
  }
  return String(result.stdout).trim();
}
