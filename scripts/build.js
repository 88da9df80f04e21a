#!/usr/bin/env node
// Production build: bundles the `canopy` CLI and every tier it loads into dist/ with esbuild,
// so a running leaf, zone or root is plain JavaScript on Node, without the TypeScript loader
// (about 35 MB of RSS and its start-up compile). npm packages stay external (native addons,
// generated code). Each subcommand's tier stays a separate chunk (code splitting), so
// `canopy leaf` still loads none of the zone's code.
//
// dist/inputs.json lists the source files the bundle was built from; bin/canopy.js runs the
// bundle only while none of them is newer than it, and falls back to tsx otherwise, so an
// edited checkout never runs stale code. `npm ci`/`npm install` run this through `prepare`.
//
// The web UI is built too (ui/build.js → dist/ui/app.js, app.css and its own inputs.json, which
// shared/http/ui-assets.ts checks the same way); its size is printed against the 1 MiB gzip budget.
import { build } from 'esbuild';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildUi, UI_GZIP_BUDGET_BYTES } from '../ui/build.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist');
const tmp = join(root, `.dist-${process.pid}`);

const t0 = performance.now();
rmSync(tmp, { recursive: true, force: true });
mkdirSync(tmp, { recursive: true });
const result = await build({
  // The TSDB's compaction worker is its own entry: zone/tsdb/compactor.ts starts dist/compaction-worker.js;
  // so is its upload task (zone/objstore/upload-task.ts, loaded there by URL).
  entryPoints: {
    cli: join(root, 'bin/cli.ts'),
    'compaction-worker': join(root, 'zone/tsdb/compaction-worker.ts'),
    'upload-task': join(root, 'zone/objstore/upload-task.ts'),
  },
  outdir: tmp,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
  // chunks sit beside cli.js: modules resolve '../package.json' and '../bin' from import.meta.url
  chunkNames: '[name]-[hash]',
});
const inputs = Object.keys(result.metafile.inputs).map((p) => relative(root, join(process.cwd(), p)));
writeFileSync(join(tmp, 'inputs.json'), JSON.stringify(inputs) + '\n');
// The web UI (ui/ → dist/ui/app.js, app.css; shared/http/ui-assets.ts serves them).
const t1 = performance.now();
const ui = await buildUi({ outdir: join(tmp, 'ui') });
const kb = (n) => `${(n / 1024).toFixed(0)} KiB`;
// Swap in whole: a process starting during the swap finds no bundle and runs the sources.
rmSync(out, { recursive: true, force: true });
renameSync(tmp, out);
console.log(`build: dist/cli.js from ${inputs.length} sources in ${Math.round(t1 - t0)} ms`);
console.log(
  `build: dist/ui/app.js + app.css from ${ui.inputs.length} sources in ${Math.round(performance.now() - t1)} ms: ${kb(ui.js.length + ui.css.length)}, ${kb(ui.gzipBytes)} gzip (budget ${kb(UI_GZIP_BUDGET_BYTES)})`,
);
