import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { DagSecret } from '../dags/dag.js';
import type { SecretRegistry } from '../secrets/registry.js';

/** Where a DAG's `secrets:` are read from. */
export interface SecretSources {
  /** The whole host environment, plus the DAG's env: provider `env`. */
  env: ReadonlyMap<string, string>;
  /** Relative `file` keys are looked up here, in order. */
  dirs: string[];
  registry: SecretRegistry;
}

/**
 * The values of a DAG's `secrets:`, read when an attempt starts. The first
 * one that cannot be read fails the attempt, naming it; a value is never
 * silently left empty.
 */
export function resolveDagSecrets(
  secrets: readonly DagSecret[],
  sources: SecretSources,
): Map<string, string> {
  const values = new Map<string, string>();
  for (const secret of secrets) {
    try {
      values.set(secret.name, readSecret(secret, sources));
    } catch (error) {
      throw new Error(
        `failed to resolve secret "${secret.name}": ${(error as Error).message}`,
      );
    }
  }
  return values;
}

function readSecret(secret: DagSecret, sources: SecretSources): string {
  if ('ref' in secret) return sources.registry.resolve(secret.ref).value;
  if (secret.provider === 'env') {
    const value = sources.env.get(secret.key);
    if (value === undefined) {
      throw new Error(`environment variable "${secret.key}" is not set`);
    }
    return value;
  }
  return readSecretFile(secret.key, sources.dirs);
}

// Read as is: a trailing newline is part of the file, as in Dagu.
function readSecretFile(key: string, dirs: string[]): string {
  const candidates = isAbsolute(key) ? [key] : dirs.map((d) => join(d, key));
  for (const path of candidates) {
    try {
      return readFileSync(path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') continue;
      if (code === 'EACCES') {
        throw new Error(`permission denied reading secret file: ${path}`);
      }
      throw new Error(
        `cannot read secret file ${path}: ${(error as Error).message}`,
      );
    }
  }
  throw new Error(`secret file not found: ${candidates.join(' or ')}`);
}
