#!/usr/bin/env node
/* global process */
// Entry point of `npx verity`: the build in dist/ in production, the TypeScript sources otherwise
// (see load-entry.js). `serve --dev` always runs the sources: its Demo Bank (demo/) is TypeScript that
// the build does not ship.
import { loadEntry } from './load-entry.js';

const args = process.argv.slice(2);
const dev = args[0] === 'serve' && args.includes('--dev');
const { main } = await loadEntry('cli/main', !dev && process.env.NODE_ENV === 'production');
process.exitCode = await main(args);
