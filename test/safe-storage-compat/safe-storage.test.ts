import { createCipheriv, createDecipheriv, pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  type SafeStorage,
  SafeStorageError,
  createSafeStorageCompat,
} from '../../src-main/safe-storage-compat/index.js';
import {
  keychainItemFor,
  secretServiceItemFor,
} from '../../src-main/safe-storage-compat/keyring-names.js';
import { linuxKeys } from '../../src-main/safe-storage-compat/linux-keys.js';
import { macKeys } from '../../src-main/safe-storage-compat/mac-keys.js';
import { createOsCryptStorage } from '../../src-main/safe-storage-compat/os-crypt-storage.js';

const IV = Buffer.alloc(16, 0x20);
const keyOf = (password: string, iterations: number) =>
  pbkdf2Sync(password, 'saltysalt', iterations, 16, 'sha1');

function referenceSeal(prefix: string, key: Buffer, plain: Buffer): Buffer {
  const cipher = createCipheriv('aes-128-cbc', key, IV);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([Buffer.from(prefix), body]);
}

function referenceOpen(value: Buffer, key: Buffer): string {
  const decipher = createDecipheriv('aes-128-cbc', key, IV);
  const body = value.subarray(3);
  return Buffer.concat([decipher.update(body), decipher.final()]).toString();
}

function errorOf(run: () => unknown): SafeStorageError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SafeStorageError);
    return error as SafeStorageError;
  }
  throw new Error('expected a SafeStorageError');
}

/** A Secret Service stand-in that counts what is asked of it. */
function fakeKeyring(options: { answers: boolean; password?: string }) {
  const calls = { answers: 0, password: 0 };
  const keyring = {
    answers() {
      calls.answers++;
      return options.answers;
    },
    readOrCreatePassword() {
      calls.password++;
      if (options.password !== undefined) return options.password;
      throw new SafeStorageError('keyring_failed', 'the keyring is locked');
    },
  };
  return { keyring, calls };
}

describe('the basic password store (Linux)', () => {
  const basic = () =>
    createSafeStorageCompat({
      applicationName: 'Dagdesk',
      platform: 'linux',
      passwordStore: 'basic',
    });

  it('reports basic_text and counts as available', () => {
    const storage = basic();

    expect(storage.getSelectedStorageBackend()).toBe('basic_text');
    expect(storage.isEncryptionAvailable()).toBe(true);
  });

  it('seals v10 values under the "peanuts" key', () => {
    const sealed = basic().encryptString('hunter2');

    expect(sealed.subarray(0, 3).toString()).toBe('v10');
    expect(referenceOpen(sealed, keyOf('peanuts', 1))).toBe('hunter2');
  });

  it('round-trips text across instances, including non-ASCII', () => {
    const text = 'pässwörd 🔑 with "quotes"\nand a second line';

    expect(basic().decryptString(basic().encryptString(text))).toBe(text);
  });

  it('opens a v10 value sealed elsewhere', () => {
    const sealed = referenceSeal(
      'v10',
      keyOf('peanuts', 1),
      Buffer.from('from Electron'),
    );

    expect(basic().decryptString(sealed)).toBe('from Electron');
  });

  it('refuses v11 values, which need the keyring password', () => {
    const sealed = referenceSeal('v11', keyOf('x', 1), Buffer.from('v11'));

    const error = errorOf(() => basic().decryptString(sealed));
    expect(error.code).toBe('decrypt_failed');
    expect(error.message).toMatch(/basic password store/);
  });

  it('seals the empty string as an empty value, as Electron does', () => {
    const storage = basic();

    expect(storage.encryptString('')).toHaveLength(0);
    expect(storage.decryptString(Buffer.alloc(0))).toBe('');
  });

  it('refuses unprefixed, tampered and non-text values', () => {
    const storage = basic();
    const sealed = storage.encryptString('a secret of some length');
    const truncated = sealed.subarray(0, sealed.length - 3);
    const notText = referenceSeal(
      'v10',
      keyOf('peanuts', 1),
      Buffer.from([0xff, 0xfe, 0x00, 0xc3]),
    );

    for (const value of [Buffer.from('plain text'), truncated, notText]) {
      expect(errorOf(() => storage.decryptString(value)).code).toBe(
        'decrypt_failed',
      );
    }
  });
});

