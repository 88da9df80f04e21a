// Name normalisation against the OpenTelemetry collector's own table
// (pkg/translator/prometheus/normalize_name_test.go, NormalizeName gate on).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cleanUpString,
  normalizeLabelName,
  normalizeMetricName,
  type OtlpNameKind,
} from '../../../shared/otlp/index.ts';

const G: OtlpNameKind = 'gauge',
  C: OtlpNameKind = 'monotonic_sum';

const CASES: [name: string, unit: string, kind: OtlpNameKind, want: string][] = [
  ['system.filesystem.usage', 'By', G, 'system_filesystem_usage_bytes'],
  ['system.io', 'By', C, 'system_io_bytes_total'],
  ['network_transmitted_bytes_total', 'By', C, 'network_transmitted_bytes_total'],
  ['\t system.filesystem.usage       ', '  By\t', G, 'system_filesystem_usage_bytes'],
  ['system.network.dropped', '{packets}', G, 'system_network_dropped'],
  ['system.network.dropped', '{packets}', C, 'system_network_dropped_total'],
  ['system.network.dropped', 'packets', G, 'system_network_dropped_packets'],
  ['system.network.packets.dropped', 'packets', G, 'system_network_packets_dropped'],
  ['system.network.packets', 'packets', G, 'system_network_packets'],
  ['system.network.dropped', 'packets', C, 'system_network_dropped_packets_total'],
  ['system.network.packets.dropped', 'packets', C, 'system_network_packets_dropped_total'],
  ['system.network.packets', 'packets', C, 'system_network_packets_total'],
  ['hw.gpu.memory.utilization', '1', G, 'hw_gpu_memory_utilization_ratio'],
  ['hw.fan.speed_ratio', '1', G, 'hw_fan_speed_ratio'],
  ['objects', '1', C, 'objects_total'],
  ['hw.cpu.speed_limit', 'Hz', G, 'hw_cpu_speed_limit_hertz'],
  ['broken.metric.speed', 'km/h', G, 'broken_metric_speed_km_per_hour'],
  ['astro.light.speed_limit', 'm/s', G, 'astro_light_speed_limit_meters_per_second'],
  ['broken.metric.success_ratio', '%', G, 'broken_metric_success_ratio_percent'],
  ['broken.metric.success_percent', '%', G, 'broken_metric_success_percent'],
  ['crypto.bitcoin.value', '$', G, 'crypto_bitcoin_value_dollars'],
  ['crypto.bitcoin.value.dollars', '$', G, 'crypto_bitcoin_value_dollars'],
  ['test.metric.no_unit', '', G, 'test_metric_no_unit'],
  ['test.metric.spaces', '   \t  ', G, 'test_metric_spaces'],
  ['unsupported.metric.temperature', '°F', G, 'unsupported_metric_temperature_F'],
  ['unsupported.metric.weird', '+=.:,!* & #', G, 'unsupported_metric_weird'],
  ['unsupported.metric.redundant', '__test $/°C', G, 'unsupported_metric_redundant_test_per_C'],
  [
    'active_directory.ds.replication.network.io',
    'By',
    C,
    'active_directory_ds_replication_network_io_bytes_total',
  ],
  [
    'active_directory.ds.replication.sync.object.pending',
    '{objects}',
    C,
    'active_directory_ds_replication_sync_object_pending_total',
  ],
  [
    'active_directory.ds.replication.object.rate',
    '{objects}/s',
    G,
    'active_directory_ds_replication_object_rate_per_second',
  ],
  ['active_directory.ds.name_cache.hit_rate', '%', G, 'active_directory_ds_name_cache_hit_rate_percent'],
  [
    'active_directory.ds.ldap.bind.last_successful.time',
    'ms',
    G,
    'active_directory_ds_ldap_bind_last_successful_time_milliseconds',
  ],
  ['apache.current_connections', 'connections', G, 'apache_current_connections'],
  ['apache.workers', 'connections', G, 'apache_workers_connections'],
  ['apache.requests', '1', C, 'apache_requests_total'],
  ['bigip.virtual_server.request.count', '{requests}', C, 'bigip_virtual_server_request_count_total'],
  ['system.cpu.utilization', '1', G, 'system_cpu_utilization_ratio'],
  ['system.disk.operation_time', 's', C, 'system_disk_operation_time_seconds_total'],
  ['system.cpu.load_average.15m', '1', G, 'system_cpu_load_average_15m_ratio'],
  ['memcached.operation_hit_ratio', '%', G, 'memcached_operation_hit_ratio_percent'],
  ['mongodbatlas.process.asserts', '{assertions}/s', G, 'mongodbatlas_process_asserts_per_second'],
  [
    'mongodbatlas.process.journaling.data_files',
    'MiBy',
    G,
    'mongodbatlas_process_journaling_data_files_mebibytes',
  ],
  ['mongodbatlas.process.network.io', 'By/s', G, 'mongodbatlas_process_network_io_bytes_per_second'],
  ['mongodbatlas.process.oplog.rate', 'GiBy/h', G, 'mongodbatlas_process_oplog_rate_gibibytes_per_hour'],
  [
    'mongodbatlas.process.db.query_targeting.scanned_per_returned',
    '{scanned}/{returned}',
    G,
    'mongodbatlas_process_db_query_targeting_scanned_per_returned',
  ],
  ['nginx.requests', 'requests', G, 'nginx_requests'],
  ['nginx.connections_accepted', 'connections', G, 'nginx_connections_accepted'],
  ['nsxt.node.memory.usage', 'KBy', G, 'nsxt_node_memory_usage_kilobytes'],
  ['redis.latest_fork', 'us', G, 'redis_latest_fork_microseconds'],
  // BuildCompliantName with normalisation
  ['3.14 digits', '', G, '_3_14_digits'],
  ['envoy__rule_engine_zlib_buf_error', '', G, 'envoy_rule_engine_zlib_buf_error'],
  [':foo::bar', '', G, 'foo_bar'],
  [':foo::bar', '', C, 'foo_bar_total'],
  // the examples; units on histograms and non-monotonic sums, no type suffix
  ['orders.placed', '', C, 'orders_placed_total'],
  ['http.server.duration', 'ms', 'histogram', 'http_server_duration_milliseconds'],
  ['queue.depth', '{items}', 'sum', 'queue_depth'],
  ['rpc.latency', 's', 'summary', 'rpc_latency_seconds'],
  ['requests', '1', 'sum', 'requests'],
];

