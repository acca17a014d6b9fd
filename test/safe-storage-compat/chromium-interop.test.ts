import { createDecipheriv, createHash, pbkdf2Sync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSafeStorageCompat } from '../../src-main/safe-storage-compat/index.js';
import { linuxKeys } from '../../src-main/safe-storage-compat/linux-keys.js';
import { openOsCrypt } from '../../src-main/safe-storage-compat/os-crypt-format.js';
import {
  type ChromiumCookie,
  cookieFromChromium,
  requireChromium,
} from './helpers/chromium-cookie.js';
import {
  clearItems,
  itemsFor,
  lookupPassword,
  requireKeyringSession,
} from './helpers/keyring-session.js';

// Chromium's own app name on Linux, which names its keyring item.
const CHROMIUM_APP = 'chromium';
const CHROMIUM_RUN_MS = 60_000;

const IV = Buffer.alloc(16, 0x20);
const linuxKey = (password: string) =>
  pbkdf2Sync(password, 'saltysalt', 1, 16, 'sha1');

function referenceOpen(value: Buffer, key: Buffer): Buffer {
  const decipher = createDecipheriv('aes-128-cbc', key, IV);
  return Buffer.concat([decipher.update(value.subarray(3)), decipher.final()]);
}

/** What Chromium sealed: the host's SHA-256, then the value (DB v24+). */
function cookiePlaintext(cookie: ChromiumCookie, value: string): Buffer {
  const text = Buffer.from(value);
  if (cookie.dbVersion < 24) return text;
  const hostHash = createHash('sha256').update(cookie.host).digest();
  return Buffer.concat([hostHash, text]);
}

/** The keys a compat instance for Chromium's app name would use. */
function compatKeys(passwordStore: 'basic' | 'gnome-libsecret') {
  return linuxKeys({ applicationName: CHROMIUM_APP, passwordStore });
}

beforeAll(() => {
  requireChromium();
  requireKeyringSession();
});

afterAll(() => {
  clearItems(CHROMIUM_APP);
});

describe('values sealed by real Chromium', () => {
  it(
    'opens a v10 cookie from --password-store=basic',
    async () => {
      const cookie = await cookieFromChromium('basic', {
        name: 'probe',
        value: 'basic-store-value',
      });
      const keys = compatKeys('basic');

      expect(cookie.encryptedValue.subarray(0, 3).toString()).toBe('v10');
      expect(cookie.host).toBe('127.0.0.1');
      expect(openOsCrypt(cookie.encryptedValue, keys.keyFor('v10'))).toEqual(
        cookiePlaintext(cookie, 'basic-store-value'),
      );
    },
    CHROMIUM_RUN_MS,
  );

  it(
    'opens a v11 cookie under the keyring item Chromium created',
    async () => {
      clearItems(CHROMIUM_APP);

      const cookie = await cookieFromChromium('gnome-libsecret', {
        name: 'probe',
        value: 'chromium-made-the-key',
      });

      const items = itemsFor(CHROMIUM_APP);
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({
        label: 'Chromium Safe Storage',
        schema: 'chrome_libsecret_os_crypt_password_v2',
      });
      const keys = compatKeys('gnome-libsecret');
      expect(cookie.encryptedValue.subarray(0, 3).toString()).toBe('v11');
      expect(openOsCrypt(cookie.encryptedValue, keys.keyFor('v11'))).toEqual(
        cookiePlaintext(cookie, 'chromium-made-the-key'),
      );

      // Conversely: what we seal opens under Chromium's own password.
      const storage = createSafeStorageCompat({
        applicationName: CHROMIUM_APP,
        passwordStore: 'gnome-libsecret',
      });
      const sealed = storage.encryptString('sealed by compat');
      const chromiumKey = linuxKey(lookupPassword(CHROMIUM_APP)!);
      expect(referenceOpen(sealed, chromiumKey).toString()).toBe(
        'sealed by compat',
      );
      expect(itemsFor(CHROMIUM_APP)).toHaveLength(1);
    },
    CHROMIUM_RUN_MS,
  );

  it(
    'has Chromium seal under a keyring item we created',
    async () => {
      clearItems(CHROMIUM_APP);
      const storage = createSafeStorageCompat({
        applicationName: CHROMIUM_APP,
        passwordStore: 'gnome-libsecret',
      });
      const sealed = storage.encryptString('sealed before chromium ran');
      const ourPassword = lookupPassword(CHROMIUM_APP)!;

      const cookie = await cookieFromChromium('gnome-libsecret', {
        name: 'probe',
        value: 'compat-made-the-key',
      });

      expect(itemsFor(CHROMIUM_APP)).toHaveLength(1);
      expect(cookie.encryptedValue.subarray(0, 3).toString()).toBe('v11');
      expect(
        referenceOpen(cookie.encryptedValue, linuxKey(ourPassword)),
      ).toEqual(cookiePlaintext(cookie, 'compat-made-the-key'));
      expect(storage.decryptString(sealed)).toBe('sealed before chromium ran');
    },
    CHROMIUM_RUN_MS,
  );
});
