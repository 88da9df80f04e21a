import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../../shared/log.ts';
import {
  DEFAULT_ADMISSION_LIMITS,
  parseRuntimeConfig,
  RuntimeConfigLoader,
  type AdmissionLimits,
} from '../../../zone/ingest/index.ts';

test('overrides: Mimir key names over the zone defaults; unknown keys, bad values and bad tenant ids are errors naming file and key', () => {
  const o = parseRuntimeConfig(
    'rt.yaml',
    'overrides:\n  team-a:\n    ingestion_rate: 5\n    max_global_series_per_user: 7\n  b: {}\n',
    DEFAULT_ADMISSION_LIMITS,
  );
  assert.equal(o.get('team-a')!.ingestionRate, 5);
  assert.equal(o.get('team-a')!.maxSeriesPerTenant, 7);
  assert.equal(o.get('team-a')!.maxLabelValueLength, 2048);
  assert.deepEqual(o.get('b'), DEFAULT_ADMISSION_LIMITS);
  assert.equal(parseRuntimeConfig('rt.yaml', 'overrides:\n', DEFAULT_ADMISSION_LIMITS).size, 0);
  for (const [text, msg] of [
    [
      'overrides:\n  a:\n    ingestion_rat: 5\n',
      /rt\.yaml: overrides\.a\.ingestion_rat: unknown key \(expected one of ingestion_rate, /,
    ],
    [
      'overrides:\n  a:\n    max_label_name_length: -1\n',
      /overrides\.a\.max_label_name_length: expected a non-negative integer, got -1/,
    ],
    ['overrides:\n  "a/b": {}\n', /overrides\.a\/b: tenant ID "a\/b" contains unsupported character "\/"/],
    ['limits: {}\n', /key "limits": unknown key \(expected overrides\)/],
    ['overrides: [1]\n', /expected a mapping of tenant ids/],
    ['overrides:\n  a:\n    ingestion_burst_size: 0\n', /an ingestion rate needs a burst size > 0/],
  ] as const) {
    assert.throws(() => parseRuntimeConfig('rt.yaml', text, DEFAULT_ADMISSION_LIMITS), msg);
  }
});

test('the loader applies a good file, keeps the previous overrides on a bad one, and applies the next good one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'canopy-rt-'));
  try {
    const file = join(dir, 'rt.yaml');
    writeFileSync(file, 'overrides:\n  a:\n    ingestion_rate: 1\n');
    const applied: ReadonlyMap<string, Readonly<AdmissionLimits>>[] = [];
    const outcomes: boolean[] = [];
    const l = new RuntimeConfigLoader({
      file,
      periodMs: 60_000,
      defaults: DEFAULT_ADMISSION_LIMITS,
      logger: silentLogger(),
      apply: (o) => applied.push(o),
      onReload: (ok) => outcomes.push(ok),
    });
    await l.start();
    l.stop();
    assert.equal(applied.at(-1)!.get('a')!.ingestionRate, 1);
    writeFileSync(file, 'overrides:\n  a:\n    ingestion_rate: x\n');
    assert.match(await l.reload(), /overrides\.a\.ingestion_rate: expected a non-negative integer, got "x"/);
    assert.equal(applied.length, 1);
    writeFileSync(file, 'overrides:\n  a:\n    ingestion_rate: 2\n');
    assert.equal(await l.reload(), '');
    assert.equal(applied.at(-1)!.get('a')!.ingestionRate, 2);
    assert.deepEqual(outcomes, [true, false, true]);
    rmSync(file);
    assert.match(await l.reload(), /cannot read runtime config file .*ENOENT/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
