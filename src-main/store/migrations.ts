import type { Database } from 'better-sqlite3';

/**
 * Schema changes in order. Migration N brings `PRAGMA user_version` from
 * N-1 to N; a released migration is never edited, only followed by another.
 */
export const MIGRATIONS: ReadonlyArray<(db: Database) => void> = [
  createProfilesAndSecrets,
];

function createProfilesAndSecrets(db: Database): void {
  db.exec(`
    CREATE TABLE profiles (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      description TEXT NOT NULL DEFAULT '',
      status TEXT NOT NULL CHECK (status IN ('active', 'disabled')),
      protected INTEGER NOT NULL DEFAULT 0 CHECK (protected IN (0, 1)),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT;

    -- Only the current version of a secret is kept: a rotated value is gone.
    CREATE TABLE secrets (
      id TEXT PRIMARY KEY,
      version INTEGER NOT NULL CHECK (version >= 1),
      ciphertext BLOB NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE profile_entries (
      profile_id TEXT NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
      key TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('variable', 'secret')),
      value TEXT,
      secret_id TEXT UNIQUE REFERENCES secrets (id),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      PRIMARY KEY (profile_id, key),
      CHECK (
        (kind = 'variable' AND value IS NOT NULL AND secret_id IS NULL) OR
        (kind = 'secret' AND value IS NULL AND secret_id IS NOT NULL)
      )
    ) STRICT;

    -- An entry's secret value goes with the entry, however it is deleted.
    CREATE TRIGGER profile_entries_drop_secret
    AFTER DELETE ON profile_entries WHEN OLD.secret_id IS NOT NULL
    BEGIN
      DELETE FROM secrets WHERE id = OLD.secret_id;
    END;

    -- The data key, wrapped once per way of opening the store.
    CREATE TABLE key_slots (
      kind TEXT PRIMARY KEY CHECK (kind IN ('os', 'recovery', 'env')),
      backend TEXT NOT NULL,
      salt BLOB,
      wrapped_key BLOB NOT NULL,
      created_at TEXT NOT NULL
    ) STRICT;

    -- One row once secrets exist: a keyed fingerprint that tells whether an
    -- unwrapped data key is the store's.
    CREATE TABLE vault (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      key_check BLOB NOT NULL,
      created_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE audit_events (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      at TEXT NOT NULL,
      actor TEXT NOT NULL,
      role TEXT NOT NULL,
      action TEXT NOT NULL,
      profile TEXT,
      key TEXT,
      kind TEXT,
      version INTEGER
    ) STRICT;
    CREATE INDEX audit_events_profile ON audit_events (profile, id);
  `);
}
