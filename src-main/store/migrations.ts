import type { Database } from 'better-sqlite3';

/**
 * Schema changes in order. Migration N brings `PRAGMA user_version` from
 * N-1 to N; a released migration is never edited, only followed by another.
 */
export const MIGRATIONS: ReadonlyArray<(db: Database) => void> = [
  createProfilesAndSecrets,
  createRunHistory,
  createApiTokens,
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

function createRunHistory(db: Database): void {
  db.exec(`
    -- Secrets a DAG names with \`secrets: [{ref: ...}]\`, outside profiles.
    CREATE TABLE registry_secrets (
      ref TEXT PRIMARY KEY,
      secret_id TEXT NOT NULL UNIQUE REFERENCES secrets (id)
    ) STRICT;
    CREATE TRIGGER registry_secrets_drop_secret
    AFTER DELETE ON registry_secrets
    BEGIN
      DELETE FROM secrets WHERE id = OLD.secret_id;
    END;

    -- One row per run; status and times mirror its latest attempt, so
    -- history lists read this table alone.
    CREATE TABLE dag_runs (
      id INTEGER PRIMARY KEY,
      dag_name TEXT NOT NULL,
      run_id TEXT NOT NULL,
      dag_file TEXT NOT NULL,
      -- The DAG file as it was when the run was made: retries run this.
      dag_source TEXT NOT NULL,
      -- Masked when it carries a parent's secret; the real one is sealed.
      params TEXT NOT NULL,
      params_sealed BLOB,
      profile_name TEXT,
      queue TEXT NOT NULL,
      status INTEGER NOT NULL,
      trigger_type TEXT NOT NULL,
      root_name TEXT NOT NULL,
      root_run_id TEXT NOT NULL,
      parent_name TEXT,
      parent_run_id TEXT,
      -- Secret values a parent passed down, sealed, for the child's masks.
      inherited_masks BLOB,
      latest_attempt TEXT,
      created_at TEXT NOT NULL,
      queued_at TEXT,
      started_at TEXT,
      finished_at TEXT,
      error TEXT,
      UNIQUE (dag_name, run_id)
    ) STRICT;
    CREATE INDEX dag_runs_by_dag ON dag_runs (dag_name, id);
    CREATE INDEX dag_runs_queued ON dag_runs (id) WHERE status = 5;
    CREATE INDEX dag_runs_active ON dag_runs (queue) WHERE status = 1;

    CREATE TABLE attempts (
      id TEXT PRIMARY KEY,
      run INTEGER NOT NULL REFERENCES dag_runs (id) ON DELETE CASCADE,
      status INTEGER NOT NULL,
      started_at TEXT,
      finished_at TEXT,
      error TEXT,
      profile_resolved_at TEXT,
      profile_entries TEXT,
      -- Who runs it: a dead pid, a pid that started at another time, or
      -- a stale heartbeat means interrupted.
      launcher_pid INTEGER,
      launcher_start TEXT,
      heartbeat_at INTEGER,
      stop_requested INTEGER NOT NULL DEFAULT 0,
      created_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX attempts_by_run ON attempts (run);
    CREATE INDEX attempts_running ON attempts (launcher_pid) WHERE status = 1;

    CREATE TABLE attempt_steps (
      attempt TEXT NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
      position INTEGER NOT NULL,
      name TEXT NOT NULL,
      handler TEXT,
      definition TEXT NOT NULL,
      status INTEGER NOT NULL,
      exit_code INTEGER,
      started_at TEXT,
      finished_at TEXT,
      error TEXT,
      retry_count INTEGER NOT NULL DEFAULT 0,
      done_count INTEGER NOT NULL DEFAULT 0,
      stdout_path TEXT,
      stderr_path TEXT,
      output_masked TEXT,
      -- The real output, sealed, when it carried a secret; later steps and
      -- retries need the value, the history shows only the masked one.
      output_sealed BLOB,
      output_kept INTEGER NOT NULL DEFAULT 1,
      process_group INTEGER,
      PRIMARY KEY (attempt, name)
    ) STRICT;
  `);
}

function createApiTokens(db: Database): void {
  db.exec(`
    -- REST clients: only a hash of each token is kept, never the token.
    CREATE TABLE api_tokens (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      role TEXT NOT NULL
        CHECK (role IN ('admin', 'manager', 'developer', 'operator', 'viewer')),
      token_hash BLOB NOT NULL UNIQUE,
      created_at TEXT NOT NULL,
      last_used_at TEXT
    ) STRICT;
  `);
}
