import { basename, dirname, resolve } from 'node:path';
import type { Actor } from '../../src-shared/roles.js';
import type { Dag, DagFile } from '../dags/dag.js';
import { parseDagSource } from '../dags/dag-loader.js';
import type { RunParams } from '../dags/params.js';
import { Masker } from '../masking/masker.js';
import { type ResolvedProfile, resolveProfile } from '../profiles/resolve.js';
import type { SecretRegistry } from '../secrets/registry.js';
import type { Vault } from '../secrets/vault.js';
import type { Db } from '../store/database.js';
import { resolveDagSecrets } from './dag-secrets.js';
import {
  type Layer,
  dotenvEntries,
  entriesLayer,
  evaluatedLayer,
  flatten,
  hostLayer,
} from './environment.js';
import { expandHome, expandVariables } from './expand.js';
import { attemptLogDir, runLogFile } from './log-paths.js';
import { inheritedContext, paramsContext } from './node-record.js';
import type { RunRow } from './run-store.js';

/** What the run engine shares with every attempt it sets up. */
export interface EngineServices {
  db: Db;
  vault: Vault;
  registry: SecretRegistry;
  home: string;
  dagsDir: string;
  /** The environment Dagdesk itself was started with. */
  hostEnv: Record<string, string | undefined>;
  actor: Actor;
}

/** An attempt ready to run: its DAG, environment layers and masker. */
export interface PreparedAttempt {
  dagFile: DagFile;
  dag: Dag;
  params: RunParams;
  profile?: ResolvedProfile;
  layers: Layer[];
  masker: Masker;
  /** Every secret value the attempt resolved, for its sub-DAGs' masks. */
  secrets: string[];
  shell: string[];
  dagDir: string;
  workingDir: string;
  logDir: string;
}

/** The setup failed: the reason the run records, before any step. */
export class SetupFailure extends Error {
  constructor(
    message: string,
    readonly profile?: ResolvedProfile,
  ) {
    super(message);
  }
}

const POSIX_SHELLS = ['sh', 'bash', 'zsh', 'dash', 'ksh', 'ash'];

/**
 * Resolves everything an attempt needs afresh: the profile (missing or
 * disabled fails it), the DAG's env, dotenv and secrets, and the masker
 * that knows every secret value among them.
 */
export function prepareAttempt(
  services: EngineServices,
  run: RunRow,
  attemptId: string,
  mode: 'use' | 'inherit',
  inherited: readonly string[],
): PreparedAttempt {
  const dagFile = parseDagSource(run.dag_source, run.dag_file);
  const dag = pickDag(dagFile, run.dag_name);
  const params = runParamsOf(services, run);
  const logDir = attemptLogDir(
    services.home,
    run.dag_name,
    run.run_id,
    attemptId,
  );
  const profile = run.profile_name
    ? openProfile(services, run.profile_name, mode)
    : undefined;

  try {
    return withEnvironment(services, {
      run,
      dagFile,
      dag,
      params,
      logDir,
      profile,
      inherited,
    });
  } catch (error) {
    throw new SetupFailure(
      `failed to prepare the run: ${(error as Error).message}`,
      profile,
    );
  }
}

/** The run's real parameters: sealed when a parent passed a secret in them. */
function runParamsOf(services: EngineServices, run: RunRow): RunParams {
  if (!run.params_sealed) return JSON.parse(run.params) as RunParams;
  try {
    return JSON.parse(
      services.vault.openText(paramsContext(run), run.params_sealed),
    ) as RunParams;
  } catch (error) {
    throw new SetupFailure(
      `cannot open the parameters the parent run passed: ${(error as Error).message}`,
    );
  }
}

/** The secret values a parent left to this run, sealed in its row. */
export function inheritedSecrets(
  services: EngineServices,
  run: RunRow,
): string[] {
  if (!run.inherited_masks) return [];
  try {
    return JSON.parse(
      services.vault.openText(inheritedContext(run), run.inherited_masks),
    ) as string[];
  } catch (error) {
    throw new SetupFailure(
      `cannot open the secrets the parent run passed down: ${(error as Error).message}`,
    );
  }
}

