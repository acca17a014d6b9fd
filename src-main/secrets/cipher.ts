import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  randomBytes,
  scryptSync,
} from 'node:crypto';

/**
 * AES-256-GCM sealing with a leading format byte, so a later format can be
 * told apart and migrated.
 */
const FORMAT_V1 = 0x01;
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const DATA_KEY_BYTES = 32;

export function newDataKey(): Buffer {
  return randomBytes(DATA_KEY_BYTES);
}

/** Seals `plaintext`; `context` is bound as associated data. */
export function seal(key: Buffer, plaintext: Buffer, context: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.of(FORMAT_V1), iv, cipher.getAuthTag(), body]);
}

/** Opens what `seal` made with the same key and context; throws otherwise. */
export function open(key: Buffer, sealed: Buffer, context: string): Buffer {
  if (sealed[0] !== FORMAT_V1 || sealed.length < 1 + IV_BYTES + TAG_BYTES) {
    throw new Error('unknown ciphertext format');
  }
  const iv = sealed.subarray(1, 1 + IV_BYTES);
  const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(tag);
  const body = sealed.subarray(1 + IV_BYTES + TAG_BYTES);
  return Buffer.concat([decipher.update(body), decipher.final()]);
}

/** Associated data of a secret value: a ciphertext moved to another secret
 * or version does not open. */
export function secretContext(secretId: string, version: number): string {
  return `secret:${secretId}:${version}`;
}

// scrypt cost: about 50 ms here, paid once per process that opens the store.
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

/** A key-encryption key from a passphrase or recovery key. */
export function deriveKek(passphrase: string, salt: Buffer): Buffer {
  return scryptSync(passphrase.normalize('NFC'), salt, 32, SCRYPT);
}

/** Tells whether an unwrapped data key is the store's, revealing nothing. */
export function keyCheck(dataKey: Buffer): Buffer {
  return createHmac('sha256', dataKey).update('dagdesk key check').digest();
}
