// `npm run dagdesk`: the CLI from a checkout. It runs one bundle of the
// sources, rebuilt whenever a source is newer than it, so it starts as
// fast as the packaged CLI and never runs stale code.
import { existsSync, readdirSync, renameSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');
const bundle = join(root, 'out', 'cli', 'dagdesk.mjs');
const sources = ['src-main', 'src-shared'].map((dir) => join(root, dir));

function newestSource() {
  let newest = statSync(join(root, 'package.json')).mtimeMs;
  for (const dir of sources) {
    for (const name of readdirSync(dir, { recursive: true })) {
      newest = Math.max(newest, statSync(join(dir, name)).mtimeMs);
    }
  }
  return newest;
}

async function rebuild() {
  const { build } = await import('esbuild');
  // Written aside and renamed, so two processes never run half a bundle.
  const partial = `${bundle}.${process.pid}.tmp`;
  await build({
    entryPoints: [join(root, 'src-main', 'cli', 'main.ts')],
    outfile: partial,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['better-sqlite3', 'electron'],
    // Bundled CommonJS packages still call require().
    banner: {
      js:
        "import { createRequire } from 'node:module'; " +
        'const require = createRequire(import.meta.url);',
    },
    logLevel: 'warning',
  });
  renameSync(partial, bundle);
}

if (!existsSync(bundle) || statSync(bundle).mtimeMs < newestSource()) {
  await rebuild();
}
await import(pathToFileURL(bundle).href);
