// The topology's zone entries as `canopy up --secure` writes them: `http` as HOST:PORT (plain) or
// http:// / https:// HOST:PORT, and the root's zone directory building each zone's URL with that
// scheme; `rule_files` relative to the topology file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigReader } from '../../shared/config/index.ts';
import { parseTopology } from '../../shared/topology.ts';
import { silentLogger } from '../../shared/log.ts';
import { ZoneDirectory } from '../../global/zones.ts';

const parse = (zones: Record<string, unknown>[]): ReturnType<typeof parseTopology> =>
  parseTopology(new ConfigReader('/etc/canopy/t.yaml', { regions: [{ name: 'eu', zones }] }));

test('zone http: HOST:PORT is plain HTTP, https://HOST:PORT is reached over TLS; the root builds its URLs with that scheme', () => {
  const t = parse([
    { name: 'za', http: '127.0.0.1:9201' },
    { name: 'zb', http: 'https://127.0.0.1:9202' },
    { name: 'zc', http: 'http://[::1]:9203' },
    { name: 'zd', http: 'https://127.0.0.1:0' },
  ]);
  assert.deepEqual(
    t.zones.map((z) => [z.http, z.httpScheme]),
    [
      ['127.0.0.1:9201', 'http'],
      ['127.0.0.1:9202', 'https'],
      ['[::1]:9203', 'http'],
      ['127.0.0.1:0', 'https'],
    ],
  );
  const dir = new ZoneDirectory(10_000, silentLogger(), t);
  assert.deepEqual(
    dir.list().map((z) => [z.zone, z.httpUrl]),
    [
      ['za', 'http://127.0.0.1:9201'],
      ['zb', 'https://127.0.0.1:9202'],
      ['zc', 'http://[::1]:9203'],
      ['zd', ''],
    ],
  );
});

test('zone http: another scheme or a path is refused, naming the key', () => {
  for (const bad of [
    'ftp://127.0.0.1:1',
    'https://127.0.0.1:1/x',
    'https://127.0.0.1',
    'HTTPS//127.0.0.1:1',
  ]) {
    assert.throws(
      () => parse([{ name: 'za', http: bad }]),
      /key "regions\[0\]\.zones\[0\]\.http": expected an address HOST:PORT or https:\/\/HOST:PORT/,
      bad,
    );
  }
});

test('zone rule_files: relative to the topology file, absolute kept; none by default', () => {
  const t = parse([{ name: 'za', rule_files: ['rules/a.yml', '/abs/b.yml'] }, { name: 'zb' }]);
  assert.deepEqual(t.zones[0]!.ruleFiles, ['/etc/canopy/rules/a.yml', '/abs/b.yml']);
  assert.deepEqual(t.zones[1]!.ruleFiles, []);
});

test('root rules_store_zone: a zone of the topology, else refused naming the key', () => {
  const t = parseTopology(
    new ConfigReader('t.yaml', {
      root: { rules_store_zone: 'zb' },
      regions: [{ name: 'eu', zones: [{ name: 'za' }, { name: 'zb' }] }],
    }),
  );
  assert.equal(t.root.rulesStoreZone, 'zb');
  assert.equal(parse([{ name: 'za' }]).root.rulesStoreZone, undefined);
  assert.throws(
    () =>
      parseTopology(
        new ConfigReader('t.yaml', {
          root: { rules_store_zone: 'zz' },
          regions: [{ name: 'eu', zones: [{ name: 'za' }] }],
        }),
      ),
    /key "root\.rules_store_zone": expected a zone of this topology \(za\), got string "zz"/,
  );
});
