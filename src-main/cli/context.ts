import { userInfo } from 'node:os';
import type { Actor } from '../../src-shared/roles.js';
import { type Core, openCore } from '../core.js';
import { dagsDir, resolveDagPath } from '../dags/dag-files.js';
import { loadDagFile } from '../dags/dag-loader.js';
import { DagdeskError } from '../errors.js';
import { resolveHome } from '../home.js';
import {
  type OsProtectedStorage,
  keySourcesFromEnv,
} from '../secrets/key-sources.js';
import type { CliIo } from './io.js';

/** The local CLI acts as admin, named after the operating-system user. */
export function cliActor(): Actor {
  return { name: `cli:${userInfo().username}`, role: 'admin' };
}

/** Opens the store the app uses, with every key source this process has. */
export function openCliCore(io: CliIo, os: OsProtectedStorage): Core {
  const keys = { ...keySourcesFromEnv(io.env), os };
  return openCore(resolveHome(io.env), keys);
}

/** Runs a command against the store, opened for it and closed after. */
export type WithCore = <T>(use: (core: Core) => T | Promise<T>) => Promise<T>;

/**
 * A DAG argument as a DAG name: the name in the file it names, or the
 * argument itself (a run's DAG file may since have gone).
 */
export function dagNameOf(core: Core, io: CliIo, dag: string): string {
  try {
    return loadDagFile(resolveDagPath(dag, dagsDir(core.home, io.env))).main
      .name;
  } catch (error) {
    if (error instanceof DagdeskError && error.code === 'not_found') return dag;
    throw error;
  }
}
