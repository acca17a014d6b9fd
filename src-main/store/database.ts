import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FILE_MODE, ensurePrivateDir } from '../home.js';
import { MIGRATIONS } from './migrations.js';

export type Db = Database.Database;

/** The app and the CLI may write at once; wait this long for the lock. */
const BUSY_TIMEOUT_MS = 5_000;

export function databasePath(home: string): string {
  return join(home, 'dagdesk.db');
}

/**
 * Opens (creating if needed) the store at `path`, owner-only, in WAL mode,
 * migrated to the newest schema. `:memory:` works for tests.
 */
export function openDatabase(path: string): Db {
  if (path !== ':memory:') createPrivateFile(path);
  const db = new Database(path);
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  // Deleted secret ciphertexts are overwritten, not left in free pages.
  db.pragma('secure_delete = ON');
  migrate(db);
  return db;
}

// SQLite gives the -wal and -shm files the mode of the database file, so
// creating it owner-only first keeps all three private.
function createPrivateFile(path: string): void {
  ensurePrivateDir(dirname(path));
  if (!existsSync(path)) closeSync(openSync(path, 'a', FILE_MODE));
  chmodSync(path, FILE_MODE);
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies the migrations `db` lacks, each in its own transaction. */
export function migrate(
  db: Db,
  migrations: typeof MIGRATIONS = MIGRATIONS,
): void {
  const current = schemaVersion(db);
  if (current > migrations.length) {
    throw new Error(
      `the database schema is version ${current}, newer than this Dagdesk ` +
        `knows (${migrations.length}): update Dagdesk`,
    );
  }
  migrations.slice(current).forEach((apply, index) => {
    db.transaction(() => {
      apply(db);
      db.pragma(`user_version = ${current + index + 1}`);
    }).immediate();
  });
}
