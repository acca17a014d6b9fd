import { randomBytes } from 'node:crypto';
import type { Db } from '../store/database.js';
import { deriveKek, open, seal } from './cipher.js';
import type { KeySources } from './key-sources.js';
import { normalizeRecoveryKey } from './recovery-key.js';

export const SLOT_KINDS = ['os', 'recovery', 'env'] as const;
export type SlotKind = (typeof SLOT_KINDS)[number];

/** What may be shown of a key slot. */
export interface KeySlotInfo {
  kind: SlotKind;
  /** `gnome_libsecret`, `keychain`, `basic_text`, ... for the OS slot. */
  backend: string;
  createdAt: string;
}

interface SlotRow {
  kind: SlotKind;
  backend: string;
  salt: Buffer | null;
  wrapped_key: Buffer;
  created_at: string;
}

export function readSlots(db: Db): SlotRow[] {
  return db.prepare('SELECT * FROM key_slots ORDER BY kind').all() as SlotRow[];
}

export function slotInfo(row: SlotRow): KeySlotInfo {
  return { kind: row.kind, backend: row.backend, createdAt: row.created_at };
}

/** A secret the slot of `kind` can be opened with, if this process has it. */
function passphraseFor(kind: SlotKind, sources: KeySources) {
  if (kind === 'env') return sources.masterKey;
  if (kind === 'recovery' && sources.recoveryKey) {
    return normalizeRecoveryKey(sources.recoveryKey);
  }
  return undefined;
}

/** Wraps `dataKey` into a new slot row; throws if the source is missing. */
export function wrapSlot(
  kind: SlotKind,
  dataKey: Buffer,
  sources: KeySources,
  now: string,
): SlotRow {
  if (kind === 'os') {
    const os = sources.os!;
    const wrapped = os.encryptString(dataKey.toString('base64'));
    const backend = os.getSelectedStorageBackend();
    return { kind, backend, salt: null, wrapped_key: wrapped, created_at: now };
  }
  const passphrase = passphraseFor(kind, sources)!;
  const salt = randomBytes(16);
  const wrapped = seal(deriveKek(passphrase, salt), dataKey, `slot:${kind}`);
  return { kind, backend: kind, salt, wrapped_key: wrapped, created_at: now };
}

/**
 * The data key from one slot, or the reason this process cannot open it.
 * The caller checks the key against the store's fingerprint.
 */
export function unwrapSlot(row: SlotRow, sources: KeySources): Buffer | string {
  try {
    if (row.kind === 'os') {
      if (!sources.os?.isEncryptionAvailable()) {
        return 'OS protected storage is not available in this process';
      }
      return Buffer.from(sources.os.decryptString(row.wrapped_key), 'base64');
    }
    const passphrase = passphraseFor(row.kind, sources);
    if (!passphrase) return `${slotVariable(row.kind)} is not set`;
    const kek = deriveKek(passphrase, row.salt!);
    return open(kek, row.wrapped_key, `slot:${row.kind}`);
  } catch (error) {
    return row.kind === 'os'
      ? `the OS keyring did not open it (${(error as Error).message})`
      : `${slotVariable(row.kind)} does not match`;
  }
}

export function slotVariable(kind: SlotKind): string {
  if (kind === 'env') return 'DAGDESK_MASTER_KEY';
  if (kind === 'recovery') return 'DAGDESK_RECOVERY_KEY';
  return 'the OS keyring';
}

export function insertSlot(db: Db, row: SlotRow): void {
  db.prepare(
    `INSERT INTO key_slots (kind, backend, salt, wrapped_key, created_at)
     VALUES (@kind, @backend, @salt, @wrapped_key, @created_at)
     ON CONFLICT (kind) DO UPDATE SET backend = excluded.backend,
       salt = excluded.salt, wrapped_key = excluded.wrapped_key,
       created_at = excluded.created_at`,
  ).run(row);
}
