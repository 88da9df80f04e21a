#!/usr/bin/env node
// The `canopy` executable: registers the TypeScript loader in this process (no wrapper
// process, so signals and memory figures are the server's own) and hands over to the CLI.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./cli.ts');
const code = await main(process.argv.slice(2));
process.exit(code);
