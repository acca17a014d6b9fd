import { describe, expect, it } from 'vitest';
import { readAudit } from '../../src-main/store/audit.js';
import { DagdeskError } from '../../src-main/errors.js';
import { actorWith, admin } from '../support/actors.js';
import { testCore } from '../support/core.js';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof DagdeskError) return `${error.code}: ${error.message}`;
    throw error;
  }
  return 'no error';
}

describe('profiles', () => {
  it('creates an active profile with a description', () => {
    const { profiles } = testCore();
    const created = profiles.create(admin, {
      name: 'prod',
      description: 'Production',
    });
    expect(created).toMatchObject({
      name: 'prod',
      description: 'Production',
      status: 'active',
      protected: false,
      entries: [],
    });
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(profiles.get(admin, 'prod')).toEqual(created);
  });

  it('refuses a second profile of the same name', () => {
    const { profiles } = testCore();
    profiles.create(admin, { name: 'prod' });
    expect(codeOf(() => profiles.create(admin, { name: 'prod' }))).toBe(
      'already_exists: profile "prod" already exists: names are unique',
    );
  });

  it('lists profiles by name with their entries sorted by key', () => {
    const { profiles } = testCore();
    profiles.create(admin, { name: 'staging' });
    profiles.create(admin, { name: 'dev' });
    profiles.setVariable(admin, 'dev', 'ZED', 'z');
    profiles.setSecret(admin, 'dev', 'API_TOKEN', 'token-value-1');
    profiles.setVariable(admin, 'dev', 'LOG_LEVEL', 'info');
    const list = profiles.list(admin);
    expect(list.map((p) => p.name)).toEqual(['dev', 'staging']);
    expect(list[0]!.entries.map((e) => e.key)).toEqual([
      'API_TOKEN',
      'LOG_LEVEL',
      'ZED',
    ]);
  });

  it('enables, disables and describes a profile', () => {
    const { profiles } = testCore();
    profiles.create(admin, { name: 'prod' });
    expect(profiles.update(admin, 'prod', { status: 'disabled' }).status).toBe(
      'disabled',
    );
    expect(profiles.update(admin, 'prod', { description: 'x' })).toMatchObject({
      status: 'disabled',
      description: 'x',
    });
    expect(profiles.update(admin, 'prod', { status: 'active' }).status).toBe(
      'active',
    );
  });

  it('keeps variables as typed, empty and multi-line included', () => {
    const { profiles } = testCore();
    profiles.create(admin, { name: 'dev' });
    profiles.setVariable(admin, 'dev', 'EMPTY', '');
    const p = profiles.setVariable(admin, 'dev', 'PEM', 'line 1\nline 2\n');
    expect(p.entries).toMatchObject([
      { key: 'EMPTY', kind: 'variable', value: '' },
      { key: 'PEM', kind: 'variable', value: 'line 1\nline 2\n' },
    ]);
  });

  it('never returns a secret value, only its id and version', () => {
    const { profiles } = testCore();
    profiles.create(admin, { name: 'prod' });
    const { profile } = profiles.setSecret(
      admin,
      'prod',
      'API_TOKEN',
      'top-secret-1',
    );
    const entry = profile.entries[0]!;
    expect(entry).toMatchObject({
      key: 'API_TOKEN',
      kind: 'secret',
      version: 1,
    });
    expect(entry).not.toHaveProperty('value');
    expect(JSON.stringify(profiles.list(admin))).not.toContain('top-secret-1');
  });

  it('counts a version per write of a secret and keeps its id', () => {
    const { profiles } = testCore();
    profiles.create(admin, { name: 'prod' });
    const first = profiles.setSecret(admin, 'prod', 'TOKEN', 'value-one')
      .profile.entries[0]!;
    profiles.setSecret(admin, 'prod', 'TOKEN', 'value-two');
    const third = profiles.setSecret(admin, 'prod', 'TOKEN', 'value-three')
      .profile.entries[0]!;
    expect(third).toMatchObject({ version: 3 });
    expect(
      third.kind === 'secret' && first.kind === 'secret' && third.secretId,
    ).toBe(first.kind === 'secret' && first.secretId);
  });

  it('warns when a secret is too short to be masked inside words', () => {
    const { profiles } = testCore();
    profiles.create(admin, { name: 'prod' });
    expect(profiles.setSecret(admin, 'prod', 'PIN', 'abc').warning).toMatch(
      /shorter than 4 characters/,
    );
    expect(
      profiles.setSecret(admin, 'prod', 'PIN', 'abcd').warning,
    ).toBeUndefined();
  });

  it('keeps one kind per key until the entry is deleted', () => {
    const { profiles } = testCore();
    profiles.create(admin, { name: 'prod' });
    profiles.setVariable(admin, 'prod', 'TOKEN', 'plain');
    expect(
      codeOf(() => profiles.setSecret(admin, 'prod', 'TOKEN', 'sealed-value')),
    ).toBe(
      'bad_request: profile key already exists: TOKEN is a variable of profile prod; ' +
        'delete it first to make it a secret',
    );
    profiles.setSecret(admin, 'prod', 'OTHER', 'sealed-value');
    expect(
      codeOf(() => profiles.setVariable(admin, 'prod', 'OTHER', 'x')),
    ).toMatch(
      /OTHER is a secret of profile prod; delete it first to make it a variable/,
    );
    profiles.deleteEntry(admin, 'prod', 'TOKEN');
    expect(
      profiles.setSecret(admin, 'prod', 'TOKEN', 'sealed-value').profile
        .entries,
    ).toHaveLength(2);
  });

  it('deletes secret values with their entry and with their profile', () => {
    const { profiles, db } = testCore();
    const secretCount = () =>
      (db.prepare('SELECT count(*) AS n FROM secrets').get() as { n: number })
        .n;
    profiles.create(admin, { name: 'prod' });
    profiles.setSecret(admin, 'prod', 'A', 'value-a-1');
    profiles.setSecret(admin, 'prod', 'B', 'value-b-1');
    profiles.deleteEntry(admin, 'prod', 'A');
    expect(secretCount()).toBe(1);
    profiles.delete(admin, 'prod');
    expect(secretCount()).toBe(0);
    expect(codeOf(() => profiles.get(admin, 'prod'))).toBe(
      'not_found: profile "prod" not found',
    );
  });

  it('lets names with dots and underscores hold secrets', () => {
    const { profiles } = testCore();
    profiles.create(admin, { name: 'etl.prod_eu' });
    const { profile } = profiles.setSecret(
      admin,
      'etl.prod_eu',
      'KEY',
      'value-1234',
    );
    expect(profile.entries[0]).toMatchObject({ kind: 'secret', version: 1 });
  });

  it.each([
    [
      'an unknown profile',
      (s: ReturnType<typeof testCore>['profiles']) =>
        s.setVariable(admin, 'nope', 'A', 'b'),
      'not_found: profile "nope" not found',
    ],
    [
      'an invalid key',
      (s: ReturnType<typeof testCore>['profiles']) =>
        s.setVariable(admin, 'prod', '9X', 'b'),
      /^bad_request: invalid profile key: "9X"/,
    ],
    [
      'a reserved key',
      (s: ReturnType<typeof testCore>['profiles']) =>
        s.setSecret(admin, 'prod', 'DAGU_X', 'b'),
      /^bad_request: profile key is reserved/,
    ],
    [
      'an empty secret',
      (s: ReturnType<typeof testCore>['profiles']) =>
        s.setSecret(admin, 'prod', 'A', ''),
      /^bad_request: secret value is empty/,
    ],
    [
      'an unknown entry',
      (s: ReturnType<typeof testCore>['profiles']) =>
        s.deleteEntry(admin, 'prod', 'NOPE'),
      'not_found: profile "prod" has no key "NOPE"',
    ],
    [
      'an invalid name',
      (s: ReturnType<typeof testCore>['profiles']) =>
        s.create(admin, { name: 'Prod' }),
      /^bad_request: invalid profile name: "Prod"/,
    ],
  ])('refuses %s and changes nothing', (_, act, message) => {
    const { profiles, db } = testCore();
    profiles.create(admin, { name: 'prod' });
    const before = profiles.list(admin);
    const audits = readAudit(db).length;
    expect(codeOf(() => act(profiles))).toMatch(message);
    expect(profiles.list(admin)).toEqual(before);
    expect(readAudit(db)).toHaveLength(audits);
  });
});

