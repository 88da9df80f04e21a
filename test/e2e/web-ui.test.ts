// The web UI in a real browser (headless Debian chromium via playwright-core; no browser is
// downloaded) on a real tree from `canopy up`: NATS, the root, two zones in two regions, a leaf
// and a demo exporter per zone, and the demo rules (topology/demo/rules.yml: Watchdog fires at
// once). One browser for every check. The graph screenshot goes to the temp dir, and to docs/img/ui-graph.png with
// CANOPY_UPDATE_SCREENSHOTS=1 (which also writes docs/img/ui-cardinality.png).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { chromium, type Browser, type Page } from 'playwright-core';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { freePort, REPO, spawnCanopy, tempDir, waitFor, waitForHttp, type Proc } from './harness.ts';

const CHROMIUM = '/usr/bin/chromium';

const topology = (rules: string): string => `nats: { url: auto }
root: { http: 127.0.0.1:0 }
regions:
  - name: eu
    zones:
      - { name: eu-a, http: 127.0.0.1:0, grpc: 127.0.0.1:0, leaves: 1, rule_files: [${JSON.stringify(rules)}] }
  - name: us
    zones:
      - { name: us-a, http: 127.0.0.1:0, grpc: 127.0.0.1:0, leaves: 1, rule_files: [${JSON.stringify(rules)}] }
demo: { exporter: true }
data_dir: data
`;

interface Endpoints {
  root: { http: string };
  zones: { name: string; http: string }[];
  leaves: { name: string; http: string }[];
}

/** Pixels of the canvas close to an RGB colour (a drawn series line), counted in the page. */
async function pixelsNear(page: Page, selector: string, rgb: [number, number, number]): Promise<number> {
  return page.$eval(
    selector,
    (c, [r, g, b]) => {
      // (a browser-side callback: the test's own TypeScript has no DOM types)
      const canvas = c as unknown as {
        width: number;
        height: number;
        getContext(k: '2d'): {
          getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
        };
      };
      const px = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 0; i < px.length; i += 4)
        if (
          px[i + 3]! > 200 &&
          Math.abs(px[i]! - r) < 40 &&
          Math.abs(px[i + 1]! - g) < 40 &&
          Math.abs(px[i + 2]! - b) < 40
        )
          n++;
      return n;
    },
    rgb,
  );
}

