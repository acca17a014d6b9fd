import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runHarness, withProfile } from '../support/runs.js';

/**
 * DESIGN.md section 5, lowest first: host, params, DAG env, dotenv,
 * profile variables, managed values, profile secrets, DAG secrets,
 * upstream outputs, step env. Each case sets one key in a layer and in
 * the layer above it; the step writes what it got to a file.
 */
interface Case {
  lower: string;
  upper: string;
  key: string;
  expected: string;
  dag: (key: string) => string;
  setUp?: (h: ReturnType<typeof runHarness>) => void;
  host?: Record<string, string>;
}

const write = (key: string) => `printf '%s' "$${key}" > got.txt`;

const cases: Case[] = [
  {
    lower: 'host',
    upper: 'params',
    key: 'LC_PROBE',
    expected: 'from-params',
    host: { LC_PROBE: 'from-host' },
    dag: (k) => `params: "${k}=from-params"\nsteps:\n  - run: ${write(k)}\n`,
  },
  {
    lower: 'params',
    upper: 'DAG env',
    key: 'PROBE',
    expected: 'from-env',
    dag: (k) =>
      `params: "${k}=from-params"\nenv:\n  - ${k}: from-env\nsteps:\n  - run: ${write(k)}\n`,
  },
  {
    lower: 'DAG env',
    upper: 'dotenv',
    key: 'PROBE',
    expected: 'from-dotenv',
    setUp: (h) => writeFileSync(join(h.dags, '.env'), 'PROBE=from-dotenv\n'),
    dag: (k) => `env:\n  - ${k}: from-env\nsteps:\n  - run: ${write(k)}\n`,
  },
  {
    lower: 'dotenv',
    upper: 'profile variables',
    key: 'PROBE',
    expected: 'from-profile',
    setUp: (h) => {
      writeFileSync(join(h.dags, '.env'), 'PROBE=from-dotenv\n');
      withProfile(h.core, 'p', { variables: { PROBE: 'from-profile' } });
    },
    dag: (k) => `steps:\n  - run: ${write(k)}\n`,
  },
  {
    lower: 'profile variables',
    upper: 'managed values',
    key: 'DAG_NAME',
    expected: 'layers',
    setUp: (h) =>
      withProfile(h.core, 'p', { variables: { DAG_NAME: 'from-profile' } }),
    dag: (k) => `steps:\n  - run: ${write(k)}\n`,
  },
  {
    lower: 'managed values',
    upper: 'profile secrets',
    key: 'DAG_RUN_LOG_FILE',
    expected: 'secret-log-file',
    setUp: (h) =>
      withProfile(h.core, 'p', {
        secrets: { DAG_RUN_LOG_FILE: 'secret-log-file' },
      }),
    dag: (k) => `steps:\n  - run: ${write(k)}\n`,
  },
  {
    lower: 'profile secrets',
    upper: 'DAG secrets',
    key: 'PROBE',
    expected: 'from-dag-secret',
    host: { PROBE_SOURCE: 'from-dag-secret' },
    setUp: (h) =>
      withProfile(h.core, 'p', { secrets: { PROBE: 'from-profile-secret' } }),
    dag: (k) =>
      'secrets:\n' +
      `  - name: ${k}\n` +
      '    provider: env\n' +
      '    key: PROBE_SOURCE\n' +
      'steps:\n' +
      `  - run: ${write(k)}\n`,
  },
  {
    lower: 'DAG secrets',
    upper: 'upstream outputs',
    key: 'PROBE',
    expected: 'from-output',
    host: { PROBE_SOURCE: 'from-dag-secret' },
    dag: (k) =>
      'secrets:\n' +
      `  - name: ${k}\n` +
      '    provider: env\n' +
      '    key: PROBE_SOURCE\n' +
      'steps:\n' +
      '  - id: first\n' +
      '    run: echo from-output\n' +
      `    output: ${k}\n` +
      `  - run: ${write(k)}\n` +
      '    depends: first\n',
  },
  {
    lower: 'upstream outputs',
    upper: 'step env',
    key: 'PROBE',
    expected: 'from-step-env',
    dag: (k) =>
      'steps:\n' +
      '  - id: first\n' +
      '    run: echo from-output\n' +
      `    output: ${k}\n` +
      `  - run: ${write(k)}\n` +
      '    depends: first\n' +
      '    env:\n' +
      `      - ${k}: from-step-env\n`,
  },
];

describe('environment precedence', () => {
  it.each(cases)('$upper override $lower', async (c) => {
    const h = runHarness(c.host);
    c.setUp?.(h);
    h.writeDag('layers', c.dag(c.key));
    const profile =
      h.core.profiles.list({ name: 't', role: 'admin' }).length > 0
        ? 'p'
        : undefined;
    const outcome = await h.start('layers', { profile });
    expect(outcome.error).toBeUndefined();
    expect(h.read('got.txt')).toBe(c.expected);
  });

  it('lets a value refer to the layers below it', async () => {
    const h = runHarness();
    h.writeDag(
      'refs',
      [
        'params: "WHO=world"',
        'env:',
        '  - GREETING: hello ${WHO}',
        '  - LOUD: "${GREETING}!"',
        'steps:',
        '  - run: printf %s "$LOUD" > got.txt',
      ].join('\n'),
    );
    await h.start('refs');
    expect(h.read('got.txt')).toBe('hello world!');
  });

  it('passes only the listed host variables to steps', async () => {
    const h = runHarness({ SECRET_OF_HOST: 'leak', TZ: 'UTC', LC_ALL: 'C' });
    h.writeDag('host', 'steps:\n  - run: env > got.txt\n');
    await h.start('host');
    const env = h.read('got.txt');
    expect(env).not.toContain('SECRET_OF_HOST');
    expect(env).toContain('TZ=UTC');
    expect(env).toContain('LC_ALL=C');
  });
});