describe('audit events', () => {
  it('name profile, key, kind and version, and never a value', () => {
    const { profiles, db } = testCore();
    profiles.create(admin, { name: 'prod' });
    profiles.setVariable(admin, 'prod', 'LOG_LEVEL', 'debug-level-value');
    profiles.setSecret(admin, 'prod', 'TOKEN', 'audit-secret-value');
    profiles.setSecret(admin, 'prod', 'TOKEN', 'audit-secret-value-2');
    profiles.deleteEntry(admin, 'prod', 'TOKEN');
    profiles.update(admin, 'prod', { status: 'disabled' });
    profiles.delete(admin, 'prod');

    const events = readAudit(db).map(({ id: _id, at: _at, ...rest }) => rest);
    const by = { actor: 'test-admin', role: 'admin', profile: 'prod' };
    expect(events).toEqual([
      { ...by, action: 'runtime_profile_create' },
      {
        ...by,
        action: 'runtime_profile_variable_set',
        key: 'LOG_LEVEL',
        kind: 'variable',
      },
      {
        ...by,
        action: 'runtime_profile_secret_set',
        key: 'TOKEN',
        kind: 'secret',
        version: 1,
      },
      {
        ...by,
        action: 'runtime_profile_secret_set',
        key: 'TOKEN',
        kind: 'secret',
        version: 2,
      },
      {
        ...by,
        action: 'runtime_profile_entry_delete',
        key: 'TOKEN',
        kind: 'secret',
      },
      { ...by, action: 'runtime_profile_update' },
      { ...by, action: 'runtime_profile_delete' },
    ]);
    expect(JSON.stringify(readAudit(db))).not.toMatch(/value/);
  });
});

