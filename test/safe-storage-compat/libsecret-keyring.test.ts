import { createCipheriv, createDecipheriv, pbkdf2Sync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  SafeStorageError,
  createSafeStorageCompat,
} from '../../src-main/safe-storage-compat/index.js';
import { runCompatProcess } from './helpers/compat-process.js';
import {
  itemsFor,
  lookupPassword,
  requireKeyringSession,
  storeItem,
  uniqueAppName,
} from './helpers/keyring-session.js';

const IV = Buffer.alloc(16, 0x20);
const linuxKey = (password: string) =>
  pbkdf2Sync(password, 'saltysalt', 1, 16, 'sha1');

function referenceOpen(value: Buffer, key: Buffer): string {
  const decipher = createDecipheriv('aes-128-cbc', key, IV);
  const body = value.subarray(3);
  return Buffer.concat([decipher.update(body), decipher.final()]).toString();
}

function referenceSeal(prefix: string, key: Buffer, plain: string): Buffer {
  const cipher = createCipheriv('aes-128-cbc', key, IV);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from(prefix), body]);
}

beforeAll(() => {
  requireKeyringSession();
});

describe('safe storage on the Secret Service (gnome-keyring)', () => {
  it('picks gnome_libsecret by default when the service answers', () => {
    const storage = createSafeStorageCompat({
      applicationName: uniqueAppName(),
    });

    expect(storage.getSelectedStorageBackend()).toBe('gnome_libsecret');
  });

  it('creates the keyring item on first use, named as Electron names it', () => {
    const app = uniqueAppName();
    const storage = createSafeStorageCompat({ applicationName: app });
    expect(itemsFor(app)).toEqual([]);

    const sealed = storage.encryptString('first value');

    const items = itemsFor(app);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      label: 'Chromium Safe Storage',
      schema: 'chrome_libsecret_os_crypt_password_v2',
    });
    const password = lookupPassword(app);
    expect(password).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(sealed.subarray(0, 3).toString()).toBe('v11');
    expect(referenceOpen(sealed, linuxKey(password!))).toBe('first value');
  });

  it('uses an item the app made before, and makes no second one', () => {
    const app = uniqueAppName();
    const appPassword = 'QXBwTWFkZVRoaXNLZXkhIQ==';
    storeItem(app, appPassword);
    const fromApp = referenceSeal('v11', linuxKey(appPassword), 'app value');

    const storage = createSafeStorageCompat({
      applicationName: app,
      passwordStore: 'gnome-libsecret',
    });

    expect(storage.isEncryptionAvailable()).toBe(true);
    expect(storage.decryptString(fromApp)).toBe('app value');
    const sealed = storage.encryptString('cli value');
    expect(referenceOpen(sealed, linuxKey(appPassword))).toBe('cli value');
    expect(itemsFor(app)).toHaveLength(1);
  });

  it('opens in a second instance what the first sealed', () => {
    const app = uniqueAppName();
    const first = createSafeStorageCompat({ applicationName: app });
    const sealed = first.encryptString('shared');

    const second = createSafeStorageCompat({ applicationName: app });

    expect(second.decryptString(sealed)).toBe('shared');
    expect(itemsFor(app)).toHaveLength(1);
  });

  it('opens in a fresh process what this one sealed, and back', () => {
    const app = uniqueAppName();
    const here = createSafeStorageCompat({ applicationName: app });
    const sealedHere = here.encryptString('sealed in the test process');

    const there = runCompatProcess({
      applicationName: app,
      decrypt: sealedHere.toString('base64'),
      encrypt: 'sealed in a child process',
    });

    expect(there).toMatchObject({
      backend: 'gnome_libsecret',
      available: true,
      opened: 'sealed in the test process',
    });
    const sealedThere = Buffer.from(there.sealed!, 'base64');
    expect(sealedThere.subarray(0, 3).toString()).toBe('v11');
    expect(here.decryptString(sealedThere)).toBe('sealed in a child process');
  });

  it('still opens v10 values, as Chromium does', () => {
    const storage = createSafeStorageCompat({
      applicationName: uniqueAppName(),
    });
    const v10 = referenceSeal('v10', linuxKey('peanuts'), 'from basic_text');

    expect(storage.decryptString(v10)).toBe('from basic_text');
  });

  it('refuses a v11 value sealed under another app’s password', () => {
    const mine = createSafeStorageCompat({ applicationName: uniqueAppName() });
    const theirs = createSafeStorageCompat({
      applicationName: uniqueAppName(),
    });
    const sealed = theirs.encryptString('not for you');

    expect(() => mine.decryptString(sealed)).toThrow(SafeStorageError);
  });
});

describe('without a session bus', () => {
  const noBus = {
    ...process.env,
    DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/dagdesk-test-bus',
  };

  it('falls back to basic_text by default', () => {
    const reply = runCompatProcess(
      { applicationName: uniqueAppName(), encrypt: 'x' },
      noBus,
    );

    expect(reply.backend).toBe('basic_text');
    expect(reply.available).toBe(true);
    expect(Buffer.from(reply.sealed!, 'base64').subarray(0, 3).toString()).toBe(
      'v10',
    );
  });

  it('is unavailable when gnome-libsecret was asked for', () => {
    const reply = runCompatProcess(
      {
        applicationName: uniqueAppName(),
        passwordStore: 'gnome-libsecret',
        encrypt: 'x',
      },
      noBus,
    );

    expect(reply).toMatchObject({
      backend: 'gnome_libsecret',
      available: false,
      error: { code: 'keyring_failed' },
    });
    expect(reply.sealed).toBeUndefined();
  });
});
