import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { leakedForms } from '../support/secret-forms.js';
import { runHarness, withProfile } from '../support/runs.js';

// Characters that every encoding treats differently, so each form differs.
const PROFILE_SECRET = 'pr0file/secret+value=ü ✓';
const DAG_SECRET = 'dag-secret&from?host 42';

function filesUnder(dir: string, skip: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => !path.startsWith(skip) && statSync(path).isFile());
}

describe('a home folder after runs that printed their secrets', () => {
  it('holds no secret in any file, in any encoding, and every file is 0600', async () => {
    const h = runHarness({ HOST_SECRET: DAG_SECRET });
    withProfile(h.core, 'prod', { secrets: { TOKEN: PROFILE_SECRET } });
    h.writeDag(
      'child',
      'params: "P=x"\nsteps:\n  - run: echo "child $P $TOKEN"\n',
    );
    h.writeDag(
      'leaky',
      [
        'secrets:',
        '  - {name: DS, provider: env, key: HOST_SECRET}',
        'steps:',
        '  - {id: a, run: "echo $TOKEN; echo $DS >&2; ' +
          'printf %s \\"$TOKEN\\" | base64", output: OUT}',
        '  - {name: b, run: "echo \\"$OUT\\"; exit 3", depends: a}',
        '  - {name: c, action: dag.run, with: {dag: child, params: "P=${DS}"}}',
        '  - {name: d, action: dag.enqueue, with: {dag: child, params: "P=${DS}"}}',
      ].join('\n'),
    );
    const first = await h.start('leaky', { profile: 'prod' });
    await h.engine.retry('leaky', first.run.run_id);

    const files = filesUnder(h.home, h.dags);
    expect(files.some((f) => f.endsWith('.out'))).toBe(true);
    const everything = Buffer.concat(files.map((f) => readFileSync(f)));
    for (const secret of [PROFILE_SECRET, DAG_SECRET]) {
      expect(leakedForms(everything, secret), secret).toEqual([]);
    }
    for (const file of files)
      expect(statSync(file).mode & 0o777, file).toBe(0o600);
  });
});
