import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import {
  type Document,
  LineCounter,
  type Node,
  isMap,
  isNode,
  parseAllDocuments,
} from 'yaml';
import { DagdeskError } from '../errors.js';
import type { Dag, DagFile } from './dag.js';
import { buildDag } from './dag-builder.js';
import { RENAMED_KEYS, UNSUPPORTED_KEYS } from './dag-schema.js';
import type { Issue } from './step-builder.js';
import { camelHint } from './yaml-forms.js';

/** How many problems one error lists; the rest are counted. */
const MAX_LISTED = 5;

/** A DAG file that does not load; the message names file, line, column. */
export class DagLoadError extends DagdeskError {
  constructor(message: string) {
    super('bad_request', message);
    this.name = 'DagLoadError';
  }
}

export function loadDagFile(path: string): DagFile {
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'no such file'
        : (error as Error).message;
    throw new DagLoadError(`cannot read DAG file ${path}: ${reason}`);
  }
  return parseDagSource(source, path);
}

/** Parses a DAG file's text; `path` names it in errors and the DAG. */
export function parseDagSource(source: string, path: string): DagFile {
  const lines = new LineCounter();
  const documents = parseAllDocuments(source, { lineCounter: lines });
  if (!Array.isArray(documents)) {
    throw new DagLoadError(`${path}: no DAG found in the file`);
  }
  const where = (offset: number) => {
    const { line, col } = lines.linePos(offset);
    return `${path}:${line}:${col}`;
  };

  const dags: Dag[] = [];
  const problems: string[] = [];
  for (const document of documents) {
    for (const error of document.errors) {
      const message = error.message.split('\n')[0]!;
      problems.push(
        `${where(error.pos[0])}: ${message.replace(/ at line \d+, column \d+:?$/, '')}`,
      );
    }
    if (document.errors.length > 0 || document.contents === null) continue;
    const fallback =
      dags.length === 0 ? basename(path, extname(path)) : undefined;
    const { dag, issues } = buildDag(document.toJS(), fallback);
    for (const issue of issues) {
      problems.push(`${where(offsetOf(document, issue))}: ${describe(issue)}`);
    }
    if (dag) dags.push(dag);
  }
  if (problems.length > 0) throw new DagLoadError(summarise(problems));
  if (dags.length === 0)
    throw new DagLoadError(`${path}: no DAG found in the file`);
  return { path, source, main: dags[0]!, locals: localDags(dags, path) };
}

function localDags(dags: Dag[], path: string): Map<string, Dag> {
  const locals = new Map<string, Dag>();
  for (const dag of dags.slice(1)) {
    if (locals.has(dag.name) || dag.name === dags[0]!.name) {
      throw new DagLoadError(
        `${path}: two DAGs in the file are named ${JSON.stringify(dag.name)}`,
      );
    }
    locals.set(dag.name, dag);
  }
  return locals;
}

function summarise(problems: string[]): string {
  const listed = problems.slice(0, MAX_LISTED);
  const more = problems.length - listed.length;
  return listed.join('\n') + (more > 0 ? `\n(and ${more} more)` : '');
}

/** The offset of what an issue is about: the key it names, or the value. */
function offsetOf(document: Document, issue: Issue): number {
  let path = issue.path;
  while (path.length > 0 && !isNode(document.getIn(path, true))) {
    path = path.slice(0, -1);
  }
  const node = (
    path.length === 0 ? document.contents : document.getIn(path, true)
  ) as Node | null;
  const key = issue.keys?.[0];
  if (key !== undefined && isMap(node)) {
    const pair = node.items.find(
      (p) => isNode(p.key) && (p.key as { value?: unknown }).value === key,
    );
    const keyNode = pair?.key as Node | undefined;
    if (keyNode?.range) return keyNode.range[0];
  }
  return node?.range?.[0] ?? 0;
}

function describe(issue: Issue): string {
  const where = issue.path.length > 0 ? `${pathText(issue.path)}: ` : '';
  if (!issue.keys) return where + issue.message;
  return where + issue.keys.map(unknownKey).join('; ');
}

function unknownKey(key: string): string {
  if (RENAMED_KEYS[key])
    return `unknown key "${key}" (use ${RENAMED_KEYS[key]})`;
  const hint = camelHint(key);
  if (hint) return `unknown key "${key}"${hint}`;
  if (UNSUPPORTED_KEYS.has(key)) return `"${key}" is not supported by Dagdesk`;
  return `unknown key "${key}"`;
}

function pathText(path: PropertyKey[]): string {
  return path
    .map((part, i) =>
      typeof part === 'number'
        ? `[${part}]`
        : i === 0
          ? String(part)
          : `.${String(part)}`,
    )
    .join('');
}
