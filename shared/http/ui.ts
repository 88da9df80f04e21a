// The web UI, served by the same process as the API (root, zone, leaf; no separate web server,
// no CDN): one HTML shell at each page path, and the bundle at /ui/app.js and /ui/app.css
// (shared/http/ui-assets.ts says where it comes from). The shell tells the script which tier
// it runs on, so each tier shows its own pages. Routes go through HttpServer, so a web config
// file's TLS and basic auth guard the UI exactly as they guard the API.
//
// Pages (ui/ holds one module each): / and /graph the expression browser with Prometheus's
// URL conventions (g0.expr, g0.tab, g0.range_input, …), /alerts, /rules, /silences, /zones,
// and at the root /cardinality and /query-plan; at the leaf /targets.
import { errorMessage } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { HttpRequest, HttpResponse, HttpServer } from './server.ts';
import { uiAssets, type UiAsset } from './ui-assets.ts';
import { uiPaths, type UiTier } from './ui-pages.ts';

export interface UiOptions {
  tier: UiTier;
  /** Shown in the title and the navigation bar, e.g. the zone's name. */
  name?: string;
  logger: Logger;
}

export function mountUi(http: HttpServer, opts: UiOptions): void {
  const shell = page(opts.tier, opts.name ?? '');
  for (const p of uiPaths(opts.tier)) {
    http.get(p, () => ({
      status: 200,
      headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' },
      body: shell,
    }));
  }
  let logged = false;
  const serve =
    (pick: (a: Awaited<ReturnType<typeof uiAssets>>) => UiAsset) =>
    async (req: HttpRequest): Promise<HttpResponse> => {
      try {
        const a = await uiAssets();
        if (!logged) {
          logged = true;
          opts.logger.info(
            {
              from: a.from === 'dist' ? 'dist/ui' : 'ui/ (bundled in memory)',
              jsGzipBytes: a.js.gzip.length,
              cssGzipBytes: a.css.gzip.length,
            },
            'web UI bundle loaded',
          );
        }
        return send(pick(a), req);
      } catch (e) {
        opts.logger.error({ err: errorMessage(e) }, 'web UI bundle unavailable');
        return { status: 500, body: `${errorMessage(e)}\n` };
      }
    };
  http.get(
    '/ui/app.js',
    serve((a) => a.js),
  );
  http.get(
    '/ui/app.css',
    serve((a) => a.css),
  );
}

function send(a: UiAsset, req: HttpRequest): HttpResponse {
  const headers: Record<string, string> = {
    'content-type': a.contentType,
    etag: a.etag,
    'cache-control': 'no-cache',
    vary: 'accept-encoding',
  };
  if (req.headers['if-none-match'] === a.etag) return { status: 304, headers };
  const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  return gzip
    ? { status: 200, headers: { ...headers, 'content-encoding': 'gzip' }, body: a.gzip }
    : { status: 200, headers, body: a.body };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(tier: UiTier, name: string): string {
  const title = `Canopy ${tier}${name ? ` ${name}` : ''}`;
  // Relative asset paths: every page sits at the top level, so ui/app.js is /ui/app.js.
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="canopy-tier" content="${tier}">
<meta name="canopy-name" content="${escapeHtml(name)}">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="ui/app.css">
</head>
<body>
<noscript>The Canopy UI needs JavaScript; the Prometheus HTTP API is at api/v1/.</noscript>
<div id="app"></div>
<script src="ui/app.js"></script>
</body>
</html>
`;
}