test('metric names match the collector translator table', () => {
  for (const [name, unit, kind, want] of CASES)
    assert.equal(normalizeMetricName(name, unit, kind), want, `${name} [${unit}] ${kind}`);
});

test('namespace is prefixed', () => {
  assert.equal(normalizeMetricName('test', '', G, 'space'), 'space_test');
  assert.equal(normalizeMetricName('#test', '', G, 'space'), 'space_test');
  assert.equal(normalizeMetricName('network.io', 'By', C, 'system'), 'system_network_io_bytes_total');
});

test('cleanUpString as the collector', () => {
  assert.equal(cleanUpString(''), '');
  assert.equal(cleanUpString('a b'), 'a_b');
  assert.equal(cleanUpString('hello, world!'), 'hello_world');
  assert.equal(cleanUpString('hello you 2'), 'hello_you_2');
  assert.equal(cleanUpString('$1000'), '1000');
  assert.equal(cleanUpString('*+$^=)'), '');
});

test('label names: invalid runes → _, leading digit → key_, single leading _ → key_', () => {
  assert.equal(normalizeLabelName('service.version'), 'service_version');
  assert.equal(normalizeLabelName('http.status-code'), 'http_status_code');
  assert.equal(normalizeLabelName('1st.try'), 'key_1st_try');
  assert.equal(normalizeLabelName('_private'), 'key_private');
  assert.equal(normalizeLabelName('__reserved'), '__reserved');
  assert.equal(normalizeLabelName('ok_name'), 'ok_name');
  assert.equal(normalizeLabelName(''), '');
});
