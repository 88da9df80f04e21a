// The web UI handler (shared/http/ui.ts): the HTML shell at each page of a tier (naming the
// tier), the bundle gzipped with an ETag (304 on a match), 404 for pages another tier serves,
// and the web config's basic auth in front of all of it, as in front of the API.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { request } from 'node:http';
import bcrypt from 'bcryptjs';
import { HttpServer, mountUi, uiPaths } from '../../../shared/http/index.ts';
import { silentLogger } from '../../../shared/log.ts';

let dir: string;
before(() => void (dir = mkdtempSync(join(tmpdir(), 'canopy-ui-'))));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A raw GET (fetch would gunzip and hide content-encoding). */
function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    })
      .on('error', reject)
      .end();
  });
}

test(
  "UI: shell per tier page, gzipped bundle with ETag and 304, other tiers' pages 404",
  { timeout: 60_000 },
  async () => {
    const http = new HttpServer({ logger: silentLogger() });
    mountUi(http, { tier: 'zone', name: 'eu-<a>', logger: silentLogger() });
    const { url } = await http.listen('127.0.0.1:0');
    try {
      for (const p of uiPaths('zone')) {
        const r = await get(`${url}${p}`);
        assert.equal(r.status, 200, p);
        assert.match(String(r.headers['content-type']), /^text\/html/);
        assert.match(r.body.toString(), /<meta name="canopy-tier" content="zone">/);
        assert.match(
          r.body.toString(),
          /<meta name="canopy-name" content="eu-&#60;a&#62;">/,
          'the name is escaped',
        );
        assert.match(r.body.toString(), /<script src="ui\/app\.js"><\/script>/);
      }
      assert.equal((await get(`${url}/query-plan`)).status, 404, 'a root-only page');
      const js = await get(`${url}/ui/app.js`, { 'accept-encoding': 'gzip, br' });
      assert.equal(js.status, 200);
      assert.equal(js.headers['content-encoding'], 'gzip');
      assert.match(String(js.headers['content-type']), /^text\/javascript/);
      const plain = gunzipSync(js.body);
      assert.ok(js.body.length < 1 << 20, `bundle ${js.body.length} bytes gzip, budget 1 MiB`);
      assert.ok(plain.length > js.body.length * 2);
      const etag = String(js.headers.etag);
      const again = await get(`${url}/ui/app.js`, { 'if-none-match': etag });
      assert.equal(again.status, 304);
      assert.equal(again.body.length, 0);
      const identity = await get(`${url}/ui/app.js`);
      assert.equal(identity.headers['content-encoding'], undefined);
      assert.deepEqual(identity.body, plain);
      const css = await get(`${url}/ui/app.css`);
      assert.equal(css.status, 200);
      assert.match(css.body.toString(), /\.u-legend/, "uPlot's CSS is in the bundle");
    } finally {
      await http.close();
    }
  },
);

test(
  "UI: behind the web config's basic auth like the API (401 without credentials)",
  { timeout: 60_000 },
  async () => {
    const file = join(dir, 'web.yml');
    writeFileSync(file, `basic_auth_users:\n  alice: ${await bcrypt.hash('s3cret', 4)}\n`);
    const http = new HttpServer({ logger: silentLogger(), webConfigFile: file });
    mountUi(http, { tier: 'root', logger: silentLogger() });
    const { url } = await http.listen('127.0.0.1:0');
    try {
      for (const p of ['/', '/graph', '/silences', '/ui/app.js'])
        assert.equal((await get(`${url}${p}`)).status, 401, p);
      const auth = { authorization: `Basic ${Buffer.from('alice:s3cret').toString('base64')}` };
      assert.equal((await get(`${url}/graph`, auth)).status, 200);
      assert.equal((await get(`${url}/ui/app.js`, auth)).status, 200);
    } finally {
      await http.close();
    }
  },
);
