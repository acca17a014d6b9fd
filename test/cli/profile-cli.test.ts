import { describe, expect, it } from 'vitest';
import { cli, cliEnv } from '../support/cli.js';
import { storedSecret } from '../support/core.js';
import { tempHome } from '../support/temp-home.js';

function setup() {
  const env = cliEnv(tempHome());
  return {
    env,
    run: (args: string[], text?: string) => cli(args, env, { text }),
  };
}

describe('dagdesk profile', () => {
  it('creates, lists and shows profiles as JSON in the shared shape', async () => {
    const { run } = setup();
    expect(
      (await run(['profile', 'create', 'prod', '--description', 'Production']))
        .code,
    ).toBe(0);
    await run(['profile', 'set-var', 'prod', 'LOG_LEVEL', 'info']);
    await run(
      ['profile', 'set-secret', 'prod', 'API_TOKEN', '--value-stdin'],
      'cli-secret-1\n',
    );

    const shown = await run(['profile', 'show', 'prod', '--json']);
    const profile = JSON.parse(shown.out);
    expect(profile).toMatchObject({
      name: 'prod',
      description: 'Production',
      status: 'active',
      protected: false,
      entries: [
        { key: 'API_TOKEN', kind: 'secret', version: 1 },
        { key: 'LOG_LEVEL', kind: 'variable', value: 'info' },
      ],
    });
    expect(Object.keys(profile).sort()).toEqual([
      'createdAt',
      'description',
      'entries',
      'id',
      'name',
      'protected',
      'status',
      'updatedAt',
    ]);
    expect(profile.entries[0]).not.toHaveProperty('value');
    expect(shown.out).not.toContain('cli-secret-1');

    const list = JSON.parse((await run(['profile', 'list', '--json'])).out);
    expect(list.map((p: { name: string }) => p.name)).toEqual(['prod']);
  });

  it('prints a secret as ******** in the human view', async () => {
    const { run } = setup();
    await run(['profile', 'create', 'prod']);
    await run(
      ['profile', 'set-secret', 'prod', 'TOKEN', '--value-stdin'],
      'human-view-secret',
    );
    const shown = await run(['profile', 'show', 'prod']);
    expect(shown.out).toMatch(/TOKEN {2}\*{8} {2}\(secret, version 1\)/);
    expect(shown.out).not.toContain('human-view-secret');
  });

  it('strips only trailing newlines from --value-stdin', async () => {
    const { run, env } = setup();
    await run(['profile', 'create', 'prod']);
    await run(
      ['profile', 'set-secret', 'prod', 'PEM', '--value-stdin'],
      '  line 1\nline 2  \r\n\n',
    );
    expect(storedSecret(env.DAGDESK_HOME, 'prod', 'PEM')).toBe(
      '  line 1\nline 2  ',
    );
  });

  it('enables, disables and deletes', async () => {
    const { run } = setup();
    await run(['profile', 'create', 'prod']);
    expect((await run(['profile', 'disable', 'prod'])).out).toBe(
      'disabled profile prod\n',
    );
    expect(
      JSON.parse((await run(['profile', 'show', 'prod', '--json'])).out).status,
    ).toBe('disabled');
    await run(['profile', 'enable', 'prod']);
    expect(
      JSON.parse((await run(['profile', 'show', 'prod', '--json'])).out).status,
    ).toBe('active');
    expect((await run(['profile', 'delete', 'prod'])).code).toBe(0);
    expect(JSON.parse((await run(['profile', 'list', '--json'])).out)).toEqual(
      [],
    );
  });

  it('warns on stderr when a secret is shorter than four characters', async () => {
    const { run } = setup();
    await run(['profile', 'create', 'prod']);
    const set = await run(
      ['profile', 'set-secret', 'prod', 'PIN', '--value-stdin'],
      'abc',
    );
    expect(set.code).toBe(0);
    expect(set.err).toMatch(
      /^warning: secret PIN is shorter than 4 characters/,
    );
  });

  it('deletes a key', async () => {
    const { run } = setup();
    await run(['profile', 'create', 'prod']);
    await run(['profile', 'set-var', 'prod', 'A', '1']);
    expect((await run(['profile', 'delete-key', 'prod', 'A'])).code).toBe(0);
    expect(
      JSON.parse((await run(['profile', 'show', 'prod', '--json'])).out)
        .entries,
    ).toEqual([]);
  });
});

describe('bad input: exit 2, one line on stderr, nothing written', () => {
  const cases: Array<[string, string[], RegExp, string?]> = [
    [
      'an invalid name',
      ['profile', 'create', 'Bad'],
      /^error: invalid profile name: "Bad" \(use lowercase/,
    ],
    [
      'an unknown profile',
      ['profile', 'show', 'nope'],
      /^error: profile "nope" not found\n$/,
    ],
    [
      'an invalid key',
      ['profile', 'set-var', 'prod', '1KEY', 'v'],
      /^error: invalid profile key: "1KEY"/,
    ],
    [
      'a reserved key',
      ['profile', 'set-var', 'prod', 'DAGU_X', 'v'],
      /^error: profile key is reserved: "DAGU_X"/,
    ],
    [
      'a kind change',
      ['profile', 'set-secret', 'prod', 'LOG', '--value-stdin'],
      /^error: profile key already exists: LOG is a variable/,
      'abcd',
    ],
    [
      'an empty secret',
      ['profile', 'set-secret', 'prod', 'T', '--value-stdin'],
      /^error: secret value is empty/,
      '\n',
    ],
    [
      'an unknown option',
      ['profile', 'create', 'x', '--colour'],
      /^error: unknown option '--colour'/,
    ],
    [
      'a missing argument',
      ['profile', 'set-var', 'prod', 'KEY'],
      /^error: missing required argument 'VALUE'/,
    ],
    [
      'an unknown command',
      ['profile', 'rename', 'a'],
      /^error: unknown command 'rename'/,
    ],
    [
      'a duplicate',
      ['profile', 'create', 'prod'],
      /^error: profile "prod" already exists/,
    ],
  ];

  it.each(cases)('%s', async (_, args, message, text) => {
    const { run } = setup();
    await run(['profile', 'create', 'prod']);
    await run(['profile', 'set-var', 'prod', 'LOG', 'info']);
    const before = (await run(['profile', 'show', 'prod', '--json'])).out;

    const result = await run(args, text);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(message);
    expect(result.err.trim().split('\n')).toHaveLength(1);
    expect((await run(['profile', 'show', 'prod', '--json'])).out).toBe(before);
  });

  it('refuses set-secret with no terminal and no --value-stdin', async () => {
    const { run } = setup();
    await run(['profile', 'create', 'prod']);
    const result = await run(
      ['profile', 'set-secret', 'prod', 'TOKEN'],
      'piped',
    );
    expect(result.code).toBe(2);
    expect(result.err).toBe(
      'error: standard input is not a terminal, so the secret cannot be prompted for: ' +
        'pass --value-stdin and pipe the value in\n',
    );
  });
});
