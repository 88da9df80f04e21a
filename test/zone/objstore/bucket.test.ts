// The Bucket implementations against a real s3rver process and a directory: the same contract
// for both (get/getRange/put/upload/exists/list over several pages/delete) and config errors.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  loadObjectStoreConfig,
  openBucket,
  describeObjectStore,
  type Bucket,
} from '../../../zone/objstore/index.ts';
import { isCanopyError } from '../../../shared/errors.ts';
import { parseZoneConfig, type ZoneConfig } from '../../../zone/config.ts';
import { startS3rver, type S3rver } from './s3rver.ts';

const tmp = mkdtempSync(join(tmpdir(), 'bucket-test-'));
let s3: S3rver;
before(async () => {
  s3 = await startS3rver();
});
after(async () => {
  await s3?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

function cfgFile(name: string, text: string): string {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
}

async function contract(b: Bucket): Promise<void> {
  assert.equal(await b.get('A/missing'), null);
  assert.equal(await b.exists('A/missing'), false);
  const big = Buffer.alloc(100_000);
  for (let i = 0; i < big.length; i++) big[i] = (i * 7) & 255;
  const f = join(tmp, `big-${Math.random()}`);
  writeFileSync(f, big);
  await b.upload('A/chunks/000001', f);
  await b.put('A/meta.json', Buffer.from('{"x":1}'));
  assert.equal(await b.exists('A/meta.json'), true);
  assert.deepEqual(await b.get('A/chunks/000001'), big);
  assert.deepEqual(await b.getRange('A/chunks/000001', 99_990, 100), big.subarray(99_990));
  assert.deepEqual(await b.getRange('A/chunks/000001', 1000, 10), big.subarray(1000, 1010));
  await assert.rejects(b.getRange('A/nothing', 0, 10), (e) => isCanopyError(e, 'not_found'));
  // More objects than one S3 listing page (1000 keys).
  await Promise.all(
    Array.from({ length: 1100 }, (_, i) => b.put(`B/${String(i).padStart(5, '0')}`, Buffer.from([i & 255]))),
  );
  const listed = await b.list('B/');
  assert.equal(listed.length, 1100);
  assert.equal(listed[1099]!.name, 'B/01099');
  assert.deepEqual(
    (await b.list('A/')).map((o) => [o.name, o.sizeBytes]),
    [
      ['A/chunks/000001', 100_000],
      ['A/meta.json', 7],
    ],
  );
  await b.delete('A/meta.json');
  await b.delete('A/meta.json'); // deleting twice is fine
  assert.equal(await b.exists('A/meta.json'), false);
}

test('S3 bucket on s3rver: the Bucket contract, with paged listings', async () => {
  const c = loadObjectStoreConfig(cfgFile('s3.yaml', s3.yaml));
  assert.equal(c.type, 'S3');
  assert.ok(!JSON.stringify(describeObjectStore(c)).includes('S3RVER'), 'description carries no secrets');
  const b = openBucket(c);
  try {
    await contract(b);
  } finally {
    b.close();
  }
});

test('FILESYSTEM bucket: the same contract', async () => {
  const c = loadObjectStoreConfig(cfgFile('fs.yaml', 'type: FILESYSTEM\nconfig:\n  directory: fsbucket\n'));
  assert.deepEqual(c, { type: 'FILESYSTEM', directory: join(tmp, 'fsbucket') }); // relative to the file
  await contract(openBucket(c));
});

test('object store config errors name the file and the key, never the secret', () => {
  const bad: [string, RegExp][] = [
    ['type: GCS\nconfig: {}\n', /key "type": expected one of S3, FILESYSTEM/],
    ['type: S3\nconfig:\n  endpoint: 127.0.0.1:9000\n', /key "config.bucket": expected an S3 bucket name/],
    [
      'type: S3\nconfig:\n  bucket: b1x\n  endpoint: h:1\n  access_key: AKIAXXXX\n',
      /key "config.secret_key": expected both access_key and secret_key/,
    ],
    ['type: S3\nconfig:\n  bucket: b1x\n  endpoint: h:1\n  insecure: maybe\n', /key "config.insecure"/],
    ['type: FILESYSTEM\nconfig:\n  directory: d\n  bucket: x\n', /config\.bucket/],
    ['type: FILESYSTEM\n', /key "config.directory"/],
  ];
  for (const [i, [text, re]] of bad.entries()) {
    const f = cfgFile(`bad${i}.yaml`, text);
    assert.throws(
      () => loadObjectStoreConfig(f),
      (e: Error) => {
        assert.match(e.message, re);
        assert.ok(e.message.includes(f), e.message);
        assert.ok(!e.message.includes('AKIAXXXX'), e.message);
        return isCanopyError(e, 'config_invalid');
      },
    );
  }
});

test('zone flags and config keys: the object store file is validated at start', () => {
  const good = cfgFile('good.yaml', 'type: FILESYSTEM\nconfig:\n  directory: /tmp/x\n');
  const c = parseZoneConfig([
    '--object-store-config',
    good,
    '--bucket-cache-size',
    '64MB',
    '--retention.resolution-raw',
    '30d',
    '--retention.resolution-1h',
    '1y',
  ]) as ZoneConfig;
  assert.deepEqual(c.bucket, {
    file: good,
    objectStore: { type: 'FILESYSTEM', directory: '/tmp/x' },
    cacheBytes: 64_000_000,
    syncIntervalMs: 60_000,
    retention: { rawMs: 30 * 86_400_000, fiveMinMs: 0, oneHourMs: 365 * 86_400_000 },
  });
  const zoneYaml = cfgFile(
    'zone.yaml',
    'bucket:\n  object_store_config: good.yaml\n  sync_interval: 5s\n  retention_resolution_5m: 90d\n',
  );
  const z = parseZoneConfig(['--config', zoneYaml]) as ZoneConfig;
  assert.equal(z.bucket?.file, good); // relative to the zone's config file
  assert.equal(z.bucket?.syncIntervalMs, 5000);
  assert.equal(z.bucket?.retention.fiveMinMs, 90 * 86_400_000);
  assert.equal((parseZoneConfig([]) as ZoneConfig).bucket, undefined);
  const bad = cfgFile(
    'bad-s3.yaml',
    'type: S3\nconfig:\n  bucket: ok-bucket\n  endpoint: h:1\n  secret_key: SECRETSECRET\n',
  );
  assert.throws(
    () => parseZoneConfig(['--object-store-config', bad]),
    (e: Error) =>
      e.message.includes(bad) &&
      e.message.includes('config.access_key') &&
      !e.message.includes('SECRETSECRET'),
  );
  assert.throws(
    () => parseZoneConfig(['--object-store-config', join(tmp, 'nope.yaml')]),
    /cannot read config file .*nope\.yaml/,
  );
  assert.throws(
    () => parseZoneConfig(['--object-store-config', good, '--storage', 'memory']),
    /an object store needs storage: tsdb/,
  );
  assert.throws(
    () => parseZoneConfig(['--object-store-config', good, '--retention.resolution-raw', 'forever']),
    /--retention\.resolution-raw/,
  );
  assert.throws(
    () => parseZoneConfig(['--config', cfgFile('z2.yaml', 'bucket:\n  cache: 1GB\n')]),
    /bucket\.cache/,
  );
});