export function pickDag(file: DagFile, name: string): Dag {
  if (file.main.name === name) return file.main;
  const local = file.locals.get(name);
  if (local) return local;
  throw new SetupFailure(`DAG ${JSON.stringify(name)} is not in ${file.path}`);
}

function openProfile(
  services: EngineServices,
  name: string,
  mode: 'use' | 'inherit',
) {
  try {
    return resolveProfile(
      services.db,
      services.vault,
      services.actor,
      name,
      mode,
    );
  } catch (error) {
    throw new SetupFailure(
      `failed to resolve profile "${name}": ${(error as Error).message}`,
    );
  }
}

interface Parts {
  run: RunRow;
  dagFile: DagFile;
  dag: Dag;
  params: RunParams;
  logDir: string;
  profile?: ResolvedProfile;
  inherited: readonly string[];
}

function withEnvironment(
  services: EngineServices,
  parts: Parts,
): PreparedAttempt {
  const { run, dag, params, profile } = parts;
  const shell = dag.shell ?? [defaultShell(services.hostEnv)];
  const dagDir = dirname(parts.dagFile.path);

  const host = hostLayer(services.hostEnv);
  const given = entriesLayer('params', params.named);
  const dagEnv = evaluatedLayer('dag env', dag.env, [host, given], shell);
  const scope = flatten([host, given, dagEnv]);
  const workingDir = dag.workingDir
    ? resolve(dagDir, expandHome(expandVariables(dag.workingDir, scope), scope))
    : dagDir;
  const dotenv = dotenvLayer(dag, { workingDir, dagDir }, scope);

  const hostAll = Object.entries(services.hostEnv).filter(
    (e): e is [string, string] => e[1] !== undefined,
  );
  const dagSecrets = resolveDagSecrets(dag.secrets, {
    env: new Map([...hostAll, ...dagEnv.values, ...dotenv.values]),
    dirs: [workingDir, dagDir],
    registry: services.registry,
  });
  const secrets = [
    ...(profile?.secrets.values() ?? []),
    ...dagSecrets.values(),
    ...parts.inherited,
  ];
  const layers: Layer[] = [
    host,
    given,
    dagEnv,
    dotenv,
    entriesLayer('profile variable', profile?.variables ?? []),
    entriesLayer('managed', managedValues(run, parts.logDir, params)),
    entriesLayer('profile secret', profile?.secrets ?? []),
    entriesLayer('dag secret', dagSecrets),
  ];
  return {
    ...parts,
    layers,
    masker: new Masker(secrets),
    secrets,
    shell,
    dagDir,
    workingDir,
  };
}

function dotenvLayer(
  dag: Dag,
  dirs: { workingDir: string; dagDir: string },
  below: Map<string, string>,
): Layer {
  const scope = new Map(below);
  const values = new Map<string, string>();
  for (const [key, raw] of dotenvEntries(dag, dirs, scope)) {
    const value = expandVariables(raw, scope);
    values.set(key, value);
    scope.set(key, value);
  }
  return { name: 'dotenv', values };
}

function managedValues(
  run: RunRow,
  logDir: string,
  params: RunParams,
): [string, string][] {
  return [
    ['DAG_NAME', run.dag_name],
    ['DAG_RUN_ID', run.run_id],
    ['DAG_RUN_LOG_FILE', runLogFile(logDir)],
    ['DAG_PARAMS_JSON', JSON.stringify(Object.fromEntries(params.named))],
  ];
}

/** The host's shell when it is a POSIX one (fish has no `-e`), else `sh`. */
function defaultShell(env: Record<string, string | undefined>): string {
  const shell = env.SHELL;
  return shell && POSIX_SHELLS.includes(basename(shell)) ? shell : 'sh';
}
