import { describe, expect, it } from 'vitest';
import {
  deriveKek,
  newDataKey,
  open,
  seal,
  secretContext,
} from '../../src-main/secrets/cipher.js';

describe('AES-256-GCM sealing', () => {
  const key = newDataKey();
  const plain = Buffer.from('hunter2-and-more', 'utf8');

  it('opens what it sealed, under the same context', () => {
    const sealed = seal(key, plain, secretContext('id-1', 3));
    expect(open(key, sealed, secretContext('id-1', 3))).toEqual(plain);
  });

  it('never seals the same value to the same bytes twice', () => {
    expect(seal(key, plain, 'c')).not.toEqual(seal(key, plain, 'c'));
  });

  it('refuses a ciphertext moved to another secret or version', () => {
    const sealed = seal(key, plain, secretContext('id-1', 3));
    expect(() => open(key, sealed, secretContext('id-2', 3))).toThrow();
    expect(() => open(key, sealed, secretContext('id-1', 4))).toThrow();
  });

  it('refuses a tampered ciphertext, a wrong key and an unknown format', () => {
    const sealed = seal(key, plain, 'c');
    const flipped = Buffer.from(sealed);
    flipped[flipped.length - 1]! ^= 1;
    expect(() => open(key, flipped, 'c')).toThrow();
    expect(() => open(newDataKey(), sealed, 'c')).toThrow();
    const otherFormat = Buffer.from(sealed);
    otherFormat[0] = 0x02;
    expect(() => open(key, otherFormat, 'c')).toThrow(
      /unknown ciphertext format/,
    );
  });

  it('derives the same key from the same passphrase and salt only', () => {
    const salt = Buffer.alloc(16, 7);
    expect(deriveKek('passphrase-one!!', salt)).toEqual(
      deriveKek('passphrase-one!!', salt),
    );
    expect(deriveKek('passphrase-one!!', salt)).not.toEqual(
      deriveKek('passphrase-two!!', salt),
    );
    expect(deriveKek('passphrase-one!!', salt)).not.toEqual(
      deriveKek('passphrase-one!!', Buffer.alloc(16, 8)),
    );
  });
});
