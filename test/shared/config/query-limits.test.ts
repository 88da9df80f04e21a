// The --query.* flags and the query: config section, at the zone and the root.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_QUERY_LIMITS } from '../../../shared/config/index.ts';
import { isCanopyError } from '../../../shared/errors.ts';
import { parseZoneConfig, type ZoneConfig } from '../../../zone/config.ts';
import { parseRootConfig, type RootConfig } from '../../../global/config.ts';

test("defaults are Prometheus's where Prometheus has the flag", () => {
  const z = parseZoneConfig([]) as ZoneConfig;
  assert.deepEqual(z.queryLimits, DEFAULT_QUERY_LIMITS);
  assert.equal(z.queryLimits.maxSamples, 50_000_000);
  assert.equal(z.queryLimits.maxConcurrency, 20);
  assert.equal(z.queryTimeoutMs, 120_000);
});

test('flags override the file; both zone and root', () => {
  const dir = mkdtempSync(join(tmpdir(), 'canopy-ql-'));
  try {
    const file = join(dir, 'c.yaml');
    writeFileSync(
      file,
      'query_timeout: 30s\nnats: {url: nats://127.0.0.1:4222}\nquery:\n  max_samples: 1000\n  max_memory: 64MiB\n  max_series: 0\n',
    );
    const flags = [
      '--config',
      file,
      '--query.max-concurrency',
      '3',
      '--query.timeout=10s',
      '--query.max-subquery-steps',
      '5000',
    ];
    const z = parseZoneConfig([...flags, '--zone', 'z']) as ZoneConfig;
    const r = parseRootConfig(flags) as RootConfig;
    for (const c of [z, r]) {
      assert.deepEqual(c.queryLimits, {
        timeoutMs: 10_000,
        maxSamples: 1000,
        maxConcurrency: 3,
        maxSeries: 0,
        maxMemoryBytes: 64 << 20,
        maxSubquerySteps: 5000,
      });
      assert.equal(c.queryTimeoutMs, 10_000);
    }
    writeFileSync(file, 'query:\n  max_samplez: 1\n');
    assert.throws(() => parseZoneConfig(['--config', file]), /key "query.max_samplez"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad flag values are flag errors naming the flag', () => {
  for (const [flag, v] of [
    ['--query.max-samples', 'lots'],
    ['--query.max-concurrency', '-1'],
    ['--query.timeout', 'soon'],
    ['--query.max-memory', 'big'],
  ]) {
    assert.throws(
      () => parseZoneConfig([flag!, v!]),
      (e: unknown) => isCanopyError(e, 'flag_invalid') && e.message.includes(`flag ${flag}`),
      `${flag} ${v}`,
    );
  }
});
