// Builds the web UI (ui/main.ts and the CSS it imports) into one app.js and one app.css with
// esbuild: browser target, minified, no CDN. Plain JavaScript so that both scripts/build.js
// (writes dist/ui/) and a server running from the sources (shared/http/ui-assets.ts, builds in
// memory when dist/ui is absent or older than a source) load it without the TypeScript loader.
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (ui/ sits in it). */
export const UI_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Bundle budget from issue 18: the whole UI under 1 MB gzip. */
export const UI_GZIP_BUDGET_BYTES = 1 << 20;

/**
 * Bundles the UI. With `outdir` the files are written there (plus inputs.json, the sources it
 * was built from, for the freshness check); without, they are returned in memory.
 * @returns {Promise<{ js: Uint8Array, css: Uint8Array, inputs: string[], gzipBytes: number }>}
 */
export async function buildUi({ outdir } = {}) {
  const result = await build({
    entryPoints: { app: join(UI_ROOT, 'ui/main.ts') },
    outdir: outdir ?? join(UI_ROOT, '.ui-build'),
    write: false,
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: ['chrome105', 'firefox105', 'safari16'],
    metafile: true,
    logLevel: 'warning',
    legalComments: 'eof',
  });
  const pick = (ext) => result.outputFiles.find((f) => f.path.endsWith(ext))?.contents ?? new Uint8Array();
  const js = pick('app.js');
  const css = pick('app.css');
  const inputs = Object.keys(result.metafile.inputs).map((p) => relative(UI_ROOT, join(process.cwd(), p)));
  const gzipBytes = gzipSync(js).length + gzipSync(css).length;
  if (gzipBytes > UI_GZIP_BUDGET_BYTES)
    throw new Error(
      `cannot build the UI: ${gzipBytes} bytes gzip exceed the ${UI_GZIP_BUDGET_BYTES}-byte budget`,
    );
  if (outdir) {
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(outdir, { recursive: true });
    for (const f of result.outputFiles) writeFileSync(join(outdir, relative(outdir, f.path)), f.contents);
    writeFileSync(join(outdir, 'inputs.json'), JSON.stringify(inputs) + '\n');
  }
  return { js, css, inputs, gzipBytes };
}
