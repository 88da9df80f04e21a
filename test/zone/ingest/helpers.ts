// Test fixtures for ingest: remote-write bodies built with the generated protobufjs code and
// snappy, and handler options over a MemoryStorage with a fresh metrics registry.
import snappy from 'snappy';
import { Registry } from 'prom-client';
import { prometheus } from '../../../proto/prometheus/gen/prometheus.js';
import { MemoryStorage } from '../../../shared/memstore.ts';
import { Matcher } from '../../../shared/matchers.ts';
import { silentLogger } from '../../../shared/log.ts';
import type { Storage } from '../../../shared/storage.ts';
import {
  IngestMetrics,
  parseAdmissionLimits,
  Tenants,
  type IngestOptions,
} from '../../../zone/ingest/index.ts';

export const NOW_MS = 1_700_000_000_000;

export interface TS {
  labels: Record<string, string> | [string, string][];
  samples?: [number, number][]; // [tMs, value]
  histograms?: number;
  exemplars?: number;
}

export function writeRequestBytes(series: TS[], metadata = false): Uint8Array {
  const msg: prometheus.IWriteRequest = {
    timeseries: series.map((s) => ({
      labels: (Array.isArray(s.labels) ? s.labels : Object.entries(s.labels)).map(([name, value]) => ({
        name,
        value,
      })),
      samples: (s.samples ?? []).map(([t, v]) => ({ timestamp: t, value: v })),
      histograms: Array.from({ length: s.histograms ?? 0 }, (_, i) => ({
        countInt: 3,
        sum: 1.5,
        schema: 1,
        timestamp: NOW_MS + i,
      })),
      exemplars: Array.from({ length: s.exemplars ?? 0 }, () => ({
        labels: [{ name: 'trace_id', value: 'abc' }],
        value: 1,
        timestamp: NOW_MS,
      })),
    })),
    metadata: metadata
      ? [{ type: prometheus.MetricMetadata.MetricType.COUNTER, metricFamilyName: 'x', help: 'h', unit: '' }]
      : [],
  };
  return prometheus.WriteRequest.encode(msg).finish();
}

export function remoteWriteBody(series: TS[], metadata = false): Buffer {
  return snappy.compressSync(Buffer.from(writeRequestBytes(series, metadata)));
}

export const RW_HEADERS = {
  'content-type': 'application/x-protobuf',
  'content-encoding': 'snappy',
  'x-prometheus-remote-write-version': '0.1.0',
};

export function makeOpts(
  limits: unknown = {},
  storage: Storage = new MemoryStorage(),
): IngestOptions & { registry: Registry; storage: Storage } {
  const registry = new Registry();
  return {
    storage,
    tenants: new Tenants({ defaults: parseAdmissionLimits(limits), storage }),
    logger: silentLogger(),
    metrics: IngestMetrics.on(registry),
    now: () => NOW_MS,
    registry,
  };
}

export async function counterValue(
  registry: Registry,
  name: string,
  labels: Record<string, string>,
): Promise<number> {
  const m = (await registry.getMetricsAsJSON()).find((x) => x.name === name);
  const v = m?.values.find((x) => Object.entries(labels).every(([k, val]) => x.labels[k] === val));
  return v ? Number(v.value) : 0;
}

export async function dump(storage: Storage): Promise<string[]> {
  const q = await storage.querier(-Infinity, Infinity);
  const ss = q.select([new Matcher('=~', '__name__', '.+')], { startMs: -Infinity, endMs: Infinity });
  const out: string[] = [];
  while (ss.next()) {
    const s = ss.at();
    const c = s.cursor();
    const name = s.labels.map((l) => `${l.name}=${l.value}`).join(',');
    while (c.next()) out.push(`${name} ${c.atT()} ${c.atF()}`);
  }
  return out;
}
