// The zone's storage defaults are written once (zone/tsdb-defaults.ts): the values themselves
// (unchanged from when each module held its own copy), the zone config and the TSDB taking
// them, and the docs table (docs/format/block.md "Defaults") agreeing with them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  MIN_BLOCK_RANGE_MS,
  MIN_WAL_SEGMENT_SIZE_BYTES,
  TSDB_DEFAULTS,
} from '../../../zone/tsdb-defaults.ts';
import { parseZoneConfig, type ZoneConfig } from '../../../zone/config.ts';
import { parseTSDBOptions } from '../../../zone/tsdb/index.ts';
import { Head } from '../../../zone/tsdb/head.ts';
import { DEFAULT_BLOCK_DURATION_MS } from '../../../zone/import/openmetrics.ts';

const H = 3_600_000;
const D = 24 * H;

test('the defaults are the values each module used to hold', () => {
  assert.deepEqual(
    { ...TSDB_DEFAULTS },
    {
      blockRangeMs: 2 * H,
      retentionMs: 15 * D,
      retentionBytes: 0,
      outOfOrderWindowMs: H,
      walFsync: 'batch',
      walSegmentSizeBytes: 128 * 1024 * 1024,
      samplesPerChunk: 120,
      compactIntervalMs: 60_000,
      rollup5mAfterMs: 40 * H,
      rollup1hAfterMs: 10 * D,
      retention5mMs: 0,
      retention1hMs: 0,
    },
  );
  assert.equal(MIN_BLOCK_RANGE_MS, 60_000);
  assert.equal(MIN_WAL_SEGMENT_SIZE_BYTES, 4096);
  assert.equal(DEFAULT_BLOCK_DURATION_MS, 2 * H);
});

test('the zone config and the TSDB default to them (the TSDB alone writes no rollups)', () => {
  const c = parseZoneConfig([]) as ZoneConfig;
  const {
    walSegmentSizeBytes: _w,
    samplesPerChunk: _s,
    compactIntervalMs: _c,
    ...configurable
  } = TSDB_DEFAULTS;
  assert.deepEqual(c.tsdb, configurable);
  const o = parseTSDBOptions({ dir: '/tmp/x' });
  for (const k of [
    'blockRangeMs',
    'retentionMs',
    'retentionBytes',
    'outOfOrderWindowMs',
    'walFsync',
    'walSegmentSizeBytes',
    'compactIntervalMs',
    'retention5mMs',
    'retention1hMs',
  ] as const)
    assert.equal(o[k], TSDB_DEFAULTS[k], k);
  assert.equal(o.rollup5mAfterMs, 0);
  assert.equal(o.rollup1hAfterMs, 0);
  assert.throws(
    () => parseTSDBOptions({ dir: '/tmp/x', blockRangeMs: MIN_BLOCK_RANGE_MS - 1 }),
    /blockRangeMs must be ≥ 60000/,
  );
  assert.equal(new Head({ chunkRangeMs: 2 * H, outOfOrderWindowMs: 0 }).samplesPerChunk, 120);
});

test('docs/format/block.md lists the same defaults', () => {
  const md = readFileSync(new URL('../../../docs/format/block.md', import.meta.url), 'utf8');
  const rows = new Map<string, string>();
  for (const m of md.matchAll(/^\| [^|]+ \| `(\w+)` \| ([^|]+?) \|$/gm))
    rows.set(m[1]!, m[2]!.replace(/ \(.*\)$/, ''));
  const unit: [string, number][] = [
    ['d', D],
    ['h', H],
    ['m', 60_000],
    ['MiB', 1 << 20],
  ];
  const parse = (v: string): number | string => {
    for (const [u, n] of unit)
      if (v.endsWith(u) && /^\d+$/.test(v.slice(0, -u.length))) return Number(v.slice(0, -u.length)) * n;
    return /^\d+$/.test(v) ? Number(v) : v;
  };
  assert.deepEqual([...rows.keys()].sort(), Object.keys(TSDB_DEFAULTS).sort());
  for (const [k, v] of rows) assert.equal(parse(v), TSDB_DEFAULTS[k as keyof typeof TSDB_DEFAULTS], k);
});