describe('Linux store selection', () => {
  it('runs no keyring command until it is used', () => {
    const { keyring, calls } = fakeKeyring({ answers: true, password: 'pw' });
    const storage = createOsCryptStorage(
      linuxKeys({ applicationName: 'Dagdesk' }, keyring),
    );
    expect(calls).toEqual({ answers: 0, password: 0 });

    expect(storage.getSelectedStorageBackend()).toBe('gnome_libsecret');
    expect(calls).toEqual({ answers: 1, password: 0 });
  });

  it('falls back to basic_text when no Secret Service answers', () => {
    const { keyring, calls } = fakeKeyring({ answers: false });
    const storage = createOsCryptStorage(
      linuxKeys({ applicationName: 'Dagdesk' }, keyring),
    );

    expect(storage.getSelectedStorageBackend()).toBe('basic_text');
    expect(storage.encryptString('x').subarray(0, 3).toString()).toBe('v10');
    expect(calls.password).toBe(0);
  });

  it('uses libsecret when asked, reading the password once', () => {
    const password = 'yaP4Tt0T3ZdbIzxWD7mD4Q==';
    const { keyring, calls } = fakeKeyring({ answers: false, password });
    const storage = createOsCryptStorage(
      linuxKeys(
        { applicationName: 'Dagdesk', passwordStore: 'gnome-libsecret' },
        keyring,
      ),
    );

    const sealed = storage.encryptString('one');
    expect(storage.decryptString(storage.encryptString('two'))).toBe('two');

    expect(sealed.subarray(0, 3).toString()).toBe('v11');
    expect(referenceOpen(sealed, keyOf(password, 1))).toBe('one');
    expect(calls).toEqual({ answers: 0, password: 1 });
  });

  it('is unavailable, not basic, when the chosen keyring fails', () => {
    const { keyring } = fakeKeyring({ answers: true });
    const storage = createOsCryptStorage(
      linuxKeys({ applicationName: 'Dagdesk' }, keyring),
    );
    const v10 = referenceSeal('v10', keyOf('peanuts', 1), Buffer.from('old'));

    expect(storage.getSelectedStorageBackend()).toBe('gnome_libsecret');
    expect(storage.isEncryptionAvailable()).toBe(false);
    expect(errorOf(() => storage.encryptString('x')).code).toBe(
      'keyring_failed',
    );
    expect(storage.decryptString(v10)).toBe('old');
  });
});

describe('macOS keys (fixed password)', () => {
  const password = 'bWFjLWtleWNoYWluLXB3IQ==';
  const macStorage = () => {
    const seen: string[] = [];
    const keychain = {
      readOrCreatePassword(item: { service: string; account: string }) {
        seen.push(`${item.service}/${item.account}`);
        return password;
      },
    };
    return {
      storage: createOsCryptStorage(macKeys('Dagdesk', keychain)),
      seen,
    };
  };

  it('seals v10 values under a 1003-iteration key', () => {
    const { storage, seen } = macStorage();
    const sealed = storage.encryptString('mac secret');

    expect(storage.getSelectedStorageBackend()).toBe('keychain');
    expect(sealed.subarray(0, 3).toString()).toBe('v10');
    expect(referenceOpen(sealed, keyOf(password, 1003))).toBe('mac secret');
    expect(() => referenceOpen(sealed, keyOf(password, 1))).toThrow();
    expect(seen).toEqual(['Dagdesk Safe Storage/Dagdesk Key']);
  });

  it('opens what the app sealed and refuses v11', () => {
    const { storage } = macStorage();
    const key = keyOf(password, 1003);
    const fromApp = referenceSeal('v10', key, Buffer.from('from the app'));
    const v11 = referenceSeal('v11', key, Buffer.from('linux only'));

    expect(storage.decryptString(fromApp)).toBe('from the app');
    expect(errorOf(() => storage.decryptString(v11)).code).toBe(
      'decrypt_failed',
    );
  });
});

describe('keyring item names', () => {
  it('names the Secret Service item as Electron does', () => {
    expect(secretServiceItemFor('Dagdesk')).toEqual({
      schema: 'chrome_libsecret_os_crypt_password_v2',
      application: 'Dagdesk',
      label: 'Chromium Safe Storage',
    });
  });

  it('names the keychain item as Electron does', () => {
    expect(keychainItemFor('Dagdesk')).toEqual({
      service: 'Dagdesk Safe Storage',
      account: 'Dagdesk Key',
      legacyAccount: 'Dagdesk',
    });
  });
});

describe('platforms without reachable protected storage', () => {
  const expectUnavailable = (storage: SafeStorage) => {
    expect(storage.isEncryptionAvailable()).toBe(false);
    expect(storage.getSelectedStorageBackend()).toBe('unknown');

    const sealing = errorOf(() => storage.encryptString('x'));
    expect(sealing.code).toBe('unavailable');
    expect(sealing.message).toMatch(/DAGDESK_MASTER_KEY/);
    expect(errorOf(() => storage.decryptString(Buffer.from('v10'))).code).toBe(
      'unavailable',
    );
  };

  it('is unavailable on Windows and points to DAGDESK_MASTER_KEY', () => {
    const storage = createSafeStorageCompat({
      applicationName: 'Dagdesk',
      platform: 'win32',
    });

    expectUnavailable(storage);
    expect(errorOf(() => storage.encryptString('x')).message).toMatch(/DPAPI/);
  });

  it('is unavailable on other platforms', () => {
    expectUnavailable(
      createSafeStorageCompat({ applicationName: 'Dagdesk', platform: 'aix' }),
    );
  });
});

describe('options', () => {
  it('refuses application names Electron could not have', () => {
    for (const applicationName of ['', ' Dagdesk', 'Dagdesk\n', 'a\tb']) {
      const error = errorOf(() =>
        createSafeStorageCompat({ applicationName, platform: 'linux' }),
      );
      expect(error.code).toBe('invalid_options');
    }
  });
});
