import type { Actor } from '../../src-shared/roles.js';
import {
  DagdeskError,
  SecretDecryptError,
  type UnreadableEntry,
  badRequest,
  notFound,
} from '../errors.js';
import type { Vault } from '../secrets/vault.js';
import type { Db } from '../store/database.js';
import { authorize, authorizeRole } from './access.js';
import * as repo from './repository.js';
import { timestamp } from '../clock.js';

/** One key a run took from its profile; what the run history records. */
export interface UsedEntry {
  key: string;
  kind: 'variable' | 'secret';
  /** The secret's version; absent for variables. */
  version?: number;
}

/** A profile's current values, opened for one attempt of a run. */
export interface ResolvedProfile {
  profileName: string;
  profileResolvedAt: string;
  variables: Map<string, string>;
  secrets: Map<string, string>;
  profileEntries: UsedEntry[];
}

/**
 * Opens the current values of profile `name` for a run. `use` is a new
 * run naming the profile; `inherit` is a retry or sub-DAG keeping it.
 * Fails closed: a missing, disabled or undecryptable profile starts nothing.
 */
export function resolveProfile(
  db: Db,
  vault: Vault,
  actor: Actor,
  name: string,
  mode: 'use' | 'inherit',
): ResolvedProfile {
  authorizeRole(actor, mode);
  const row = repo.findProfile(db, name);
  if (!row) throw notFound('profile not found');
  authorize(actor, mode, { name, protected: row.protected === 1 });
  if (row.status === 'disabled') {
    throw badRequest('profile is disabled (enable it to start runs)');
  }

  const resolved: ResolvedProfile = {
    profileName: name,
    profileResolvedAt: timestamp(),
    variables: new Map(),
    secrets: new Map(),
    profileEntries: [],
  };
  const unreadable: UnreadableEntry[] = [];
  let cause = '';
  for (const entry of repo.readEntries(db, row.id)) {
    if (entry.kind === 'variable') {
      resolved.variables.set(entry.key, entry.value);
      resolved.profileEntries.push({ key: entry.key, kind: 'variable' });
      continue;
    }
    const secret = repo.readSecret(db, entry.secretId)!;
    try {
      resolved.secrets.set(
        entry.key,
        vault.openSecret(secret.id, secret.version, secret.ciphertext),
      );
    } catch (error) {
      unreadable.push({ profile: name, key: entry.key });
      cause = describe(error);
    }
    resolved.profileEntries.push({
      key: entry.key,
      kind: 'secret',
      version: secret.version,
    });
  }
  if (unreadable.length > 0) throw new SecretDecryptError(unreadable, cause);
  return resolved;
}

function describe(error: unknown): string {
  if (error instanceof DagdeskError) return error.message;
  return 'the ciphertext does not open with the store key (altered or sealed elsewhere)';
}
