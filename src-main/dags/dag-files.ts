import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { notFound } from '../errors.js';

const EXTENSIONS = ['.yaml', '.yml'];

/** The folder DAG files are looked up in: `DAGDESK_DAGS_DIR` or `<home>/dags`. */
export function dagsDir(
  home: string,
  env: Record<string, string | undefined>,
): string {
  return env.DAGDESK_DAGS_DIR || join(home, 'dags');
}

/**
 * The file a DAG argument names. `etl` is `etl.yaml` or `etl.yml` in the
 * DAGs folder; a name with a `/`, or a path that exists, is a file path.
 */
export function resolveDagPath(argument: string, dir: string): string {
  if (
    argument.includes('/') ||
    argument.includes('\\') ||
    existsSync(argument)
  ) {
    const path = resolve(argument);
    if (existsSync(path)) return path;
    throw notFound(`DAG file not found: ${argument}`);
  }
  const bare = EXTENSIONS.some((ext) => argument.endsWith(ext))
    ? [argument]
    : EXTENSIONS.map((ext) => argument + ext);
  for (const name of bare) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  throw notFound(
    `DAG ${JSON.stringify(argument)} not found: no ${bare.join(' or ')} in ${dir}`,
  );
}

/** The DAG files of the DAGs folder, by file name. */
export function listDagFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => EXTENSIONS.some((ext) => name.endsWith(ext)))
    .sort()
    .map((name) => join(dir, name));
}
