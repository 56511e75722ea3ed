#!/usr/bin/env node
// The `oos` command, run from the repository: cli/main.ts through tsx, without a build step.
import { register } from 'tsx/esm/api';

register();
const { main, processIo } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2), processIo);
