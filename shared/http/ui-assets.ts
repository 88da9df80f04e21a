// Where the web UI's bundle (app.js, app.css) comes from, decided once per process on the first
// UI request and cached:
//   - dist/ui/ written by `npm run build` (scripts/build.js → ui/build.js), used as is when the
//     ui/ sources are absent (an installed package) or none of its inputs is newer than it;
//   - otherwise (a checkout run from the sources, dist absent or stale) the sources are bundled
//     in memory with esbuild (a devDependency, present wherever the sources are), about 1 s once.
// Both are gzipped once here, so a request costs no compression.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { CanopyError, errorMessage } from '../errors.ts';

export interface UiAsset {
  readonly body: Uint8Array;
  readonly gzip: Uint8Array;
  readonly etag: string;
  readonly contentType: string;
}

export interface UiAssets {
  readonly js: UiAsset;
  readonly css: UiAsset;
  /** 'dist' (prebuilt) or 'sources' (bundled in this process). */
  readonly from: 'dist' | 'sources';
}

/**
 * The package root: shared/http/ui-assets.ts runs from <root>/shared/http/ (sources) or from a
 * chunk in <root>/dist/ (bundle); the first candidate whose package.json names canopy wins.
 */
function packageRoot(): URL {
  for (const up of ['../../', '../']) {
    const u = new URL(up, import.meta.url);
    try {
      if (
        (JSON.parse(readFileSync(new URL('package.json', u), 'utf8')) as { name?: string }).name === 'canopy'
      )
        return u;
    } catch {
      // no package.json here: try the next candidate
    }
  }
  throw new CanopyError('internal', 'cannot find the package root (package.json) for the web UI');
}

function asset(body: Uint8Array, contentType: string): UiAsset {
  return {
    body,
    gzip: gzipSync(body),
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"`,
    contentType,
  };
}

/** dist/ui when it exists and (with the sources present) is at least as new as every input. */
function prebuilt(root: URL, sources: boolean): { js: Uint8Array; css: Uint8Array } | undefined {
  const dir = new URL('dist/ui/', root);
  try {
    const js = new URL('app.js', dir);
    if (sources) {
      const built = statSync(js).mtimeMs;
      const inputs = JSON.parse(readFileSync(new URL('inputs.json', dir), 'utf8')) as string[];
      if (!inputs.every((p) => statSync(new URL(p, root)).mtimeMs <= built)) return undefined;
    }
    return { js: readFileSync(js), css: readFileSync(new URL('app.css', dir)) };
  } catch {
    return undefined; // no build, or an input was removed: bundle the sources
  }
}

async function load(): Promise<UiAssets> {
  const root = packageRoot();
  const builder = new URL('ui/build.js', root);
  const sources = existsSync(builder);
  const dist = prebuilt(root, sources);
  if (dist)
    return {
      js: asset(dist.js, 'text/javascript; charset=utf-8'),
      css: asset(dist.css, 'text/css; charset=utf-8'),
      from: 'dist',
    };
  if (!sources)
    throw new CanopyError(
      'internal',
      'cannot serve the web UI: dist/ui is missing and there are no ui/ sources to build',
    );
  try {
    const { buildUi } = (await import(builder.href)) as {
      buildUi(o?: object): Promise<{ js: Uint8Array; css: Uint8Array }>;
    };
    const b = await buildUi();
    return {
      js: asset(b.js, 'text/javascript; charset=utf-8'),
      css: asset(b.css, 'text/css; charset=utf-8'),
      from: 'sources',
    };
  } catch (e) {
    throw new CanopyError('internal', `cannot build the web UI from ui/: ${errorMessage(e)}`, { cause: e });
  }
}

let cached: Promise<UiAssets> | undefined;

/** The UI bundle, loaded or built on first use; a failed build is retried on the next call. */
export function uiAssets(): Promise<UiAssets> {
  if (!cached) {
    cached = load();
    cached.catch(() => (cached = undefined));
  }
  return cached;
}
