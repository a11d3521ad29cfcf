// `npm run build`: the server compiled to JavaScript in dist/, which `verity` runs when NODE_ENV=production
// (bin/load-entry.js). tsc emits dist/src/**.js (tsconfig.build.json); the files the modules read next to
// themselves at run time (`new URL('./static/…', import.meta.url)`: page scripts, stylesheets, the
// voiceprint models one level above src/) are copied so that every such URL resolves inside dist/ as it
// does in the checkout.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');

/** Every file under `dir` (recursively), as paths relative to ROOT. */
function filesUnder(dir: string): string[] {
  // String entries, not Dirent.parentPath: that arrived in Node 20.12 and the engines field says 20.6.
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(join(ROOT, path)).isFile());
}

/** Files under src/ that tsc does not emit and the server reads at run time (tests and prose excluded). */
function runtimeAssets(): string[] {
  return filesUnder('src').filter((path) => !path.endsWith('.ts') && !path.endsWith('.md'));
}

function sizeOf(dir: string): number {
  return filesUnder(relative(ROOT, dir)).reduce((sum, path) => sum + statSync(join(ROOT, path)).size, 0);
}

const started = performance.now();
rmSync(DIST, { recursive: true, force: true });

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
if (compiled.status !== 0) {
  console.error(`build: tsc exited with ${compiled.status ?? compiled.signal}`);
  process.exit(1);
}

const assets = runtimeAssets();
for (const path of assets) {
  mkdirSync(dirname(join(DIST, path)), { recursive: true });
  cpSync(join(ROOT, path), join(DIST, path));
}
// src/factors/voiceprint/voiceprint-engine.ts loads `../../../models/` (the repository's models/).
cpSync(join(ROOT, 'models'), join(DIST, 'models'), { recursive: true, filter: (path) => !path.endsWith('.md') });

const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`build: dist/ ready in ${seconds} s (${assets.length} assets copied, ${(sizeOf(DIST) / 1024 / 1024).toFixed(1)} MB)`);
