import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ROLES, type Actor, type Role } from '../../src-shared/roles.js';
import { timestamp } from '../clock.js';
import { badRequest, notFound } from '../errors.js';
import type { Db } from '../store/database.js';

/** An API token as it may be listed: never the token itself. */
export interface TokenInfo {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  lastUsedAt?: string;
}

/** What `token create` prints once. */
export interface NewToken {
  id: string;
  name: string;
  role: Role;
  token: string;
}

const PREFIX = 'ddk_';

const nameSchema = z
  .string()
  .trim()
  .min(1, 'token name is empty')
  .max(128, 'token name is too long: at most 128 characters are allowed');

interface Row {
  id: string;
  name: string;
  role: Role;
  created_at: string;
  last_used_at: string | null;
}

/**
 * Tokens REST clients authenticate with, each acting as one role. A token
 * is 32 random bytes; the store keeps its SHA-256, so a copy of the
 * database grants nothing.
 */
export class TokenStore {
  constructor(private readonly db: Db) {}

  create(role: string, name?: string): NewToken {
    if (!(ROLES as readonly string[]).includes(role)) {
      throw badRequest(
        `unknown role ${JSON.stringify(role)}: use ${ROLES.join(', ')}`,
      );
    }
    const parsed = nameSchema.safeParse(name ?? `${role} token`);
    if (!parsed.success) throw badRequest(parsed.error.issues[0]!.message);
    const token = PREFIX + randomBytes(32).toString('base64url');
    const id = randomUUID();
    this.db
      .prepare(
        'INSERT INTO api_tokens (id, name, role, token_hash, created_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(id, parsed.data, role, hash(token), timestamp());
    return { id, name: parsed.data, role: role as Role, token };
  }

  list(): TokenInfo[] {
    const rows = this.db
      .prepare('SELECT * FROM api_tokens ORDER BY created_at, name')
      .all() as Row[];
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      role: row.role,
      createdAt: row.created_at,
      ...(row.last_used_at ? { lastUsedAt: row.last_used_at } : {}),
    }));
  }

  revoke(id: string): void {
    const { changes } = this.db
      .prepare('DELETE FROM api_tokens WHERE id = ?')
      .run(id);
    if (changes === 0)
      throw notFound(
        `no API token with id ${JSON.stringify(id)} (see dagdesk token list)`,
      );
  }

  /** The actor a presented token acts as, or undefined. */
  authenticate(token: string): Actor | undefined {
    if (!token.startsWith(PREFIX)) return undefined;
    const row = this.db
      .prepare('SELECT * FROM api_tokens WHERE token_hash = ?')
      .get(hash(token)) as Row | undefined;
    if (!row) return undefined;
    this.db
      .prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?')
      .run(timestamp(), row.id);
    return { name: `token:${row.name}`, role: row.role };
  }
}

function hash(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
