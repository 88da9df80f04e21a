import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExposition, parseExpositionFloat, SCRAPE_ACCEPT_HEADER } from '../../shared/exposition.ts';
import { formatLabels, labelsToRecord, type Labels } from '../../shared/labels.ts';

const TEXT = 'text/plain; version=0.0.4';
const OM = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

function flat(r: ReturnType<typeof parseExposition>): string[] {
  return r.samples.map((s) => `${formatLabels(s.labels)} ${s.value} ${s.tMs}`);
}

test('text format 0.0.4: help, type, labels, escaping, timestamps, special values', () => {
  const body = [
    '# HELP http_requests_total The total number\\n of \\\\ requests.',
    '# TYPE http_requests_total counter',
    'http_requests_total{method="post",code="200"} 1027 1395066363000',
    'http_requests_total{ method = "post" , code="400" , } 3 1395066363000',
    '',
    '# A normal comment',
    'msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9',
    'metric_without_timestamp_and_labels 12.47',
    'something_weird{problem="division by zero"} +Inf -3982045',
    'nan_metric NaN',
    'neg_inf -Inf',
    'empty_label{a="",b="x"} 1',
    '# TYPE rpc_duration_seconds summary',
    'rpc_duration_seconds{quantile="0.99"} 76656',
    'rpc_duration_seconds_sum 1.7560473e+07',
    'rpc_duration_seconds_count 2693',
    '# TYPE h histogram',
    'h_bucket{le="0.05"} 24054',
    'h_bucket{le="+Inf"} 144320',
    'h_sum 53423',
    'h_count 144320',
  ].join('\n');
  const r = parseExposition(body, TEXT, 5000);
  assert.deepEqual(r.errors, []);
  const s = flat(r);
  assert.equal(s[0], 'http_requests_total{code="200", method="post"} 1027 1395066363000');
  assert.equal(s[1], 'http_requests_total{code="400", method="post"} 3 1395066363000');
  assert.deepEqual(labelsToRecord(r.samples[2]!.labels), {
    __name__: 'msdos_file_access_time_seconds',
    path: 'C:\\DIR\\FILE.TXT',
    error: 'Cannot find file:\n"FILE.TXT"',
  });
  assert.equal(s[3], 'metric_without_timestamp_and_labels 12.47 5000');
  assert.equal(r.samples[4]!.value, Infinity);
  assert.equal(r.samples[4]!.tMs, -3982045);
  assert.ok(Number.isNaN(r.samples[5]!.value));
  assert.equal(r.samples[6]!.value, -Infinity);
  assert.equal(s[7], 'empty_label{b="x"} 1 5000');
  assert.equal(r.samples.length, 15);
  // labels sorted with __name__ in place
  for (const x of r.samples)
    for (let i = 1; i < x.labels.length; i++) assert.ok(x.labels[i - 1]!.name < x.labels[i]!.name);
  assert.deepEqual(r.metadata.get('http_requests_total'), {
    type: 'counter',
    help: 'The total number\n of \\ requests.',
    unit: '',
  });
  assert.equal(r.metadata.get('rpc_duration_seconds')!.type, 'summary');
  assert.equal(r.metadata.get('h')!.type, 'histogram');
});

test('OpenMetrics: _total, _created skipped, seconds timestamps, UNIT, exemplars, EOF', () => {
  const body = [
    '# TYPE acme_http_router_request_seconds summary',
    '# UNIT acme_http_router_request_seconds seconds',
    '# HELP acme_http_router_request_seconds Latency \\"quoted\\".',
    'acme_http_router_request_seconds_sum{path="/api/v1",method="GET"} 9036.32',
    'acme_http_router_request_seconds_count{path="/api/v1",method="GET"} 807283.0',
    'acme_http_router_request_seconds_created{path="/api/v1",method="GET"} 1605281325.0',
    '# TYPE foo counter',
    'foo_total 17.0 1520879607.789 # {id="counter-test"} 5',
    'foo_created 1520430000.123',
    '# TYPE hh histogram',
    'hh_bucket{le="1"} 3 # {trace_id="KOO5S4vxi0o"} 0.67',
    'hh_bucket{le="+Inf"} 5',
    'hh_count 5',
    'hh_sum 3.2',
    '# EOF',
  ].join('\n');
  const r = parseExposition(body + '\n', OM, 1000);
  assert.deepEqual(r.errors, []);
  assert.deepEqual(flat(r), [
    'acme_http_router_request_seconds_sum{method="GET", path="/api/v1"} 9036.32 1000',
    'acme_http_router_request_seconds_count{method="GET", path="/api/v1"} 807283 1000',
    'foo_total 17 1520879607789',
    'hh_bucket{le="1"} 3 1000',
    'hh_bucket{le="+Inf"} 5 1000',
    'hh_count 5 1000',
    'hh_sum 3.2 1000',
  ]);
  assert.deepEqual(r.metadata.get('acme_http_router_request_seconds'), {
    type: 'summary',
    help: 'Latency "quoted".',
    unit: 'seconds',
  });
  assert.equal(r.metadata.get('foo')!.type, 'counter');
});

