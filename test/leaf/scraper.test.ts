import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Scraper } from '../../leaf/scraper.ts';
import { parseScrapeJobConfig, isStaleNaN, type ScrapeResult } from '../../leaf/scrape/index.ts';
import { silentLogger } from '../../shared/log.ts';

test('static ∪ file_sd targets; a target leaving its file gets staleness markers; health per job', async () => {
  const srv = createServer((_q, r) => r.end('# TYPE m gauge\nm 1\n'));
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  const dir = mkdtempSync(join(tmpdir(), 'canopy-scraper-'));
  const sd = join(dir, 'targets.json');
  writeFileSync(sd, JSON.stringify([{ targets: [`localhost:${port}`], labels: { via: 'file' } }]));
  const results: ScrapeResult[] = [];
  const scraper = new Scraper(
    [
      {
        config: parseScrapeJobConfig({ job_name: 'j', scrape_interval: '100ms' }),
        staticGroups: [{ targets: [`127.0.0.1:${port}`], labels: {} }],
        fileSd: [{ files: [sd], refreshIntervalMs: 60_000 }],
      },
    ],
    { onResult: (r) => results.push(r), onDrop: () => {}, logger: silentLogger() },
  );
  try {
    await scraper.start();
    const waitFor = async (cond: () => boolean): Promise<void> => {
      for (let i = 0; i < 100 && !cond(); i++) await new Promise((r) => setTimeout(r, 50));
      assert.ok(cond());
    };
    await waitFor(() => new Set(results.filter((r) => r.ok).map((r) => r.target.url)).size === 2);
    assert.deepEqual(scraper.health(), [
      { job: 'j', targets: 2, up: 2, droppedTargets: 0, fileSdReadErrors: 0 },
    ]);
    const fileTarget = results.find((r) => r.target.labels.some((l) => l.name === 'via'))!.target;
    writeFileSync(sd, '[]');
    await waitFor(() => scraper.health()[0]!.targets === 1);
    await waitFor(() =>
      results.some(
        (r) => r.target === fileTarget && r.samples.length > 0 && r.samples.every((s) => isStaleNaN(s.value)),
      ),
    );
  } finally {
    await scraper.stop({ targetGone: false });
    srv.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
