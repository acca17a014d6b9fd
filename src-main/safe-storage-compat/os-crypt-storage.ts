import { SafeStorageError } from './errors.js';
import {
  type OsCryptPrefix,
  notOsCrypt,
  openOsCrypt,
  readOsCryptPrefix,
  sealOsCrypt,
} from './os-crypt-format.js';
import type { SafeStorage, StorageBackend } from './types.js';

/** Where a platform's OS crypt keys come from. */
export interface OsCryptKeys {
  backend(): StorageBackend;
  /** The prefix new values are sealed with. */
  sealPrefix(): OsCryptPrefix;
  /** The key for values with `prefix`; throws a `SafeStorageError`. */
  keyFor(prefix: OsCryptPrefix): Buffer;
}

// Fatal, so a value opened under a wrong key that happens to pass the padding
// check is refused rather than returned as garbage. Electron's encryptString
// only ever seals valid UTF-8.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function createOsCryptStorage(keys: OsCryptKeys): SafeStorage {
  return {
    isEncryptionAvailable: () => canSeal(keys),
    encryptString: (plainText) => seal(keys, plainText),
    decryptString: (encrypted) => open(keys, encrypted),
    getSelectedStorageBackend: () => keys.backend(),
  };
}

function canSeal(keys: OsCryptKeys): boolean {
  try {
    keys.keyFor(keys.sealPrefix());
    return true;
  } catch (error) {
    if (error instanceof SafeStorageError) return false;
    throw error;
  }
}

function seal(keys: OsCryptKeys, plainText: string): Buffer {
  // Chromium seals the empty string as an empty value, unprefixed.
  if (plainText === '') return Buffer.alloc(0);

  const prefix = keys.sealPrefix();
  const plain = Buffer.from(plainText, 'utf8');
  return sealOsCrypt(prefix, keys.keyFor(prefix), plain);
}

function open(keys: OsCryptKeys, encrypted: Buffer): string {
  if (encrypted.length === 0) return '';

  const prefix = readOsCryptPrefix(encrypted);
  if (!prefix) throw notOsCrypt();
  const plain = openOsCrypt(encrypted, keys.keyFor(prefix));

  try {
    return utf8.decode(plain);
  } catch {
    throw new SafeStorageError(
      'decrypt_failed',
      `the ${prefix} value opened to bytes that are not UTF-8 text ` +
        '(sealed under another key, or not sealed by encryptString)',
    );
  }
}
