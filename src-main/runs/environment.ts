import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import type { Dag, EnvEntries, Step } from '../dags/dag.js';
import { evaluateValue, expandVariables } from './expand.js';

/**
 * A step's environment, built in layers, lowest first (DESIGN.md section
 * 5): each layer overrides the ones below it, and each value may refer to
 * the variables below it.
 */
export const LAYERS = [
  'host',
  'params',
  'dag env',
  'dotenv',
  'profile variable',
  'managed',
  'profile secret',
  'dag secret',
  'upstream output',
  'step env',
] as const;
export type LayerName = (typeof LAYERS)[number];

export interface Layer {
  name: LayerName;
  values: Map<string, string>;
}

/** The host variables a step sees; everything else of the host stays out. */
const HOST_KEYS = [
  'PATH',
  'HOME',
  'USER',
  'SHELL',
  'TMPDIR',
  'TERM',
  'LANG',
  'TZ',
];

export function hostLayer(env: Record<string, string | undefined>): Layer {
  const values = new Map<string, string>();
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (HOST_KEYS.includes(key) || key.startsWith('LC_'))
      values.set(key, value);
  }
  return { name: 'host', values };
}

/** Later layers win. */
export function flatten(layers: readonly Layer[]): Map<string, string> {
  const merged = new Map<string, string>();
  for (const layer of layers) {
    for (const [key, value] of layer.values) merged.set(key, value);
  }
  return merged;
}

/**
 * A layer of `KEY: value` entries, each evaluated (variables, then
 * `` `command` ``) against the layers below and the entries before it.
 */
export function evaluatedLayer(
  name: LayerName,
  entries: EnvEntries,
  below: readonly Layer[],
  shell: readonly string[],
): Layer {
  const scope = flatten(below);
  const values = new Map<string, string>();
  for (const [key, raw] of entries) {
    let value: string;
    try {
      value = evaluateValue(raw, scope, shell);
    } catch (error) {
      throw new Error(`${name} ${key}: ${(error as Error).message}`);
    }
    values.set(key, value);
    scope.set(key, value);
  }
  return { name, values };
}

/**
 * The `.env` files of a DAG: `.env` first, then those it names, each
 * looked up in the working directory and then beside the DAG file.
 * Missing files are skipped, as in Dagu.
 */
export function dotenvEntries(
  dag: Dag,
  dirs: { workingDir: string; dagDir: string },
  scope: ReadonlyMap<string, string>,
): [string, string][] {
  const entries: [string, string][] = [];
  const files = [...new Set(['.env', ...dag.dotenv])];
  for (const file of files) {
    const path = findFile(expandVariables(file, scope), dirs);
    if (!path) continue;
    entries.push(...Object.entries(parseDotenv(readFileSync(path))));
  }
  return entries;
}

function findFile(
  file: string,
  dirs: { workingDir: string; dagDir: string },
): string | undefined {
  if (isAbsolute(file)) return existsSync(file) ? file : undefined;
  return [dirs.workingDir, dirs.dagDir]
    .map((dir) => join(dir, file))
    .find((path) => existsSync(path));
}

export function entriesLayer(
  name: LayerName,
  values: Iterable<readonly [string, string]>,
): Layer {
  return { name, values: new Map(values) };
}

/**
 * A step's layers: the run's, the outputs of the steps it depends on,
 * then its own `env:`, evaluated against all of those.
 */
export function stepLayers(
  runLayers: readonly Layer[],
  stepManaged: ReadonlyMap<string, string>,
  outputs: Iterable<readonly [string, string]>,
  step: Step,
  shell: readonly string[],
): Layer[] {
  const layers = runLayers.map((layer) =>
    layer.name === 'managed'
      ? { name: layer.name, values: new Map([...layer.values, ...stepManaged]) }
      : layer,
  );
  layers.push(entriesLayer('upstream output', outputs));
  layers.push(evaluatedLayer('step env', step.env, layers, shell));
  return layers;
}
