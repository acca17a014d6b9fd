import { badRequest } from '../errors.js';
import type { EngineServices } from './attempt-setup.js';
import { SetupFailure, prepareAttempt } from './attempt-setup.js';
import type { LayerName } from './environment.js';
import { type RunRequest, newRunRow } from './run-request.js';
import type { RunRow } from './run-store.js';
import { RUN_STATUS } from './status.js';

/** What `dry` found: which key each layer injects. Values never appear. */
export interface DryReport {
  dag: string;
  file: string;
  steps: {
    name: string;
    depends: string[];
    env: string[];
    outputsFrom: string[];
  }[];
  profile?: {
    name: string;
    variables: string[];
    secrets: { key: string; version: number }[];
  };
  /** Host variables passed through, by name. */
  host: string[];
  /** Every other key, with the layer that wins and the ones it overrides. */
  keys: { key: string; layer: LayerName; overrides: LayerName[] }[];
}

/**
 * Validates a run without running it: the DAG, its parameters, the
 * profile (it exists, is active, its secrets decrypt) and the DAG's
 * secrets; reports where every injected key would come from.
 */
export function dryRun(
  services: EngineServices,
  request: RunRequest,
): DryReport {
  const row: RunRow = {
    ...newRunRow(request, 'manual', RUN_STATUS.notStarted),
    run_id: 'dry-run',
    root_run_id: 'dry-run',
    id: 0,
    latest_attempt: null,
    started_at: null,
    finished_at: null,
    error: null,
  };
  let prepared;
  try {
    prepared = prepareAttempt(services, row, 'dry-run', 'use', []);
  } catch (error) {
    if (error instanceof SetupFailure) throw badRequest(error.message);
    throw error;
  }

  const byKey = new Map<string, LayerName[]>();
  for (const layer of prepared.layers) {
    for (const key of layer.values.keys())
      byKey.set(key, [...(byKey.get(key) ?? []), layer.name]);
  }
  const host = [...byKey]
    .filter(([, layers]) => layers.length === 1 && layers[0] === 'host')
    .map(([k]) => k);
  const keys = [...byKey]
    .filter(([key]) => !host.includes(key))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, layers]) => ({
      key,
      layer: layers.at(-1)!,
      overrides: layers.slice(0, -1),
    }));

  const { dag, profile } = prepared;
  return {
    dag: dag.name,
    file: prepared.dagFile.path,
    steps: dag.steps.map((step) => ({
      name: step.name,
      depends: step.depends,
      env: step.env.map(([key]) => key),
      outputsFrom: step.depends.filter(
        (d) => dag.steps.find((s) => s.name === d)?.output,
      ),
    })),
    ...(profile
      ? {
          profile: {
            name: profile.profileName,
            variables: [...profile.variables.keys()],
            secrets: profile.profileEntries
              .filter((e) => e.kind === 'secret')
              .map((e) => ({ key: e.key, version: e.version! })),
          },
        }
      : {}),
    host: host.sort(),
    keys,
  };
}
