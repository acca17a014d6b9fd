import type {
  Profile,
  ProfileEntry,
  ProfileStatus,
} from '../../src-shared/profile.js';
import type { Db } from '../store/database.js';

/** SQL for profiles, their entries and their secret values; no rules. */

export interface ProfileRow {
  id: string;
  name: string;
  description: string;
  status: ProfileStatus;
  protected: 0 | 1;
  created_at: string;
  updated_at: string;
}

interface EntryRow {
  key: string;
  kind: 'variable' | 'secret';
  value: string | null;
  secret_id: string | null;
  version: number | null;
  created_at: string;
  updated_at: string;
}

export interface SecretRow {
  id: string;
  version: number;
  ciphertext: Buffer;
}

export function findProfile(db: Db, name: string): ProfileRow | undefined {
  return db.prepare('SELECT * FROM profiles WHERE name = ?').get(name) as
    ProfileRow | undefined;
}

export function listProfileRows(db: Db): ProfileRow[] {
  return db
    .prepare('SELECT * FROM profiles ORDER BY name')
    .all() as ProfileRow[];
}

export function readEntries(db: Db, profileId: string): ProfileEntry[] {
  const rows = db
    .prepare(
      `SELECT e.key, e.kind, e.value, e.secret_id, s.version,
              e.created_at, e.updated_at
       FROM profile_entries e LEFT JOIN secrets s ON s.id = e.secret_id
       WHERE e.profile_id = ? ORDER BY e.key`,
    )
    .all(profileId) as EntryRow[];
  return rows.map(toEntry);
}

function toEntry(row: EntryRow): ProfileEntry {
  const times = { createdAt: row.created_at, updatedAt: row.updated_at };
  if (row.kind === 'variable') {
    return { key: row.key, kind: 'variable', value: row.value!, ...times };
  }
  return {
    key: row.key,
    kind: 'secret',
    secretId: row.secret_id!,
    version: row.version!,
    ...times,
  };
}

export function toProfile(row: ProfileRow, entries: ProfileEntry[]): Profile {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    status: row.status,
    protected: row.protected === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    entries,
  };
}

export function insertProfile(db: Db, row: ProfileRow): void {
  db.prepare(
    `INSERT INTO profiles
       (id, name, description, status, protected, created_at, updated_at)
     VALUES (@id, @name, @description, @status, @protected, @created_at,
       @updated_at)`,
  ).run(row);
}

export function updateProfileRow(db: Db, row: ProfileRow): void {
  db.prepare(
    `UPDATE profiles SET description = @description, status = @status,
       protected = @protected, updated_at = @updated_at WHERE id = @id`,
  ).run(row);
}

export function deleteProfileRow(db: Db, id: string): void {
  db.prepare('DELETE FROM profiles WHERE id = ?').run(id);
}

export function touchProfile(db: Db, id: string, now: string): void {
  db.prepare('UPDATE profiles SET updated_at = ? WHERE id = ?').run(now, id);
}

export function findEntry(
  db: Db,
  profileId: string,
  key: string,
): { kind: 'variable' | 'secret'; secret_id: string | null } | undefined {
  return db
    .prepare(
      'SELECT kind, secret_id FROM profile_entries WHERE profile_id = ? AND key = ?',
    )
    .get(profileId, key) as
    { kind: 'variable' | 'secret'; secret_id: string | null } | undefined;
}

export function upsertVariable(
  db: Db,
  profileId: string,
  key: string,
  value: string,
  now: string,
): void {
  db.prepare(
    `INSERT INTO profile_entries
       (profile_id, key, kind, value, created_at, updated_at)
     VALUES (?, ?, 'variable', ?, ?, ?)
     ON CONFLICT (profile_id, key)
     DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  ).run(profileId, key, value, now, now);
}

export function insertSecretEntry(
  db: Db,
  profileId: string,
  key: string,
  secret: SecretRow,
  now: string,
): void {
  db.prepare(
    `INSERT INTO secrets (id, version, ciphertext, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?)`,
  ).run(secret.id, secret.version, secret.ciphertext, now, now);
  db.prepare(
    `INSERT INTO profile_entries
       (profile_id, key, kind, secret_id, created_at, updated_at)
     VALUES (?, ?, 'secret', ?, ?, ?)`,
  ).run(profileId, key, secret.id, now, now);
}

export function rotateSecret(
  db: Db,
  profileId: string,
  key: string,
  secret: SecretRow,
  now: string,
): void {
  db.prepare(
    'UPDATE secrets SET version = ?, ciphertext = ?, updated_at = ? WHERE id = ?',
  ).run(secret.version, secret.ciphertext, now, secret.id);
  db.prepare(
    'UPDATE profile_entries SET updated_at = ? WHERE profile_id = ? AND key = ?',
  ).run(now, profileId, key);
}

export function readSecret(db: Db, id: string): SecretRow | undefined {
  return db
    .prepare('SELECT id, version, ciphertext FROM secrets WHERE id = ?')
    .get(id) as SecretRow | undefined;
}

export function deleteEntryRow(db: Db, profileId: string, key: string): void {
  db.prepare(
    'DELETE FROM profile_entries WHERE profile_id = ? AND key = ?',
  ).run(profileId, key);
}
