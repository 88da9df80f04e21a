import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SERIES_LIMIT, parseLeafConfig, type LeafConfig } from '../../leaf/config.ts';

function withFile(yaml: string, fn: (file: string, dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'canopy-leafcfg-'));
  try {
    const f = join(dir, 'leaf.yaml');
    writeFileSync(f, yaml);
    fn(f, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('flags only: --scrape URLs become job "scrape" grouped by path, defaults applied', () => {
  const c = parseLeafConfig(
    [
      '--zone',
      '127.0.0.1:1',
      '--zone',
      '127.0.0.1:2',
      '--scrape',
      'http://a:9100/metrics',
      '--scrape',
      'b:9100',
      '--scrape',
      'http://c:1/custom',
      '--scrape-interval',
      '5s',
      '--buffer-max-bytes',
      '1MB',
      '--flush-interval',
      '2s',
    ],
    'host1',
  ) as LeafConfig;
  assert.deepEqual(c.zones, ['127.0.0.1:1', '127.0.0.1:2']);
  assert.equal(c.name, 'host1');
  assert.equal(c.dataDir, 'data/leaf');
  assert.equal(c.bufferMaxBytes, 1e6);
  assert.equal(c.flushIntervalMs, 2000);
  assert.equal(c.jobs.length, 2);
  assert.equal(c.jobs[0]!.config.jobName, 'scrape');
  assert.equal(c.jobs[0]!.config.metricsPath, '/metrics');
  assert.equal(c.jobs[0]!.config.intervalMs, 5000);
  assert.deepEqual(c.jobs[0]!.staticGroups[0]!.targets, ['a:9100', 'b:9100']);
  assert.equal(c.jobs[1]!.config.metricsPath, '/custom');
  assert.equal(c.cardinality.hardLimit, 50_000);
  assert.equal(c.cardinality.seriesLimit, DEFAULT_SERIES_LIMIT);
  assert.equal(
    (parseLeafConfig(['--zone', 'a:1', '--series-limit', '0'], 'h') as LeafConfig).cardinality.seriesLimit,
    0,
  );
});

test('YAML: Prometheus scrape_configs shape, file_sd relative to the file, stream aggregation, limits', () => {
  withFile(
    `global:
  scrape_interval: 30s
  external_labels: { dc: x }
zones: ['127.0.0.1:7000']
data_dir: ''
statsd_listen: 127.0.0.1:8125
cardinality: { soft_limit: 10, hard_limit: 20, series_limit: 500 }
scrape_configs:
  - job_name: node
    honor_labels: true
    static_configs:
      - targets: ['127.0.0.1:9100']
        labels: { env: prod }
    file_sd_configs:
      - files: ['sd/*.json']
    relabel_configs:
      - source_labels: [env]
        target_label: stage
    metric_relabel_configs:
      - source_labels: [__name__]
        regex: go_.*
        action: drop
stream_aggregation:
  - match: 'http_requests_total'
    without: [pod]
    outputs: [sum]
`,
    (file, dir) => {
      const c = parseLeafConfig(['--config', file], 'h') as LeafConfig;
      assert.equal(c.dataDir, '');
      assert.equal(c.statsdListen, '127.0.0.1:8125');
      assert.deepEqual(c.externalLabels, { dc: 'x' });
      const j = c.jobs[0]!;
      assert.equal(j.config.intervalMs, 30_000);
      assert.equal(j.config.honorLabels, true);
      assert.equal(j.config.relabelConfigs.length, 1);
      assert.equal(j.config.metricRelabelConfigs.length, 1);
      assert.deepEqual(j.staticGroups[0]!.labels, { env: 'prod' });
      assert.deepEqual(j.fileSd[0]!.files, [join(dir, 'sd/*.json')]);
      assert.equal(c.streamAggregation.length, 1);
      assert.deepEqual(c.cardinality, { softLimit: 10, hardLimit: 20, seriesLimit: 500, idleMs: 3_600_000 });
    },
  );
});

test('errors name the file and the key', () => {
  const cases: [string, RegExp][] = [
    [
      'zones: [a:1]\nscrape_configs:\n  - job_name: x\n    scrape_intervall: 1s\n',
      /leaf\.yaml: key scrape_configs\[0\]: unknown key "scrape_intervall"/,
    ],
    [
      'zones: [a:1]\nscrape_configs:\n  - job_name: x\n    static_configs: [{ targets: ["no-port"] }]\n',
      /leaf\.yaml: key scrape_configs\[0\]\.static_configs\[0\]\.targets\[0\]/,
    ],
    [
      'zones: [a:1]\nscrape_configs:\n  - job_name: x\n  - job_name: x\n',
      /leaf\.yaml: key "scrape_configs": expected unique job_name/,
    ],
    [
      'zones: [a:1]\ncardinality: { soft_limit: 30, hard_limit: 20 }\n',
      /leaf\.yaml: key "cardinality\.soft_limit"/,
    ],
    [
      'zones: [a:1]\nstream_aggregation: [{ match: "x", outputs: [median] }]\n',
      /leaf\.yaml: key stream_aggregation\[0\]\.outputs: unknown output/,
    ],
    ['zones: [a:1]\ncardinality: { series_limit: -1 }\n', /leaf\.yaml: key "cardinality\.series_limit"/],
    ['zones: [a:1]\nbogus: 1\n', /leaf\.yaml: key "bogus": unknown key/],
    ['zones: [a:1]\nbuffer_max_bytes: 100\n', /at least 4096 bytes/],
  ];
  for (const [yaml, re] of cases)
    withFile(yaml, (file) => assert.throws(() => parseLeafConfig(['--config', file], 'h'), re, yaml));
  assert.throws(() => parseLeafConfig([], 'h'), /no zone to send to/);
  assert.throws(
    () => parseLeafConfig(['--zone', 'a:1', '--scrape', 'ftp://x:1/'], 'h'),
    /flag --scrape: expected a URL/,
  );
  assert.throws(
    () => parseLeafConfig(['--zone', 'a:1', '--statsd-listen', 'nope'], 'h'),
    /flag --statsd-listen/,
  );
  assert.throws(
    () => parseLeafConfig(['--zone', 'a:1', '--series-limit', '1e3x'], 'h'),
    /flag --series-limit: expected an integer/,
  );
});

test('otlp_listen: off by default, from the file or --otlp-listen, validated', () => {
  assert.equal((parseLeafConfig(['--zone', 'a:1'], 'h') as LeafConfig).otlpListen, undefined);
  withFile('zones: [a:1]\notlp_listen: 127.0.0.1:4318\n', (file) =>
    assert.equal((parseLeafConfig(['--config', file], 'h') as LeafConfig).otlpListen, '127.0.0.1:4318'),
  );
  assert.equal(
    (parseLeafConfig(['--zone', 'a:1', '--otlp-listen', '0.0.0.0:4318'], 'h') as LeafConfig).otlpListen,
    '0.0.0.0:4318',
  );
  assert.throws(() => parseLeafConfig(['--zone', 'a:1', '--otlp-listen', 'nope'], 'h'), /flag --otlp-listen/);
  withFile('zones: [a:1]\notlp_listen: 4318\n', (file) =>
    assert.throws(() => parseLeafConfig(['--config', file], 'h'), /otlp_listen/),
  );
});

test('otlp_grpc_listen: off by default, from the file or --otlp-grpc-listen, validated', () => {
  assert.equal((parseLeafConfig(['--zone', 'a:1'], 'h') as LeafConfig).otlpGrpcListen, undefined);
  withFile('zones: [a:1]\notlp_grpc_listen: 127.0.0.1:4317\n', (file) =>
    assert.equal((parseLeafConfig(['--config', file], 'h') as LeafConfig).otlpGrpcListen, '127.0.0.1:4317'),
  );
  assert.equal(
    (parseLeafConfig(['--zone', 'a:1', '--otlp-grpc-listen', '0.0.0.0:4317'], 'h') as LeafConfig)
      .otlpGrpcListen,
    '0.0.0.0:4317',
  );
  assert.throws(
    () => parseLeafConfig(['--zone', 'a:1', '--otlp-grpc-listen', 'nope'], 'h'),
    /flag --otlp-grpc-listen/,
  );
  withFile('zones: [a:1]\notlp_grpc_listen: 4317\n', (file) =>
    assert.throws(() => parseLeafConfig(['--config', file], 'h'), /otlp_grpc_listen/),
  );
});
