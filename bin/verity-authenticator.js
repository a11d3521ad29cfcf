#!/usr/bin/env node
/* global process */
// Entry point of `npx verity-authenticator`: the build in dist/ in production, the TypeScript sources
// otherwise (see load-entry.js).
import { loadEntry } from './load-entry.js';

const { main } = await loadEntry('authenticator/main');
process.exitCode = await main(process.argv.slice(2));
