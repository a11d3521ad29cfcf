/* global process */
// How `verity` and `verity-authenticator` find their code. In production (NODE_ENV=production) they run
// the JavaScript that `npm run build` compiles into dist/: no TypeScript compiler in the request path and
// a faster start. Everywhere else (`npm start`, the tests, a fresh clone with no build step) they run the
// TypeScript sources through tsx's loader, so what runs is always the code in src/.
import { existsSync } from 'node:fs';

/**
 * Imports the module `src/<path>.ts`: its build `dist/src/<path>.js` when `useBuild` and the build
 * exists, else the source through tsx. A production start without a build still starts (from the
 * sources), with a warning on stderr naming the missing step.
 */
export async function loadEntry(path, useBuild = process.env.NODE_ENV === 'production') {
  if (useBuild) {
    const built = new URL(`../dist/src/${path}.js`, import.meta.url);
    if (existsSync(built)) return import(built.href);
    process.stderr.write(`verity: NODE_ENV=production but dist/ is not built (run \`npm run build\`): running the TypeScript sources through tsx\n`);
  }
  const { register } = await import('tsx/esm/api');
  register();
  return import(new URL(`../src/${path}.ts`, import.meta.url).href);
}