test(
  "web UI in headless Chromium on `canopy up`: graph (table and chart), alerts, zones, silences, plan, cardinality, leaf targets, tenant, a partial answer's warning",
  {
    timeout: 240_000,
    skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed (Debian package chromium)`,
  },
  async (tc) => {
    const t0 = performance.now();
    const d = tempDir('web-ui');
    const topo = join(d.path, 'topo.yaml');
    writeFileSync(topo, topology(join(REPO, 'topology/demo/rules.yml')));
    const child = spawn(
      process.execPath,
      [
        join(REPO, 'bin/canopy.js'),
        'up',
        '--topology',
        topo,
        '--state-dir',
        join(d.path, 'state'),
        '--scrape-interval',
        '1s',
      ],
      { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const lines: string[] = [];
    createInterface({ input: child.stdout! }).on('line', (l) => lines.push(l));
    createInterface({ input: child.stderr! }).on('line', (l) => lines.push(`stderr: ${l}`));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    let browser: Browser | undefined;
    let ghostRoot: Proc | undefined;
    const timings: string[] = [];
    const lap = (what: string, from: number): void =>
      void timings.push(`${what} ${((performance.now() - from) / 1000).toFixed(1)} s`);
    try {
      await waitFor(
        'the summary',
        async () => lines.some((l) => l.startsWith('Canopy is up:')),
        150_000,
        250,
      ).catch((e) => {
        throw new Error(`${(e as Error).message}\n${lines.slice(-30).join('\n')}`);
      });
      const ep = JSON.parse(readFileSync(join(d.path, 'state', 'endpoints.json'), 'utf8')) as Endpoints;
      const root = ep.root.http;
      assert.ok(
        lines.some((l) => l.startsWith(`            UI  ${root}/graph  `)),
        'the summary names the UI',
      );
      lap('tree up', t0);
      const t1 = performance.now();
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      lap('browser', t1);
      // Both zones' up series reach the root (each leaf scrapes its exporter every second).
      // Both zones' CPU rates at the root, over the last 5 s: enough points for the graph's lines.
      const cpu = 'sum by (zone) (rate(node_cpu_seconds_total{mode!="idle"}[5s]))';
      await waitFor(
        '5 s of CPU rates from both zones at the root',
        async () => {
          const r = (await (
            await fetch(
              `${root}/api/v1/query?query=${encodeURIComponent(`count_over_time((${cpu})[5s:1s])`)}`,
            )
          ).json()) as { data: { result: { value: [number, string] }[] } };
          return r.data.result.length === 2 && r.data.result.every((s) => Number(s.value[1]) >= 5);
        },
        60_000,
        500,
      );

      const t2 = performance.now();
      // Table tab: g0.tab=1 with Prometheus's URL conventions; every zone's series listed.
      await page.goto(`${root}/graph?g0.expr=up&g0.tab=1`);
      await page.waitForSelector('table.result tr');
      const rows = await page.$$eval('table.result tr td.labels', (tds) =>
        tds.map((td) => td.textContent ?? ''),
      );
      assert.equal(rows.length, 2, rows.join('\n'));
      for (const z of ep.zones)
        assert.ok(
          rows.some((r) => r.includes(`zone="${z.name}"`)),
          `a row for zone ${z.name}: ${rows.join('\n')}`,
        );
      // the editor highlights PromQL (codemirror-promql's syntax tree gives the metric name a class)
      assert.ok(await page.$('.cm-editor .cm-line span'), 'highlighted tokens in the editor');

      // Graph tab: a second panel, added in the page, with a stacked range query; the line is drawn.
      await page.goto(
        `${root}/graph?g0.expr=${encodeURIComponent(cpu)}&g0.tab=0&g0.range_input=2m&g1.expr=up&g1.tab=1`,
      );
      await page.waitForSelector('.panel:nth-of-type(1) .chart canvas');
      assert.equal(
        await page.$eval('.panel:nth-of-type(1) .chart', (el) => el.getAttribute('data-series')),
        '2',
      );
      const legend = await page.$eval('.panel:nth-of-type(1) .u-legend', (el) => el.textContent ?? '');
      for (const z of ep.zones)
        assert.ok(legend.includes(`zone="${z.name}"`), `legend names ${z.name}: ${legend}`);
      // series 0's colour, hsl(0, 65%, 45%) = rgb(189, 40, 40), is on the canvas: the line is drawn
      await waitFor(
        'series pixels on the canvas',
        async () => (await pixelsNear(page, '.panel:nth-of-type(1) .chart canvas', [189, 40, 40])) > 20,
        5000,
      );
      // hover values: moving over the plot fills the legend's value cells
      const over = (await page.$('.panel:nth-of-type(1) .u-over'))!;
      const box = (await over.boundingBox())!;
      await page.mouse.move(box.x + box.width - 30, box.y + box.height / 2);
      const hovered = await page.$$eval('.panel:nth-of-type(1) .u-legend .u-series td.u-value', (tds) =>
        tds.map((t) => t.textContent ?? ''),
      );
      assert.ok(
        hovered.some((v) => /^\d/.test(v)),
        `hover values in the legend: ${hovered.join(' ')}`,
      );
      await page.waitForSelector('.panel:nth-of-type(2) table.result tr');
      // stacked: redrawn, and the URL says so
      await page.check('.panel:nth-of-type(1) input[name=stacked]');
      await waitFor(
        'the stacked chart',
        async () => (await pixelsNear(page, '.panel:nth-of-type(1) .chart canvas', [189, 40, 40])) > 20,
        5000,
      );
      assert.ok(page.url().includes('g0.stacked=1'), page.url());
      const shot = join(d.path, 'ui-graph.png');
      await page.screenshot({ path: shot, fullPage: true });
      if (process.env.CANOPY_UPDATE_SCREENSHOTS === '1')
        copyFileSync(shot, join(REPO, 'docs/img/ui-graph.png'));
      // add and remove panels; the URL follows
      await page.click('button.add-panel');
      assert.equal(await page.$$eval('.panel', (p) => p.length), 3);
      await page.click('.panel:nth-of-type(3) button.remove');
      await page.click('.panel:nth-of-type(2) button.remove');
      assert.equal(await page.$$eval('.panel', (p) => p.length), 1);
      assert.ok(!page.url().includes('g1.'), page.url());
      assert.ok(page.url().includes('g0.tab=0'), page.url());
      // completion from the server: metric names, then a label's values (codemirror-promql's client on /api/v1)
      await page.click('.panel:nth-of-type(1) .cm-content');
      await page.keyboard.press('Control+A');
      await page.keyboard.type('node_cpu_sec');
      const names = await (await page.waitForSelector('.cm-tooltip-autocomplete')).textContent();
      assert.match(names ?? '', /node_cpu_seconds_total/);
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+A');
      await page.keyboard.type('up{zone="');
      await waitFor(
        'zone values offered',
        async () => {
          const t = await page
            .$eval('.cm-tooltip-autocomplete', (el) => el.textContent ?? '')
            .catch(() => '');
          return ep.zones.every((z) => t.includes(z.name));
        },
        10_000,
      );
      // errors shown plainly: the server's parse error text
      await page.goto(`${root}/graph?g0.expr=${encodeURIComponent('sum(up')}&g0.tab=1`);
      const err = await (await page.waitForSelector('.panel .error')).textContent();
      assert.match(err ?? '', /bad_data: .*parse error/i);
      lap('graph page', t2);

      const t3 = performance.now();
      // Alerts: the demo Watchdog fires in both zones (merged at the root).
      await page.goto(`${root}/alerts`);
      await waitFor(
        'the firing demo alert',
        async () => {
          const n = await page.$$eval(
            'details.alert-rule.firing[data-alertname="Watchdog"] tr.alert.firing',
            (r) => r.length,
          );
          if (n >= 2) return true;
          await page.click('.page-head button');
          return false;
        },
        30_000,
        1000,
      );
      // one rule per zone's group (file "zone:path"), each with its zone's alert
      const alertText = (
        await page.$$eval('details.alert-rule.firing', (els) => els.map((el) => el.textContent ?? ''))
      ).join('\n');
      for (const z of ep.zones) assert.ok(alertText.includes(`zone="${z.name}"`), alertText);
      // Zones: regions → zones → leaves, every zone alive.
      await page.goto(`${root}/zones`);
      await page.waitForSelector('.zone-card');
      assert.equal(await page.$$eval('.zone-card.alive', (z) => z.length), ep.zones.length);
      assert.equal(await page.$$eval('section.region', (r) => r.length), 2);
      await waitFor(
        'both leaves listed',
        async () => {
          const n = await page.$$eval('.zone-card li.leaf', (l) => l.length);
          if (n === ep.leaves.length) return true;
          await page.click('.page-head button');
          return false;
        },
        20_000,
        1000,
      );
      lap('alerts and zones', t3);

      const t4 = performance.now();
      // Silences: create one at the root (it lives in both zones, listed as one row), then expire it.
      await page.goto(`${root}/silences`);
      await page.fill('input[name=matchers]', 'alertname="Watchdog", severity=~"none|info"');
      await page.fill('input[name=duration]', '1h');
      await page.fill('input[name=comment]', 'ui test silence');
      await page.click('form.silence-form button[type=submit]');
      const row = await page.waitForSelector('tr.silence.active:has-text("ui test silence")');
      assert.match((await row.textContent()) ?? '', /×2 zones/);
      const api = (await (await fetch(`${root}/api/v2/silences`)).json()) as {
        comment: string;
        status: { state: string };
      }[];
      assert.deepEqual(
        api.filter((s) => s.comment === 'ui test silence').map((s) => s.status.state),
        ['active', 'active'],
      );
      await (await row.$('button.expire'))!.click();
      await page.waitForSelector('tr.silence.expired:has-text("ui test silence")');
      assert.equal(await page.$$eval('tr.silence.active', (r) => r.length), 0);
      const after = (await (await fetch(`${root}/api/v2/silences`)).json()) as {
        comment: string;
        status: { state: string };
      }[];
      assert.deepEqual(
        after.filter((s) => s.comment === 'ui test silence').map((s) => s.status.state),
        ['expired', 'expired'],
      );
      // a bad matcher is refused in the form, with the reason
      await page.fill('input[name=matchers]', 'alertname=oops');
      await page.click('form.silence-form button[type=submit]');
      assert.match(
        (await (await page.waitForSelector('.form-message .error')).textContent()) ?? '',
        /cannot parse matchers/,
      );
      lap('silences', t4);

      const t5 = performance.now();
      // Query plan: a query with a zone matcher asks one zone and says why it skips the other.
      await page.goto(`${root}/query-plan?query=${encodeURIComponent('sum(up{zone="eu-a"})')}`);
      const skipped = await (await page.waitForSelector('li.skipped')).textContent();
      assert.match(skipped ?? '', /us-a/);
      // Cardinality: the zones' sketches merged, with a column per zone: top metrics, and top
      // label pairs (name="value") with each zone's exact count and the merged estimate.
      await page.goto(`${root}/cardinality`);
      const card = await (await page.waitForSelector('table.cardinality.metrics')).textContent();
      assert.match(card ?? '', /node_cpu_seconds_total/);
      const pairRows = await page.$$eval('table.label-pairs tr.label-pair', (trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')),
      );
      assert.ok(pairRows.length > 0, 'label-pair rows');
      for (const r of pairRows)
        assert.match(r[0]!, /^[a-zA-Z_]\w*=".*"$/, `a pair shown as name="value": ${r[0]}`);
      // a pair both zones hold (the demo's job, a CPU mode…): each zone's exact count, and the
      // merged estimate near their sum (the zones' series differ by their zone label)
      const shared = pairRows.find((r) => r.slice(2).every((c) => /^\d+$/.test(c!)));
      assert.ok(shared, `a pair held in every zone: ${JSON.stringify(pairRows.slice(0, 8))}`);
      const perZone = shared.slice(2).map(Number);
      assert.equal(perZone.length, ep.zones.length);
      const sum = perZone.reduce((a, b) => a + b, 0);
      assert.ok(
        Math.abs(Number(shared[1]) - sum) <= Math.max(1, sum * 0.1),
        `estimate ${shared[1]} vs the zones' ${sum}: ${shared.join(' | ')}`,
      );
      assert.equal(await page.$('.missing-zones'), null, 'no zone missing');
      if (process.env.CANOPY_UPDATE_SCREENSHOTS === '1')
        await page.screenshot({ path: join(REPO, 'docs/img/ui-cardinality.png'), fullPage: true });
      // each zone's header links to the zone's own page: Prometheus's TSDB status there
      await page.click(`table.label-pairs th[data-zone="${ep.zones[0]!.name}"] a`);
      const zonePairs = await (await page.waitForSelector('table.cardinality.label-pairs')).textContent();
      assert.match(zonePairs ?? '', /__name__="node_cpu_seconds_total"/);
      assert.ok(page.url().startsWith(ep.zones[0]!.http), page.url());
      // The tenant in the navigation bar goes out as X-Scope-OrgID: another tenant sees no series.
      await page.goto(`${root}/graph?g0.expr=up&g0.tab=1`);
      await page.waitForSelector('table.result tr');
      await page.fill('nav input[name=tenant]', 'team-x');
      await Promise.all([page.waitForNavigation(), page.press('nav input[name=tenant]', 'Enter')]);
      assert.equal(await (await page.waitForSelector('.panel .empty')).textContent(), 'Empty query result');
      await page.fill('nav input[name=tenant]', '');
      await Promise.all([page.waitForNavigation(), page.press('nav input[name=tenant]', 'Enter')]);
      await page.waitForSelector('table.result tr');
      assert.equal(await page.$$eval('table.result td.labels', (r) => r.length), 2, 'anonymous again');
      // A zone serves its own UI; the leaf its targets and buffer.
      await page.goto(`${ep.zones[0]!.http}/graph?g0.expr=up&g0.tab=1`);
      await page.waitForSelector('table.result tr');
      assert.equal(await page.$$eval('table.result td.labels', (r) => r.length), 1);
      await page.goto(ep.leaves[0]!.http);
      const jobs = await (await page.waitForSelector('table.jobs')).textContent();
      assert.match(jobs ?? '', /1/);
      lap('plan, cardinality, zone, leaf', t5);

      const t6 = performance.now();
      // A partial answer: a second root whose topology also expects zone "ghost", which never
      // runs. Its answers carry a warning naming the zone; the panel shows it above the rows,
      // and its zones page shows the ghost down.
      const resolved = parseYaml(readFileSync(join(d.path, 'state', 'topology.resolved.yaml'), 'utf8')) as {
        nats: { url: string };
        regions: { name: string; zones: unknown[] }[];
      };
      resolved.regions.push({
        name: 'void',
        zones: [{ name: 'ghost', http: '127.0.0.1:1', grpc: '127.0.0.1:1', leaves: 0 }],
      });
      const ghostTopo = join(d.path, 'ghost-topology.yaml');
      writeFileSync(ghostTopo, toYaml(resolved));
      const root2 = `http://127.0.0.1:${await freePort()}`;
      const nats = readFileSync(join(d.path, 'state', 'endpoints.json'), 'utf8').match(
        /"nats":\s*"([^"]+)"/,
      )![1]!;
      ghostRoot = spawnCanopy('root2', [
        'root',
        '--listen',
        root2.slice('http://'.length),
        '--nats',
        nats,
        '--topology',
        ghostTopo,
      ]);
      assert.ok(await waitForHttp(`${root2}/readyz`, 30_000), ghostRoot.output.join('\n'));
      await waitFor(
        'both real zones heard by the second root',
        async () => {
          const r = (await (await fetch(`${root2}/api/v1/status/zones`)).json()) as {
            data: { alive: boolean }[];
          };
          return r.data.filter((z) => z.alive).length === 2;
        },
        20_000,
        300,
      );
      await page.goto(`${root2}/graph?g0.expr=up&g0.tab=1`);
      await page.waitForSelector('table.result tr');
      const warning = await page.$eval('.panel .warning', (el) => el.textContent ?? '');
      assert.match(
        warning,
        /zone ghost \(region void\) is down: it has not sent a heartbeat: the result is partial/,
      );
      assert.equal(
        await page.$$eval('table.result td.labels', (r) => r.length),
        2,
        'the live zones still answer',
      );
      await page.goto(`${root2}/zones`);
      await page.waitForSelector('.zone-card.dead[data-zone="ghost"]');
      assert.equal(await page.$$eval('.zone-card.alive', (z) => z.length), 2);
      lap('partial answer', t6);
      assert.deepEqual(problems, []);
      tc.diagnostic(
        `timings: ${timings.join(', ')}; total ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );
    } catch (e) {
      // the page as it was, for whoever reads the failure
      const pages = browser?.contexts().flatMap((c) => c.pages()) ?? [];
      if (pages[0])
        await pages[0]
          .screenshot({ path: join(tmpdir(), 'canopy-web-ui-failure.png'), fullPage: true })
          .catch(() => undefined);
      throw new Error(
        `${(e as Error).message} (screenshot: ${join(tmpdir(), 'canopy-web-ui-failure.png')}; url ${pages[0]?.url()})`,
        { cause: e },
      );
    } finally {
      await browser?.close();
      await ghostRoot?.stop();
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      const t = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(t);
      d.remove();
    }
  },
);
