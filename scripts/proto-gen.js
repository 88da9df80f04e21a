// Generates proto/gen/canopy.js (+ .d.ts) from proto/canopy/*.proto with protobufjs's pbjs/pbts.
// The output is committed; run `npm run proto:gen` after editing a .proto file
// (test/proto/gen.test.ts fails when the committed code is stale).
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const out = process.argv[2] ?? 'proto/gen/canopy.js';
const files = readdirSync('proto/canopy')
  .filter((f) => f.endsWith('.proto'))
  .sort()
  .map((f) => `proto/canopy/${f}`);
const bin = (n) => `node_modules/.bin/${n}`;
execFileSync(
  bin('pbjs'),
  [
    '-t',
    'static-module',
    '-w',
    'es6',
    '--no-beautify',
    '--force-number',
    '--no-verify',
    '--no-convert',
    '--no-delimited',
    '--no-typeurl',
    '--no-service',
    '-p',
    'proto/canopy',
    '-o',
    out,
    ...files,
  ],
  { stdio: 'inherit' },
);
execFileSync(bin('pbts'), ['-o', out.replace(/\.js$/, '.d.ts'), out], { stdio: 'inherit' });
