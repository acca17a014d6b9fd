import { timingSafeEqual } from 'node:crypto';
import { DagdeskError } from '../errors.js';
import type { Db } from '../store/database.js';
import { keyCheck, newDataKey, open, seal, secretContext } from './cipher.js';
import {
  type KeySlotInfo,
  type SlotKind,
  insertSlot,
  readSlots,
  slotInfo,
  slotVariable,
  unwrapSlot,
  wrapSlot,
} from './key-slots.js';
import { type KeySources, MASTER_KEY_MIN } from './key-sources.js';
import { newRecoveryKey } from './recovery-key.js';

/** Cheapest and most explicit first; the OS keyring may prompt. */
const UNLOCK_ORDER: SlotKind[] = ['env', 'recovery', 'os'];

/**
 * Holds the store's data key: creates it with the first secret, opens it
 * through whichever key slot this process can open, and seals and opens
 * secret values with it.
 */
export class Vault {
  #dataKey: Buffer | undefined;

  constructor(
    private readonly db: Db,
    private readonly sources: KeySources,
    private readonly now: () => string = () => new Date().toISOString(),
  ) {}

  slots(): KeySlotInfo[] {
    return readSlots(this.db).map(slotInfo);
  }

  /** Seals a secret value, creating the data key on first use. */
  sealSecret(secretId: string, version: number, value: string): Buffer {
    return this.sealText(secretContext(secretId, version), value);
  }

  /** Opens a sealed value; throws if the store is locked or it was altered. */
  openSecret(secretId: string, version: number, sealed: Buffer): string {
    return this.openText(secretContext(secretId, version), sealed);
  }

  /**
   * Seals any text that may hold a secret (a step output, values passed to
   * a sub-DAG) under the store key; `context` binds it to its place.
   */
  sealText(context: string, value: string): Buffer {
    const key = this.#dataKey ?? this.unlockOrCreate();
    return seal(key, Buffer.from(value, 'utf8'), context);
  }

  openText(context: string, sealed: Buffer): string {
    const key = this.#dataKey ?? this.unlock();
    return open(key, sealed, context).toString('utf8');
  }

  /**
   * Adds (or replaces) a key slot, opening the store with another one. A new
   * recovery slot returns its key: it is shown once and stored nowhere.
   */
  addSlot(kind: SlotKind): { recoveryKey?: string } {
    const key = this.unlock();
    const recoveryKey = kind === 'recovery' ? newRecoveryKey() : undefined;
    const sources = { ...this.sources, recoveryKey };
    this.assertCanWrap(kind, sources);
    insertSlot(this.db, wrapSlot(kind, key, sources, this.now()));
    return recoveryKey ? { recoveryKey } : {};
  }

  /** Removes a key slot; the last one stays, or every secret would be lost. */
  removeSlot(kind: SlotKind): void {
    const kinds = this.slots().map((s) => s.kind);
    if (!kinds.includes(kind)) {
      throw new DagdeskError('not_found', `this store has no ${kind} key slot`);
    }
    if (kinds.length === 1) {
      throw new DagdeskError(
        'bad_request',
        `the ${kind} key slot is the store's last: add another before removing it`,
      );
    }
    this.db.prepare('DELETE FROM key_slots WHERE kind = ?').run(kind);
  }

  private unlockOrCreate(): Buffer {
    return this.db
      .transaction(() => (this.hasDataKey() ? this.unlock() : this.create()))
      .immediate();
  }

  private hasDataKey(): boolean {
    return this.db.prepare('SELECT 1 FROM vault').get() !== undefined;
  }

  private create(): Buffer {
    const usable = (['env', 'os'] as const).filter(
      (kind) => this.wrapProblem(kind, this.sources) === undefined,
    );
    if (usable.length === 0) throw this.noProtectedStorage();
    const key = newDataKey();
    this.db
      .prepare('INSERT INTO vault (id, key_check, created_at) VALUES (1, ?, ?)')
      .run(keyCheck(key), this.now());
    for (const kind of usable) {
      insertSlot(this.db, wrapSlot(kind, key, this.sources, this.now()));
    }
    this.#dataKey = key;
    return key;
  }

  private unlock(): Buffer {
    if (this.#dataKey) return this.#dataKey;
    const row = this.db.prepare('SELECT key_check FROM vault').get() as
      { key_check: Buffer } | undefined;
    if (!row) {
      throw new DagdeskError('not_found', 'this store holds no secrets yet');
    }
    const slots = readSlots(this.db).sort(
      (a, b) => UNLOCK_ORDER.indexOf(a.kind) - UNLOCK_ORDER.indexOf(b.kind),
    );
    const reasons: string[] = [];
    for (const slot of slots) {
      const key = unwrapSlot(slot, this.sources);
      if (typeof key !== 'string' && matches(key, row.key_check)) {
        this.#dataKey = key;
        return key;
      }
      const why = typeof key === 'string' ? key : 'it opened to a wrong key';
      reasons.push(`${slot.kind} (${slot.backend}): ${why}`);
    }
    throw new DagdeskError(
      'secrets_locked',
      `secrets are locked: no key slot of this store opens here; ` +
        `${reasons.join('; ')}. Open it with DAGDESK_MASTER_KEY or ` +
        'DAGDESK_RECOVERY_KEY, whichever slot the store has',
    );
  }

  private assertCanWrap(kind: SlotKind, sources: KeySources): void {
    const problem = this.wrapProblem(kind, sources);
    if (problem) throw new DagdeskError('bad_request', problem);
  }

  private wrapProblem(kind: SlotKind, sources: KeySources): string | undefined {
    if (kind === 'recovery') {
      return sources.recoveryKey ? undefined : 'no recovery key was made';
    }
    if (kind === 'env') return masterKeyProblem(sources.masterKey);
    return osProblem(sources);
  }

  private noProtectedStorage(): DagdeskError {
    const os = osProblem(this.sources);
    const env = masterKeyProblem(this.sources.masterKey);
    return new DagdeskError(
      'secrets_locked',
      `cannot store secrets: ${os}; and ${env}. Set DAGDESK_MASTER_KEY to a ` +
        `passphrase of at least ${MASTER_KEY_MIN} characters, or make the OS ` +
        'keyring reachable',
    );
  }
}

function masterKeyProblem(masterKey: string | undefined): string | undefined {
  if (masterKey === undefined) return `${slotVariable('env')} is not set`;
  if (masterKey.length < MASTER_KEY_MIN) {
    return (
      `${slotVariable('env')} is ${masterKey.length} characters long: ` +
      `at least ${MASTER_KEY_MIN} are required`
    );
  }
  return undefined;
}

function osProblem(sources: KeySources): string | undefined {
  const os = sources.os;
  if (!os?.isEncryptionAvailable()) {
    return 'OS protected storage is not available';
  }
  if (
    os.getSelectedStorageBackend() === 'basic_text' &&
    !sources.allowBasicText
  ) {
    return (
      'the OS keyring is unreachable and its fallback, basic_text, is a ' +
      'hard-coded key, so it protects nothing (set DAGDESK_ALLOW_BASIC_TEXT=1 ' +
      'to accept it anyway)'
    );
  }
  return undefined;
}

function matches(key: Buffer, check: Buffer): boolean {
  const actual = keyCheck(key);
  return actual.length === check.length && timingSafeEqual(actual, check);
}
