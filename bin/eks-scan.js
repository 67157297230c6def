#!/usr/bin/env node
// The CLI runs its TypeScript sources through tsx, so the package needs no build step.
import { register } from 'tsx/esm/api';

register();
const { run, processIo } = await import('../cli/main.ts');
process.exitCode = await run(process.argv.slice(2), processIo);
