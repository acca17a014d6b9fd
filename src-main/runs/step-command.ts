import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Step } from '../dags/dag.js';
import { FILE_MODE } from '../home.js';

/** The program and arguments of one process of a command step. */
export interface Invocation {
  file: string;
  args: string[];
  /** What the run history shows for it. */
  shown: string;
}

/**
 * The processes a command or script step runs, in order. A line runs as
 * `<shell> -e -c <line>`; `-e` is added only when the step names no shell
 * of its own, as in Dagu. Positional parameters are the shell's `$1`...
 */
export function invocations(
  step: Step,
  defaultShell: readonly string[],
  positional: readonly string[],
  scriptDir: string,
): Invocation[] {
  const shell = step.shell ?? [...defaultShell, '-e'];
  const action = step.action;
  if (action.kind === 'commands') {
    return action.lines.map((line) => ({
      file: shell[0]!,
      args: [...shell.slice(1), '-c', line, 'dagdesk', ...positional],
      shown: line,
    }));
  }
  if (action.kind !== 'script') return [];

  const path = writeScript(scriptDir, step.name, action.script);
  if (action.interpreter) {
    const [file, ...args] = action.interpreter;
    return [
      {
        file: file!,
        args: [...args, path, ...positional],
        shown: action.script,
      },
    ];
  }
  // A script with its own #! runs with that interpreter unless the step
  // names a shell; reading the line here keeps the file owner-only, 0600.
  if (action.script.startsWith('#!') && !step.shell) {
    const [file, ...args] = action.script
      .slice(2)
      .split('\n')[0]!
      .trim()
      .split(/\s+/);
    return [
      {
        file: file!,
        args: [...args, path, ...positional],
        shown: action.script,
      },
    ];
  }
  return [
    {
      file: shell[0]!,
      args: [...shell.slice(1), path, ...positional],
      shown: action.script,
    },
  ];
}

function writeScript(dir: string, stepName: string, script: string): string {
  const path = join(dir, `${safeFileName(stepName)}.script`);
  writeFileSync(path, script.endsWith('\n') ? script : `${script}\n`, {
    mode: FILE_MODE,
  });
  return path;
}

/** A step name as a file name: no separators, nothing hidden. */
export function safeFileName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\./, '_');
}
