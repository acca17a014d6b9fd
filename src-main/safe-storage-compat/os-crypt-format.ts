import {
  createCipheriv,
  createDecipheriv,
  pbkdf2Sync,
  randomBytes,
} from 'node:crypto';
import { SafeStorageError } from './errors.js';

/**
 * Chromium's OS crypt value format: a 3-byte version prefix, then
 * AES-128-CBC with a fixed IV and PKCS#7 padding, under a key derived from
 * a password with PBKDF2-HMAC-SHA1.
 */
export type OsCryptPrefix = 'v10' | 'v11';

export const OS_CRYPT_PREFIXES: readonly OsCryptPrefix[] = ['v10', 'v11'];

/** Linux derives with one iteration, macOS with 1003. */
export const LINUX_ITERATIONS = 1;
export const MAC_ITERATIONS = 1003;

/** The hard-coded password of Linux `basic_text` (v10) values. */
export const BASIC_TEXT_PASSWORD = 'peanuts';

const SALT = 'saltysalt';
const KEY_BYTES = 16;
const BLOCK_BYTES = 16;
const IV = Buffer.alloc(BLOCK_BYTES, ' ');
const CIPHER = 'aes-128-cbc';

export function deriveOsCryptKey(password: string, iterations: number) {
  return pbkdf2Sync(password, SALT, iterations, KEY_BYTES, 'sha1');
}

/** A new keyring password as Chromium makes one: 16 random bytes, base64. */
export function newKeyringPassword(): string {
  return randomBytes(16).toString('base64');
}

export function sealOsCrypt(
  prefix: OsCryptPrefix,
  key: Buffer,
  plaintext: Buffer,
): Buffer {
  const cipher = createCipheriv(CIPHER, key, IV);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from(prefix, 'latin1'), body]);
}

/** The version prefix of `value`, if it has one this module knows. */
export function readOsCryptPrefix(value: Buffer): OsCryptPrefix | undefined {
  const head = value.subarray(0, 3).toString('latin1');
  return OS_CRYPT_PREFIXES.find((prefix) => prefix === head);
}

/** Opens a prefixed value with `key`; throws `decrypt_failed`. */
export function openOsCrypt(value: Buffer, key: Buffer): Buffer {
  const prefix = readOsCryptPrefix(value);
  if (!prefix) throw notOsCrypt();

  const body = value.subarray(prefix.length);
  if (body.length === 0 || body.length % BLOCK_BYTES !== 0) {
    throw new SafeStorageError(
      'decrypt_failed',
      `the ${prefix} value has a damaged body (${body.length} bytes, ` +
        `expected a non-empty multiple of ${BLOCK_BYTES})`,
    );
  }

  try {
    const decipher = createDecipheriv(CIPHER, key, IV);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch (cause) {
    throw new SafeStorageError(
      'decrypt_failed',
      `the ${prefix} value does not open with this key (sealed under ` +
        'another keyring password, or damaged)',
      { cause },
    );
  }
}

export function notOsCrypt(): SafeStorageError {
  return new SafeStorageError(
    'decrypt_failed',
    'the value is not an OS crypt value (it must start with v10 or v11)',
  );
}
