import { randomUUID } from 'node:crypto';
import { type Actor, isAtLeast } from '../../src-shared/roles.js';
import { timestamp } from '../clock.js';
import { SECRET_REF_RULE, isValidSecretRef } from '../dags/secrets-form.js';
import { badRequest, forbidden, notFound } from '../errors.js';
import { recordAudit } from '../store/audit.js';
import { secretValueSchema } from '../../src-shared/profile-rules.js';
import type { Db } from '../store/database.js';
import type { Vault } from './vault.js';

/** A registry secret as it may be shown: never its value. */
export interface RegistrySecret {
  ref: string;
  secretId: string;
  version: number;
  updatedAt: string;
}

interface Row {
  ref: string;
  id: string;
  version: number;
  ciphertext: Buffer;
  updated_at: string;
}

/**
 * Secrets a DAG names with `secrets: [{name, ref}]`: sealed like profile
 * secrets, versioned on every write, managed by admins.
 */
export class SecretRegistry {
  constructor(
    private readonly db: Db,
    private readonly vault: Vault,
  ) {}

  list(actor: Actor): RegistrySecret[] {
    requireAdmin(actor);
    return this.rows().map(view);
  }

  set(actor: Actor, ref: string, value: string): RegistrySecret {
    requireAdmin(actor);
    checkRef(ref);
    const parsed = secretValueSchema.safeParse(value);
    if (!parsed.success) throw badRequest(parsed.error.issues[0]!.message);
    const now = timestamp();
    return this.db
      .transaction(() => {
        const current = this.row(ref);
        const id = current?.id ?? randomUUID();
        const version = (current?.version ?? 0) + 1;
        const sealed = this.vault.sealSecret(id, version, value);
        if (current) {
          this.db
            .prepare(
              'UPDATE secrets SET version = ?, ciphertext = ?, updated_at = ? WHERE id = ?',
            )
            .run(version, sealed, now, id);
        } else {
          this.db
            .prepare(
              'INSERT INTO secrets ' +
                '(id, version, ciphertext, created_at, updated_at) ' +
                'VALUES (?, ?, ?, ?, ?)',
            )
            .run(id, version, sealed, now, now);
          this.db
            .prepare(
              'INSERT INTO registry_secrets (ref, secret_id) VALUES (?, ?)',
            )
            .run(ref, id);
        }
        recordAudit(
          this.db,
          actor,
          { action: 'secret_set', key: ref, kind: 'secret', version },
          now,
        );
        return view(this.row(ref)!);
      })
      .immediate();
  }

  delete(actor: Actor, ref: string): void {
    requireAdmin(actor);
    const deleted = this.db
      .prepare('DELETE FROM registry_secrets WHERE ref = ?')
      .run(ref);
    if (deleted.changes === 0)
      throw notFound(`no secret with ref ${JSON.stringify(ref)}`);
  }

  /** The value a run injects; throws when it is missing or does not open. */
  resolve(ref: string): { value: string; version: number } {
    const row = this.row(ref);
    if (!row)
      throw notFound(
        `no secret with ref ${JSON.stringify(ref)} (set it with dagdesk secret set ${ref})`,
      );
    return {
      value: this.vault.openSecret(row.id, row.version, row.ciphertext),
      version: row.version,
    };
  }

  private row(ref: string): Row | undefined {
    return this.db
      .prepare(
        `SELECT r.ref, s.id, s.version, s.ciphertext, s.updated_at
         FROM registry_secrets r JOIN secrets s ON s.id = r.secret_id WHERE r.ref = ?`,
      )
      .get(ref) as Row | undefined;
  }

  private rows(): Row[] {
    return this.db
      .prepare(
        `SELECT r.ref, s.id, s.version, s.ciphertext, s.updated_at
         FROM registry_secrets r JOIN secrets s ON s.id = r.secret_id ORDER BY r.ref`,
      )
      .all() as Row[];
  }
}

function view(row: Row): RegistrySecret {
  return {
    ref: row.ref,
    secretId: row.id,
    version: row.version,
    updatedAt: row.updated_at,
  };
}

function checkRef(ref: string): void {
  if (!isValidSecretRef(ref))
    throw badRequest(
      `invalid secret ref ${JSON.stringify(ref)}: use ${SECRET_REF_RULE}`,
    );
}

function requireAdmin(actor: Actor): void {
  if (!isAtLeast(actor.role, 'admin')) {
    throw forbidden(
      `role ${actor.role} may not manage secrets: admin is required`,
    );
  }
}
