import { createCipheriv, createDecipheriv, pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SafeStorageError } from '../../src-main/safe-storage-compat/index.js';
import {
  BASIC_TEXT_PASSWORD,
  LINUX_ITERATIONS,
  MAC_ITERATIONS,
  deriveOsCryptKey,
  newKeyringPassword,
  openOsCrypt,
  readOsCryptPrefix,
  sealOsCrypt,
} from '../../src-main/safe-storage-compat/os-crypt-format.js';

// The format written out independently of the module under test.
const IV = Buffer.from('                ', 'latin1');
const keyOf = (password: string, iterations: number) =>
  pbkdf2Sync(password, 'saltysalt', iterations, 16, 'sha1');

function referenceSeal(prefix: string, key: Buffer, plain: string): Buffer {
  const cipher = createCipheriv('aes-128-cbc', key, IV);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from(prefix), body]);
}

function referenceOpen(value: Buffer, key: Buffer): string {
  const decipher = createDecipheriv('aes-128-cbc', key, IV);
  const body = value.subarray(3);
  return Buffer.concat([decipher.update(body), decipher.final()]).toString();
}

function decryptError(run: () => unknown): SafeStorageError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SafeStorageError);
    expect((error as SafeStorageError).code).toBe('decrypt_failed');
    return error as SafeStorageError;
  }
  throw new Error('expected a decrypt_failed SafeStorageError');
}

describe('OS crypt key derivation', () => {
  it('derives the v10 key Chromium hard-codes for "peanuts"', () => {
    const key = deriveOsCryptKey(BASIC_TEXT_PASSWORD, LINUX_ITERATIONS);

    expect(key.toString('hex')).toBe('fd621fe5a2b402539dfa147ca9272778');
    expect(key).toEqual(keyOf('peanuts', 1));
  });

  it('derives Linux and macOS keys with 1 and 1003 iterations', () => {
    const password = 'c2FtcGxlLXBhc3N3b3JkIQ==';

    expect(deriveOsCryptKey(password, LINUX_ITERATIONS)).toEqual(
      keyOf(password, 1),
    );
    expect(deriveOsCryptKey(password, MAC_ITERATIONS)).toEqual(
      keyOf(password, 1003),
    );
    expect(keyOf(password, 1)).not.toEqual(keyOf(password, 1003));
  });

  it('makes keyring passwords of 16 random bytes in base64', () => {
    const first = newKeyringPassword();

    expect(first).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(Buffer.from(first, 'base64')).toHaveLength(16);
    expect(newKeyringPassword()).not.toBe(first);
  });
});

describe('OS crypt values', () => {
  const v10Key = keyOf('peanuts', 1);
  const v11Key = keyOf('yaP4Tt0T3ZdbIzxWD7mD4Q==', 1);

  it('round-trips v10 and v11 values', () => {
    for (const [prefix, key] of [
      ['v10', v10Key],
      ['v11', v11Key],
    ] as const) {
      const plain = Buffer.from(`token for ${prefix} ✓`);
      const sealed = sealOsCrypt(prefix, key, plain);

      expect(sealed.subarray(0, 3).toString()).toBe(prefix);
      expect(readOsCryptPrefix(sealed)).toBe(prefix);
      expect(openOsCrypt(sealed, key)).toEqual(plain);
    }
  });

  it('opens a value sealed directly with node:crypto', () => {
    const sealed = referenceSeal('v11', v11Key, 'made elsewhere');

    expect(openOsCrypt(sealed, v11Key).toString()).toBe('made elsewhere');
  });

  it('seals what node:crypto opens, with a fixed IV and PKCS#7', () => {
    const sealed = sealOsCrypt('v10', v10Key, Buffer.from('sixteen bytes!!!'));

    // A full block of padding follows a block-sized plaintext.
    expect(sealed).toHaveLength(3 + 32);
    expect(sealed).toEqual(referenceSeal('v10', v10Key, 'sixteen bytes!!!'));
    expect(referenceOpen(sealed, v10Key)).toBe('sixteen bytes!!!');
  });

  it('refuses values without a known prefix', () => {
    const body = referenceSeal('v10', v10Key, 'x').subarray(3);

    for (const prefix of ['v12', 'V10', 'v1', '']) {
      const value = Buffer.concat([Buffer.from(prefix), body]);
      expect(readOsCryptPrefix(value)).toBeUndefined();
      decryptError(() => openOsCrypt(value, v10Key));
    }
  });

  it('refuses a truncated or empty body', () => {
    const sealed = referenceSeal('v11', v11Key, 'a value that spans blocks');

    decryptError(() =>
      openOsCrypt(sealed.subarray(0, sealed.length - 1), v11Key),
    );
    decryptError(() => openOsCrypt(Buffer.from('v11'), v11Key));
  });

  it('refuses a tampered value: bad padding', () => {
    // 20 bytes of text leave 12 bytes of padding (0x0c) in the last block.
    const sealed = referenceSeal('v10', v10Key, 'twenty bytes of text');
    const tampered = Buffer.from(sealed);
    // CBC: this flips the last plaintext byte, so the padding reads 0x0d.
    tampered[3 + 15] = tampered[3 + 15]! ^ 0x01;

    const error = decryptError(() => openOsCrypt(tampered, v10Key));
    expect(error.message).toMatch(/does not open with this key/);
  });

  it('refuses a value sealed under another key', () => {
    const sealed = referenceSeal('v11', v11Key, 'sealed under one key');

    decryptError(() => openOsCrypt(sealed, keyOf('another password', 1)));
  });
});
