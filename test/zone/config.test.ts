// parseZoneConfig after its split into section readers and flag steps (issue 17): the file is
// read section by section, flags override it, and the first error found is the one reported,
// in the same order as before the split.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseZoneConfig, type ZoneConfig } from '../../zone/config.ts';

const dir = mkdtempSync(join(tmpdir(), 'zone-config-'));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}
const parse = (argv: string[]): ZoneConfig => parseZoneConfig(argv) as ZoneConfig;
const message = (argv: string[]): string => {
  try {
    parseZoneConfig(argv);
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
};

test('defaults, then file sections, then flags over them', () => {
  const d = parse([]);
  assert.equal(d.listen, '127.0.0.1:9201');
  assert.equal(d.tsdb.retentionMs, 15 * 86_400_000);
  assert.equal(d.ruleStateDb, join('data/zone', 'rules.db'));
  assert.deepEqual(d.snapshots, { maxCount: 3, maxBytes: 0 });
  const f = file(
    'full.yml',
    'zone: eu-1\nregion: eu\ndata_dir: d\ntsdb: {retention: 2d, wal_fsync: always}\nruntime_config: {file: rc.yml, reload_period: 30s}\nsnapshot: {max_count: 5}\nrule_files: [r.yml]\n',
  );
  const c = parse([
    '--config',
    f,
    '--retention',
    '3d',
    '--zone',
    'eu-2',
    '--rule-file',
    'x.yml',
    '--evaluation-interval',
    '15s',
    '--snapshot.max-count',
    '7',
  ]);
  assert.equal(c.zone, 'eu-2');
  assert.equal(c.tsdb.retentionMs, 3 * 86_400_000);
  assert.equal(c.tsdb.walFsync, 'always');
  assert.equal(c.runtimeConfigFile, join(dir, 'rc.yml'));
  assert.equal(c.runtimeConfigPeriodMs, 30_000);
  assert.deepEqual(c.ruleFiles, [join(dir, 'r.yml'), 'x.yml']);
  assert.equal(c.evaluationIntervalMs, 15_000);
  assert.equal(c.snapshots.maxCount, 7);
  assert.deepEqual(c.externalLabels, { zone: 'eu-2', region: 'eu' });
  assert.equal(c.ruleStateDb, join('d', 'rules.db'));
});

test('the first error in reading order wins: top-level keys, sections, unknown keys, then flags in table order', () => {
  assert.match(message(['--config', file('a.yml', 'zone: Bad\nnats: 5\n')]), /key "zone"/);
  assert.match(
    message(['--config', file('b.yml', 'bogus: 1\ntsdb: {bogus: 1}\n')]),
    /key "tsdb\.bogus": unknown key/,
  );
  assert.match(
    message(['--config', file('c.yml', 'bogus: 1\n'), '--listen', 'bad']),
    /key "bogus": unknown key/,
  );
  assert.equal(
    message(['--zone', 'A', '--listen', 'bad']),
    'canopy zone: flag --listen: expected HOST:PORT, got "bad"',
  );
  assert.equal(
    message(['--retention', '1s', '--log-level', 'x']),
    'canopy zone: flag --log-level: expected debug, info, warn or error, got "x"',
  );
  assert.equal(
    message(['--snapshot.max-count', '0', '--evaluation-interval', 'x']),
    '--evaluation-interval: key "i": expected a duration such as 15s, 1m or 2h, got string "x"',
  );
  assert.equal(
    message(['--runtime-config.reload-period', '1ms']),
    '--runtime-config.reload-period: key "p": expected a duration of at least 100 ms, got string "1ms"',
  );
  assert.equal(
    message(['--nats', 'nats://127.0.0.1:4222']),
    'canopy zone: a zone that joins NATS needs a name (zone: / --zone)',
  );
});

test('bucket: file settings, flags over them, and an object store needs tsdb storage', () => {
  const os = file('os.yml', `type: FILESYSTEM\nconfig: {directory: ${join(dir, 'bk')}}\n`);
  const f = file(
    'bucket.yml',
    'bucket: {object_store_config: os.yml, cache_size: 1MB, sync_interval: 5s, retention_resolution_5m: 20d}\n',
  );
  const c = parse(['--config', f, '--bucket-sync-interval', '10s', '--retention.resolution-1h', '3d']);
  assert.equal(c.bucket?.file, os);
  assert.equal(c.bucket?.cacheBytes, 1_000_000);
  assert.equal(c.bucket?.syncIntervalMs, 10_000);
  assert.deepEqual(c.bucket?.retention, { rawMs: 0, fiveMinMs: 20 * 86_400_000, oneHourMs: 3 * 86_400_000 });
  assert.equal(parse([]).bucket, undefined);
  assert.equal(
    message(['--object-store-config', os, '--storage', 'memory']),
    'an object store needs storage: tsdb (blocks), not memory',
  );
});
