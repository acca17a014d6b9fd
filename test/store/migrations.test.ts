import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src-main/store/migrations.js';
import {
  databasePath,
  migrate,
  openDatabase,
  schemaVersion,
} from '../../src-main/store/database.js';
import { tempHome } from '../support/temp-home.js';

function tables(db: Database.Database): string[] {
  return (
    db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
      )
      .all() as { name: string }[]
  ).map((r) => r.name);
}

describe('migration 1: profiles, entries, secrets, key slots, audit', () => {
  it('creates the tables and sets user_version to 1', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, 1));
    expect(schemaVersion(db)).toBe(1);
    expect(tables(db)).toEqual(
      expect.arrayContaining([
        'audit_events',
        'key_slots',
        'profile_entries',
        'profiles',
        'secrets',
        'vault',
      ]),
    );
  });

  it('deletes a secret value with its entry and with its profile', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 1));
    const t = '2026-01-01T00:00:00Z';
    db.prepare(
      "INSERT INTO profiles VALUES ('p1', 'prod', '', 'active', 0, ?, ?)",
    ).run(t, t);
    for (const [key, id] of [
      ['A', 's1'],
      ['B', 's2'],
    ]) {
      db.prepare("INSERT INTO secrets VALUES (?, 1, x'01', ?, ?)").run(
        id,
        t,
        t,
      );
      db.prepare(
        "INSERT INTO profile_entries VALUES ('p1', ?, 'secret', NULL, ?, ?, ?)",
      ).run(key, id, t, t);
    }
    const count = () =>
      (db.prepare('SELECT count(*) AS n FROM secrets').get() as { n: number })
        .n;

    db.prepare("DELETE FROM profile_entries WHERE key = 'A'").run();
    expect(count()).toBe(1);
    db.prepare("DELETE FROM profiles WHERE id = 'p1'").run();
    expect(count()).toBe(0);
  });

  it('refuses an entry that is both or neither a variable and a secret', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, 1));
    const t = '2026-01-01T00:00:00Z';
    db.prepare(
      "INSERT INTO profiles VALUES ('p1', 'prod', '', 'active', 0, ?, ?)",
    ).run(t, t);
    const insert = db.prepare(
      "INSERT INTO profile_entries VALUES ('p1', 'K', ?, ?, NULL, ?, ?)",
    );
    expect(() => insert.run('secret', 'plain', t, t)).toThrow(/CHECK/);
    expect(() => insert.run('variable', null, t, t)).toThrow(/CHECK/);
  });
});

describe('openDatabase', () => {
  it('creates an owner-only database in WAL mode, with its folder 0700', () => {
    const home = tempHome();
    const path = databasePath(home);
    const db = openDatabase(path);
    db.prepare(
      "INSERT INTO audit_events (at, actor, role, action) VALUES ('t', 'a', 'admin', 'x')",
    ).run();

    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(statSync(home).mode & 0o777).toBe(0o700);
    for (const file of [path, `${path}-wal`, `${path}-shm`]) {
      expect(existsSync(file), file).toBe(true);
      expect(statSync(file).mode & 0o777, file).toBe(0o600);
    }
    db.close();
  });

  it('migrates an existing store only as far as it lacks', () => {
    const path = join(tempHome(), 'dagdesk.db');
    openDatabase(path).close();
    const db = openDatabase(path);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    db.close();
  });

  it('refuses a store written by a newer Dagdesk', () => {
    const db = new Database(':memory:');
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    expect(() => migrate(db)).toThrow(/newer than this Dagdesk knows/);
  });
});

describe('migration 2: run history and registry secrets', () => {
  it('adds runs, attempts, steps and registry secrets on top of version 1', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 1));
    migrate(db, MIGRATIONS.slice(0, 2));
    expect(schemaVersion(db)).toBe(2);
    expect(tables(db)).toEqual(
      expect.arrayContaining([
        'attempt_steps',
        'attempts',
        'dag_runs',
        'registry_secrets',
      ]),
    );
  });

  it('deletes a run with its attempts and steps, and a registry secret with its value', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 2));
    const t = '2026-01-01T00:00:00Z';
    db.prepare(
      `INSERT INTO dag_runs (id, dag_name, run_id, dag_file, dag_source, params,
         queue, status, trigger_type, root_name, root_run_id, created_at)
       VALUES (1, 'etl', 'r1', 'etl.yaml', '', '{}', 'etl', 4, 'manual', 'etl', 'r1', ?)`,
    ).run(t);
    db.prepare(
      "INSERT INTO attempts (id, run, status, created_at) VALUES ('a1', 1, 4, ?)",
    ).run(t);
    db.prepare(
      'INSERT INTO attempt_steps ' +
        '(attempt, position, name, definition, status) ' +
        "VALUES ('a1', 0, 's', '{}', 4)",
    ).run();
    db.prepare('DELETE FROM dag_runs WHERE id = 1').run();
    expect(db.prepare('SELECT count(*) AS n FROM attempt_steps').get()).toEqual(
      { n: 0 },
    );

    db.prepare("INSERT INTO secrets VALUES ('s1', 1, x'01', ?, ?)").run(t, t);
    db.prepare("INSERT INTO registry_secrets VALUES ('team/hook', 's1')").run();
    db.prepare("DELETE FROM registry_secrets WHERE ref = 'team/hook'").run();
    expect(db.prepare('SELECT count(*) AS n FROM secrets').get()).toEqual({
      n: 0,
    });
  });

  it('refuses two runs of a DAG with one run id', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, 2));
    const insert = db.prepare(
      `INSERT INTO dag_runs (dag_name, run_id, dag_file, dag_source, params,
         queue, status, trigger_type, root_name, root_run_id, created_at)
       VALUES ('etl', 'r1', 'etl.yaml', '', '{}', 'etl', 4, 'manual', 'etl', 'r1', 't')`,
    );
    insert.run();
    expect(() => insert.run()).toThrow(/UNIQUE/);
  });
});
