// The zones page of the web UI on a tree with an HA zone (test/e2e/ha-stack.ts: nats-server,
// the root, zone z1 as replicas a and b, a leaf shipping to both), in headless Debian chromium:
// one card for zone z1 with both replicas inside it, each alive with its series count and
// field-hint age, one marked preferred. CANOPY_UPDATE_SCREENSHOTS=1 writes docs/img/ui-zones-replicas.png.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { chromium, type Browser } from 'playwright-core';
import { getJson, REPO, waitFor } from './harness.ts';
import { rootQuery, startHaStack, type HaStack } from './ha-stack.ts';

const CHROMIUM = '/usr/bin/chromium';

let stack: HaStack | undefined;
let browser: Browser | undefined;
after(async () => {
  await browser?.close();
  await stack?.stop();
});

test(
  'zones page: an HA zone is one card with its two replicas inside, each alive with series and hint age',
  {
    timeout: 120_000,
    skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed (Debian package chromium)`,
  },
  async () => {
    stack = await startHaStack('web-ui-ha');
    const s = stack;
    await waitFor(
      'both replicas alive at the root, with series in their field hints',
      async () => {
        const d = (await getJson(`${s.rootUrl}/api/v1/status/zones`)).body.data as {
          replica?: string;
          alive: boolean;
          seriesCount: number;
          hintsAgeMs: number | null;
        }[];
        return d.length === 2 && d.every((z) => z.alive && z.seriesCount > 0 && z.hintsAgeMs !== null);
      },
      30_000,
      300,
    );
    await waitFor(
      'samples at the root',
      async () => (await rootQuery(s.rootUrl, 'up{job="ha"}')).result.length === 1,
    );
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    try {
      await page.goto(`${s.rootUrl}/zones`);
      await page.waitForSelector('.zone-card[data-zone="z1"] li.replica');
      assert.equal(
        await page.$$eval('.zone-card', (z) => z.length),
        1,
        'one card for the zone, not one per replica',
      );
      assert.equal(await page.$$eval('.zone-card.alive[data-zone="z1"]', (z) => z.length), 1);
      const reps = await page.$$eval('.zone-card[data-zone="z1"] li.replica', (els) =>
        els.map((el) => ({
          replica: el.getAttribute('data-replica'),
          alive: el.classList.contains('alive'),
          series: el.querySelector('dd.series')?.textContent ?? '',
          hints: el.querySelector('dd.hints')?.textContent ?? '',
          heading: el.querySelector('h4')?.textContent ?? '',
        })),
      );
      assert.deepEqual(
        reps.map((r) => [r.replica, r.alive]),
        [
          ['a', true],
          ['b', true],
        ],
        JSON.stringify(reps),
      );
      for (const r of reps) {
        assert.ok(Number(r.series) > 0, `replica ${r.replica} series: ${r.series}`);
        assert.match(r.hints, /old, \d+ metric names/, `replica ${r.replica} hints: ${r.hints}`);
      }
      assert.equal(
        reps.filter((r) => r.heading.includes('(preferred)')).length,
        1,
        'one replica marked preferred',
      );
      assert.match(
        (await page.textContent('p.summary')) ?? '',
        /1 of 1 zones alive in 1 region; 1 with replicas \(2 of 2 replicas alive\)/,
      );
      assert.deepEqual(problems, []);
      if (process.env.CANOPY_UPDATE_SCREENSHOTS === '1')
        await page.screenshot({ path: join(REPO, 'docs/img/ui-zones-replicas.png') });
    } catch (e) {
      await page
        .screenshot({ path: join(tmpdir(), 'canopy-web-ui-replicas-failure.png'), fullPage: true })
        .catch(() => undefined);
      throw e;
    }
  },
);
