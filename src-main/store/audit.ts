import type { Actor } from '../../src-shared/roles.js';
import type { Db } from './database.js';

/** What an audit event records: who did what to which entry, no value. */
export interface AuditEvent {
  action: string;
  /** Absent for changes outside profiles, such as registry secrets. */
  profile?: string;
  key?: string;
  kind?: 'variable' | 'secret';
  version?: number;
}

export interface StoredAuditEvent extends AuditEvent {
  id: number;
  at: string;
  actor: string;
  role: string;
}

export function recordAudit(
  db: Db,
  actor: Actor,
  event: AuditEvent,
  at: string,
): void {
  db.prepare(
    `INSERT INTO audit_events
       (at, actor, role, action, profile, key, kind, version)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    at,
    actor.name,
    actor.role,
    event.action,
    event.profile ?? null,
    event.key ?? null,
    event.kind ?? null,
    event.version ?? null,
  );
}

export function readAudit(db: Db, profile?: string): StoredAuditEvent[] {
  const rows = db
    .prepare(
      `SELECT * FROM audit_events
       WHERE @profile IS NULL OR profile = @profile ORDER BY id`,
    )
    .all({ profile: profile ?? null }) as Array<Record<string, unknown>>;
  return rows.map((row) => {
    const event: StoredAuditEvent = {
      id: row.id as number,
      at: row.at as string,
      actor: row.actor as string,
      role: row.role as string,
      action: row.action as string,
    };
    if (row.profile !== null) event.profile = row.profile as string;
    if (row.key !== null) event.key = row.key as string;
    if (row.kind !== null) event.kind = row.kind as 'variable' | 'secret';
    if (row.version !== null) event.version = row.version as number;
    return event;
  });
}