describe('rotation is all or nothing', () => {
  it('leaves the old version readable when the second write fails', () => {
    const core = testCore();
    const { profiles, db } = core;
    profiles.create(admin, { name: 'prod' });
    profiles.setSecret(admin, 'prod', 'TOKEN', 'version-one-value');
    // A real failure of the rotation's second write: the entry update.
    db.exec(`CREATE TRIGGER fail_entry_update BEFORE UPDATE ON profile_entries
             BEGIN SELECT RAISE(ABORT, 'disk says no'); END`);

    expect(() =>
      profiles.setSecret(admin, 'prod', 'TOKEN', 'version-two-value'),
    ).toThrow(/disk says no/);
    db.exec('DROP TRIGGER fail_entry_update');

    const entry = profiles.get(admin, 'prod').entries[0]!;
    expect(entry).toMatchObject({ kind: 'secret', version: 1 });
    const secret = db
      .prepare('SELECT version, ciphertext FROM secrets')
      .get() as {
      version: number;
      ciphertext: Buffer;
    };
    expect(secret.version).toBe(1);
    const id = entry.kind === 'secret' ? entry.secretId : '';
    expect(core.vault.openSecret(id, 1, secret.ciphertext)).toBe(
      'version-one-value',
    );
    expect(
      readAudit(db).filter((e) => e.action === 'runtime_profile_secret_set'),
    ).toHaveLength(1);
  });
});

describe('roles through the service', () => {
  it('hides protected profiles from managers and refuses lower roles', () => {
    const { profiles } = testCore();
    profiles.create(admin, { name: 'open' });
    profiles.create(admin, { name: 'guarded', protected: true });
    expect(profiles.list(actorWith('manager')).map((p) => p.name)).toEqual([
      'open',
    ]);
    expect(profiles.list(admin).map((p) => p.name)).toEqual([
      'guarded',
      'open',
    ]);
    expect(codeOf(() => profiles.get(actorWith('manager'), 'guarded'))).toMatch(
      /^forbidden: /,
    );
    expect(codeOf(() => profiles.list(actorWith('operator')))).toMatch(
      /^forbidden: role operator may not see profiles/,
    );
  });

  it('tells a developer "forbidden" whether or not the profile exists', () => {
    const { profiles } = testCore();
    profiles.create(admin, { name: 'real' });
    const dev = actorWith('developer');
    expect(codeOf(() => profiles.get(dev, 'real'))).toMatch(/^forbidden/);
    expect(codeOf(() => profiles.get(dev, 'imaginary'))).toMatch(/^forbidden/);
  });

  it('lets only admins create protected profiles or change the flag', () => {
    const { profiles } = testCore();
    const manager = actorWith('manager');
    expect(
      codeOf(() => profiles.create(manager, { name: 'p', protected: true })),
    ).toMatch(/^forbidden: only an admin may create a protected profile/);
    profiles.create(manager, { name: 'p' });
    expect(
      codeOf(() => profiles.update(manager, 'p', { protected: true })),
    ).toMatch(/^forbidden/);
    expect(profiles.update(manager, 'p', { protected: false }).protected).toBe(
      false,
    );
    expect(profiles.update(admin, 'p', { protected: true }).protected).toBe(
      true,
    );
    expect(codeOf(() => profiles.setVariable(manager, 'p', 'A', 'b'))).toMatch(
      /^forbidden: profile "p" is protected/,
    );
    expect(codeOf(() => profiles.delete(manager, 'p'))).toMatch(/^forbidden/);
  });
});
