import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DagdeskError } from '../../src-main/errors.js';
import { resolveProfile } from '../../src-main/profiles/resolve.js';
import { createSafeStorageCompat } from '../../src-main/safe-storage-compat/index.js';
import { admin } from '../support/actors.js';
import { testCore } from '../support/core.js';
import { tempHome } from '../support/temp-home.js';

// These run against the real gnome-keyring that `npm test` starts.
const osStorage = (applicationName: string, passwordStore?: 'basic') =>
  createSafeStorageCompat({ applicationName, passwordStore });

function forgetKeyring(applicationName: string): void {
  execFileSync('secret-tool', [
    'clear',
    'xdg:schema',
    'chrome_libsecret_os_crypt_password_v2',
    'application',
    applicationName,
  ]);
}

function readToken(core: ReturnType<typeof testCore>): string | undefined {
  return resolveProfile(core.db, core.vault, admin, 'prod', 'use').secrets.get(
    'TOKEN',
  );
}

function storeSealedByKeyring() {
  const app = `dagdesk-test-${randomUUID()}`;
  const home = tempHome();
  const core = testCore({ os: osStorage(app) }, home);
  core.profiles.create(admin, { name: 'prod' });
  core.profiles.setSecret(admin, 'prod', 'TOKEN', 'keyring-sealed-value');
  return { app, home, core };
}

describe('the OS key slot, on a real Secret Service', () => {
  it('opens the store in a fresh process state through the keyring alone', () => {
    const { app, home, core } = storeSealedByKeyring();
    expect(core.vault.slots()).toMatchObject([
      { kind: 'os', backend: 'gnome_libsecret' },
    ]);
    expect(readToken(testCore({ os: osStorage(app) }, home))).toBe(
      'keyring-sealed-value',
    );
  });

  it('fails closed when the keyring item is lost, and recovers with the recovery key', () => {
    const { app, home, core } = storeSealedByKeyring();
    const { recoveryKey } = core.vault.addSlot('recovery');
    forgetKeyring(app);

    const lost = testCore({ os: osStorage(app) }, home);
    let error: unknown;
    try {
      readToken(lost);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DagdeskError);
    expect((error as DagdeskError).message).toMatch(
      new RegExp(
        String.raw`^cannot decrypt secrets prod\/TOKEN: secrets are locked: ` +
          String.raw`.*os \(gnome_libsecret\): the OS keyring did not open it`,
      ),
    );

    // The recovery key opens it and re-wraps the data key for the new keyring.
    const recovered = testCore({ os: osStorage(app), recoveryKey }, home);
    expect(readToken(recovered)).toBe('keyring-sealed-value');
    recovered.vault.addSlot('os');
    expect(readToken(testCore({ os: osStorage(app) }, home))).toBe(
      'keyring-sealed-value',
    );
  });

  it('refuses basic_text unless the operator opts in', () => {
    const basic = osStorage(`dagdesk-test-${randomUUID()}`, 'basic');
    const refused = testCore({ os: basic });
    refused.profiles.create(admin, { name: 'prod' });
    expect(() =>
      refused.profiles.setSecret(admin, 'prod', 'TOKEN', 'value-1234'),
    ).toThrow(
      /basic_text, is a hard-coded key, so it protects nothing \(set DAGDESK_ALLOW_BASIC_TEXT=1/,
    );

    const accepted = testCore({ os: basic, allowBasicText: true });
    accepted.profiles.create(admin, { name: 'prod' });
    accepted.profiles.setSecret(admin, 'prod', 'TOKEN', 'value-1234');
    expect(accepted.vault.slots()).toMatchObject([
      { kind: 'os', backend: 'basic_text' },
    ]);
  });

  it('wraps the data key in both the keyring and the master key when both exist', () => {
    const app = `dagdesk-test-${randomUUID()}`;
    const home = tempHome();
    const core = testCore(
      { os: osStorage(app), masterKey: 'both-slots-master-key' },
      home,
    );
    core.profiles.create(admin, { name: 'prod' });
    core.profiles.setSecret(admin, 'prod', 'TOKEN', 'two-slot-value');
    expect(core.vault.slots().map((s) => s.kind)).toEqual(['env', 'os']);
    forgetKeyring(app);
    const headless = testCore({ masterKey: 'both-slots-master-key' }, home);
    expect(readToken(headless)).toBe('two-slot-value');
  });
});
