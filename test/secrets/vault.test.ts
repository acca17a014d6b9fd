import { describe, expect, it } from 'vitest';
import { DagdeskError, SecretDecryptError } from '../../src-main/errors.js';
import { resolveProfile } from '../../src-main/profiles/resolve.js';
import { admin } from '../support/actors.js';
import { MASTER_KEY, testCore } from '../support/core.js';
import { tempHome } from '../support/temp-home.js';

function errorOf(fn: () => unknown): DagdeskError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DagdeskError) return error;
    throw error;
  }
  throw new Error('expected a DagdeskError');
}

/** A store holding one secret, sealed with the master key. */
function storeWithSecret() {
  const home = tempHome();
  const core = testCore({ masterKey: MASTER_KEY }, home);
  core.profiles.create(admin, { name: 'prod' });
  core.profiles.setSecret(admin, 'prod', 'TOKEN', 'vault-secret-value');
  return { home, core };
}

describe('the env key slot (DAGDESK_MASTER_KEY)', () => {
  it('is created with the first secret and opens the store in another process', () => {
    const { home, core } = storeWithSecret();
    expect(core.vault.slots().map((s) => s.kind)).toEqual(['env']);

    const again = testCore({ masterKey: MASTER_KEY }, home);
    const resolved = resolveProfile(
      again.db,
      again.vault,
      admin,
      'prod',
      'use',
    );
    expect(resolved.secrets.get('TOKEN')).toBe('vault-secret-value');
  });

  it('refuses a master key shorter than 16 characters', () => {
    const core = testCore({ masterKey: 'short-key' });
    core.profiles.create(admin, { name: 'prod' });
    const error = errorOf(() =>
      core.profiles.setSecret(admin, 'prod', 'T', 'value-1234'),
    );
    expect(error.code).toBe('secrets_locked');
    expect(error.message).toMatch(
      /DAGDESK_MASTER_KEY is 9 characters long: at least 16 are required/,
    );
    expect(core.profiles.get(admin, 'prod').entries).toEqual([]);
  });

  it('refuses to store a secret when nothing can protect it', () => {
    const core = testCore({});
    core.profiles.create(admin, { name: 'prod' });
    const error = errorOf(() =>
      core.profiles.setSecret(admin, 'prod', 'T', 'value-1234'),
    );
    expect(error.message).toMatch(
      new RegExp(
        '^cannot store secrets: OS protected storage is not available; ' +
          'and DAGDESK_MASTER_KEY is not set',
      ),
    );
  });

  it('fails closed, naming the entries, when the key does not match', () => {
    const { home, core } = storeWithSecret();
    core.profiles.setSecret(admin, 'prod', 'OTHER', 'second-secret-value');
    const wrong = testCore({ masterKey: 'another-master-key-0000' }, home);
    const error = errorOf(() =>
      resolveProfile(wrong.db, wrong.vault, admin, 'prod', 'use'),
    );
    expect(error).toBeInstanceOf(SecretDecryptError);
    expect((error as SecretDecryptError).entries).toEqual([
      { profile: 'prod', key: 'OTHER' },
      { profile: 'prod', key: 'TOKEN' },
    ]);
    expect(error.message).toMatch(
      /^cannot decrypt secrets prod\/OTHER, prod\/TOKEN: secrets are locked/,
    );
    expect(error.message).toMatch(
      /env \(env\): DAGDESK_MASTER_KEY does not match/,
    );
  });

  it('fails closed when a ciphertext was altered, and replaces nothing', () => {
    const { core } = storeWithSecret();
    core.db
      .prepare(
        "UPDATE secrets SET ciphertext = CAST(ciphertext || x'00' AS BLOB)",
      )
      .run();
    const error = errorOf(() =>
      resolveProfile(core.db, core.vault, admin, 'prod', 'use'),
    );
    expect(error.code).toBe('secret_decrypt_failed');
    expect(error.message).toMatch(/prod\/TOKEN: the ciphertext does not open/);
  });
});

describe('the recovery key slot', () => {
  it('shows a key once that opens the store without the master key', () => {
    const { home, core } = storeWithSecret();
    const { recoveryKey } = core.vault.addSlot('recovery');
    expect(recoveryKey).toMatch(/^([A-Z2-9]{4}-){7}[A-Z2-9]{4}$/);
    expect(core.vault.slots().map((s) => s.kind)).toEqual(['env', 'recovery']);
    expect(
      JSON.stringify(core.db.prepare('SELECT * FROM key_slots').all()),
    ).not.toContain(recoveryKey!.replaceAll('-', ''));

    const typedLoosely = recoveryKey!.toLowerCase().replaceAll('-', ' ');
    const recovered = testCore({ recoveryKey: typedLoosely }, home);
    const resolved = resolveProfile(
      recovered.db,
      recovered.vault,
      admin,
      'prod',
      'use',
    );
    expect(resolved.secrets.get('TOKEN')).toBe('vault-secret-value');
  });

  it('lets a store opened by recovery gain a new env slot', () => {
    const { home, core } = storeWithSecret();
    const { recoveryKey } = core.vault.addSlot('recovery');
    const newMasterKey = 'replacement-master-key-42';
    const recovered = testCore({ recoveryKey, masterKey: newMasterKey }, home);
    recovered.vault.addSlot('env');

    const fresh = testCore({ masterKey: newMasterKey }, home);
    expect(
      resolveProfile(fresh.db, fresh.vault, admin, 'prod', 'use').secrets.get(
        'TOKEN',
      ),
    ).toBe('vault-secret-value');
    const old = testCore({ masterKey: MASTER_KEY }, home);
    expect(
      errorOf(() => old.vault.openSecret('x', 1, Buffer.alloc(40))).code,
    ).toBe('secrets_locked');
  });

  it('names the slots a locked store has', () => {
    const { home, core } = storeWithSecret();
    core.vault.addSlot('recovery');
    const locked = testCore({}, home);
    const error = errorOf(() =>
      locked.vault.openSecret('x', 1, Buffer.alloc(40)),
    );
    expect(error.message).toMatch(
      new RegExp(
        '^secrets are locked: no key slot of this store opens here; ' +
          String.raw`env \(env\): DAGDESK_MASTER_KEY is not set; ` +
          String.raw`recovery \(recovery\): DAGDESK_RECOVERY_KEY is not set`,
      ),
    );
  });

  it('keeps the last slot', () => {
    const { core } = storeWithSecret();
    expect(errorOf(() => core.vault.removeSlot('env')).message).toMatch(/last/);
    core.vault.addSlot('recovery');
    core.vault.removeSlot('env');
    expect(core.vault.slots().map((s) => s.kind)).toEqual(['recovery']);
  });
});
