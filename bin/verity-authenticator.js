#!/usr/bin/env node
/* global process */
// Entry point of `npx verity-authenticator`: runs the TypeScript sources through tsx's loader.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/authenticator/main.ts');
process.exitCode = await main(process.argv.slice(2));
