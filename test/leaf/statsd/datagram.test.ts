import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDatagram, StatsdLine, StatsdType, type StatsdHandler } from '../../../leaf/statsd/datagram.ts';
import { toPromMetricName, tagsToLabels } from '../../../leaf/statsd/name-mapping.ts';
import { labelsToRecord } from '../../../shared/labels.ts';

interface Got {
  name: string;
  type: StatsdType;
  values: number[];
  deltas: number[];
  member: string;
  rate: number;
  tags: string;
  tsMs: number;
}
function parse(p: string): { got: Got[]; bad: string[] } {
  const got: Got[] = [];
  const bad: string[] = [];
  const h: StatsdHandler = {
    metric: (l) =>
      got.push({
        name: l.name,
        type: l.type,
        values: Array.from(l.values.subarray(0, l.valueCount)),
        deltas: Array.from(l.deltas.subarray(0, l.valueCount)),
        member: l.setMember,
        rate: l.sampleRate,
        tags: l.tags,
        tsMs: l.tsMs,
      }),
    invalid: (r) => bad.push(r),
  };
  parseDatagram(p, new StatsdLine(), h);
  return { got, bad };
}

test('types, sample rates, tags, multi-value lines and several lines per packet', () => {
  const { got, bad } = parse(
    'page.views:1|c\napi.latency:320|ms|@0.1|#env:prod,region:us\ngas:+4|g\ngas:-2|g\ngas:7|g\n' +
      'users.uniques:alice|s\nsize:1:2:3|h|#a:b\nreq:2.5|d|T1656581400|c:abc123\nx:1|c|#a:b|#c:d\r\n',
  );
  assert.deepEqual(bad, []);
  assert.equal(got.length, 9);
  assert.deepEqual(got[0], {
    name: 'page.views',
    type: StatsdType.Counter,
    values: [1],
    deltas: [0],
    member: got[0]!.member,
    rate: 1,
    tags: '',
    tsMs: NaN,
  });
  assert.equal(got[1]!.type, StatsdType.Timer);
  assert.equal(got[1]!.rate, 0.1);
  assert.equal(got[1]!.tags, 'env:prod,region:us');
  assert.deepEqual([got[2]!.values, got[2]!.deltas], [[4], [1]]);
  assert.deepEqual([got[3]!.values, got[3]!.deltas], [[-2], [1]]);
  assert.deepEqual([got[4]!.values, got[4]!.deltas], [[7], [0]]);
  assert.equal(got[5]!.type, StatsdType.Set);
  assert.equal(got[5]!.member, 'alice');
  assert.deepEqual(got[6]!.values, [1, 2, 3]);
  assert.equal(got[7]!.type, StatsdType.Distribution);
  assert.equal(got[7]!.tsMs, 1656581400000);
  assert.equal(got[8]!.tags, 'a:b,c:d');
});

test('invalid lines are reported with a reason and do not stop the packet', () => {
  const { got, bad } = parse(
    'nocolon\n:1|c\nx:1\nx:abc|c\nx:1|q\nx:1|c|@0\nx:1|c|@2\nx:|s\n_e{5,4}:title|text\n_sc|svc|0\nx:Infinity|c\nok:1|c',
  );
  assert.deepEqual(bad, [
    'invalid_line',
    'invalid_line',
    'invalid_line',
    'invalid_value',
    'invalid_type',
    'invalid_sample_rate',
    'invalid_sample_rate',
    'invalid_value',
    'unsupported',
    'unsupported',
    'invalid_value',
  ]);
  assert.equal(got.length, 1);
  assert.equal(got[0]!.name, 'ok');
});

test('name mapping: invalid chars to _, tags to sorted labels', () => {
  assert.equal(toPromMetricName('api.latency'), 'api_latency');
  assert.equal(toPromMetricName('a-b/c d:e'), 'a_b_c_d:e');
  assert.equal(toPromMetricName('5xx'), '_5xx');
  assert.deepEqual(labelsToRecord(tagsToLabels('m', 'env:prod,host.name:a:b,bare,__x:1,,9k:v,empty:')), {
    __name__: 'm',
    env: 'prod',
    host_name: 'a:b',
    bare: 'true',
    tag__x: '1',
    _9k: 'v',
  });
  const ls = tagsToLabels('m', 'z:1,a:2');
  assert.deepEqual(
    ls.map((l) => l.name),
    ['__name__', 'a', 'z'],
  );
});

test('fuzz: random and mutated packets never throw', () => {
  let s = 99;
  const r = (): number => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
  const alphabet = 'ab.:|@#,\n+-0123456789cgmshdT_e{}';
  const valid = 'a.b:1:2|ms|@0.5|#x:y,z\ng:-3|g\ns:m|s\n';
  const line = new StatsdLine();
  let n = 0;
  const h: StatsdHandler = {
    metric: (l) => {
      for (let i = 0; i < l.valueCount; i++)
        if (l.type !== StatsdType.Set) assert.ok(Number.isFinite(l.values[i]!));
      assert.ok(l.sampleRate > 0 && l.sampleRate <= 1);
      n++;
    },
    invalid: () => n++,
  };
  for (let i = 0; i < 5000; i++) {
    let p: string;
    if (i % 2) {
      const a = valid.split('');
      for (let k = 0; k < 3; k++)
        a[Math.floor(r() * a.length)] = alphabet[Math.floor(r() * alphabet.length)]!;
      p = a.join('');
    } else {
      p = '';
      const len = Math.floor(r() * 60);
      for (let j = 0; j < len; j++)
        p +=
          r() < 0.8
            ? alphabet[Math.floor(r() * alphabet.length)]
            : String.fromCharCode(Math.floor(r() * 0xffff));
    }
    parseDatagram(p, line, h);
  }
  assert.ok(n > 0);
});
