import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, spawnCli } from '../support/cli.js';
import { leakedForms, secretForms } from '../support/secret-forms.js';
import { tempHome } from '../support/temp-home.js';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile());
}

// Characters that every encoding treats differently, so each form differs.
const SECRETS = [
  's3cr3t/with+odd=chars&more?yes',
  'second secret: ünïcode ✓ value',
];

describe('a home folder with secrets in it', () => {
  it('the scan itself finds a planted secret in every encoding', () => {
    const forms = secretForms(SECRETS[0]!);
    for (const [name, needle] of forms) {
      const planted = Buffer.concat([
        Buffer.from('xx'),
        needle,
        Buffer.from('yy'),
      ]);
      expect(leakedForms(planted, SECRETS[0]!), name).toContain(name);
    }
    const b64 = Buffer.from(`ab${SECRETS[0]}`).toString('base64');
    expect(leakedForms(Buffer.from(b64), SECRETS[0]!)).toContain('base64@2');
  });

  it('holds none of them in any file, in any encoding', async () => {
    const home = tempHome();
    const env = cliEnv(home);
    await spawnCli(['profile', 'create', 'prod'], env);
    await spawnCli(
      ['profile', 'set-var', 'prod', 'PLAIN', 'visible-variable'],
      env,
    );
    for (const [i, secret] of SECRETS.entries()) {
      const set = await spawnCli(
        ['profile', 'set-secret', 'prod', `S${i}`, '--value-stdin'],
        env,
        secret,
      );
      expect(set.code, set.err).toBe(0);
    }
    // Rotate one, so an old version could linger in free pages or the WAL.
    await spawnCli(
      ['profile', 'set-secret', 'prod', 'S0', '--value-stdin'],
      env,
      'rotated-value-1234',
    );
    await spawnCli(['key-slot', 'add', 'recovery'], env);

    const files = filesUnder(home);
    expect(files.map((f) => f.slice(home.length))).toEqual(
      expect.arrayContaining(['/dagdesk.db']),
    );
    const everything = Buffer.concat(files.map((f) => readFileSync(f)));
    expect(leakedForms(everything, 'visible-variable')).toContain('raw');
    for (const secret of [...SECRETS, 'rotated-value-1234']) {
      expect(leakedForms(everything, secret), secret).toEqual([]);
    }
    for (const file of files)
      expect(statSync(file).mode & 0o777, file).toBe(0o600);
  });
});