test('OpenMetrics requires # EOF and nothing after it', () => {
  const r1 = parseExposition('a 1\n', OM, 0);
  assert.equal(r1.samples.length, 1);
  assert.match(r1.errors[0]!, /EOF/);
  const r2 = parseExposition('a 1\n# EOF\nb 2\n', OM, 0);
  assert.equal(r2.samples.length, 1);
  assert.match(r2.errors[0]!, /line 3: .*after "# EOF"/);
  const r3 = parseExposition('a 1\n\n# EOF\n', OM, 0);
  assert.match(r3.errors[0]!, /line 2: blank/);
});

test('syntax errors: line number, samples before the error kept, parsing stops (Prometheus policy)', () => {
  const cases: [string, RegExp][] = [
    ['ok 1\nbad{a="1" 2\nlater 3', /line 2: expected ',' or '}'/],
    ['ok 1\nbad{a=1} 2', /line 2: expected '"'/],
    ['ok 1\nbad 1x', /line 2: invalid value "1x"/],
    ['ok 1\nbad 1 12.5', /line 2: invalid timestamp/],
    ['ok 1\nbad{a="\\q"} 1', /line 2: invalid escape/],
    ['ok 1\nbad{a="1",a="2"} 1', /line 2: duplicate label name "a"/],
    ['ok 1\n9bad 1', /line 2: expected metric name/],
    ['ok 1\nbad', /line 2: expected a value/],
    ['ok 1\n# TYPE x flubber', /line 2: invalid metric type/],
    ['ok 1\nbad{a="1"', /line 2: expected ',' or '}'/],
    ['ok 1\nbad{a="1} 2', /line 2: unterminated/],
    ['ok 1\nbad{a="",a="2"} 1', /line 2: duplicate label name "a"/],
  ];
  for (const [body, re] of cases) {
    const r = parseExposition(body, TEXT, 0);
    assert.equal(r.errors.length, 1, body);
    assert.match(r.errors[0]!, re, body);
    assert.equal(r.samples.length, 1, body);
  }
});

test('float parsing follows Go ParseFloat forms', () => {
  assert.equal(parseExpositionFloat('1e3'), 1000);
  assert.equal(parseExpositionFloat('-.5'), -0.5);
  assert.equal(parseExpositionFloat('+Inf'), Infinity);
  assert.equal(parseExpositionFloat('inf'), Infinity);
  assert.ok(Number.isNaN(parseExpositionFloat('nan')!));
  for (const bad of ['', '0x10', '1_000', 'e5', '1e', '--1', ' 1'])
    assert.equal(parseExpositionFloat(bad), undefined, bad);
  assert.match(SCRAPE_ACCEPT_HEADER, /^application\/openmetrics-text;version=1\.0\.0/);
});

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

test('fuzz: random bytes and mutated valid payloads never throw', () => {
  const r = rng(1234);
  const valid =
    '# HELP m x\n# TYPE m counter\nm_total{a="b\\"c",d="e"} 12.5 1000 # {x="y"} 1\nm2 NaN\n# EOF\n';
  const alphabet = '{}",=#\\ \n\t\rab_:0123456789.eE+-InfNa';
  const cacheText = new Map<string, Labels>(),
    cacheOM = new Map<string, Labels>();
  parseExposition(valid, TEXT, 0, { seriesCache: cacheText });
  parseExposition(valid, OM, 0, { seriesCache: cacheOM });
  for (let i = 0; i < 4000; i++) {
    let s: string;
    if (i % 2 === 0) {
      const len = Math.floor(r() * 80);
      s = '';
      for (let j = 0; j < len; j++)
        s +=
          r() < 0.7
            ? alphabet[Math.floor(r() * alphabet.length)]
            : String.fromCharCode(Math.floor(r() * 0xffff));
    } else {
      const a = valid.split('');
      const muts = 1 + Math.floor(r() * 4);
      for (let k = 0; k < muts; k++) {
        const p = Math.floor(r() * a.length);
        const op = r();
        if (op < 0.33) a.splice(p, 1);
        else if (op < 0.66) a.splice(p, 0, alphabet[Math.floor(r() * alphabet.length)]!);
        else a[p] = alphabet[Math.floor(r() * alphabet.length)]!;
      }
      s = a.join('');
    }
    for (const ct of [TEXT, OM]) {
      const res = parseExposition(s, ct, 0);
      for (const x of res.samples) {
        assert.equal(typeof x.value, 'number');
        assert.ok(x.labels.every((l) => l.value !== ''));
      }
      // differential: the series cache never changes the result
      const cached = parseExposition(s, ct, 0, { seriesCache: ct === TEXT ? cacheText : cacheOM });
      assert.deepEqual(cached, res, JSON.stringify(s));
    }
  }
});

test('series cache: repeated scrapes reuse Labels objects and give identical results', () => {
  const cache = new Map<string, Labels>();
  const body = 'a{x="1",y="a long label value here"} 1\nb 2\nc {z="3"} 3\n';
  const r1 = parseExposition(body, TEXT, 10, { seriesCache: cache });
  const r2 = parseExposition(body.replace(' 1\n', ' 5\n'), TEXT, 20, { seriesCache: cache });
  assert.deepEqual(r1.errors, []);
  assert.equal(cache.size, 3);
  assert.equal(r2.samples[0]!.labels, r1.samples[0]!.labels);
  assert.equal(r2.samples[0]!.value, 5);
  assert.deepEqual(flat(r1), ['a{x="1", y="a long label value here"} 1 10', 'b 2 10', 'c{z="3"} 3 10']);
});
