// The topology file: the deployment's shape — NATS, the object store, the root, regions with
// their zones (addresses), and (for the local launcher) how many leaves each zone gets.
// Documented in topology/README.md. Parsed and validated once; errors name the file and key.
import { dirname, isAbsolute, join } from 'node:path';
import { ConfigReader, HOST_PORT_RE } from './config/reader.ts';

/** One replica of an HA zone (`replicas:`): its own process, data directory and addresses. */
export interface ReplicaSpec {
  name: string;
  http: string;
  httpScheme: 'http' | 'https';
  grpc: string;
}

export interface ZoneSpec {
  name: string;
  region: string;
  /** HOST:PORT; port 0 lets the launcher pick a free one. */
  http: string;
  /** How the zone's HTTP API is reached: `https` when its entry is written https://HOST:PORT (a zone with a TLS web config). */
  httpScheme: 'http' | 'https';
  grpc: string;
  leaves: number;
  /** Launcher only: Prometheus rule files the zone evaluates (--rule-file), relative to the topology file. */
  ruleFiles: string[];
  /**
   * HA replicas (`replicas: 2` names them a, b; or a list of {name, http, grpc}); empty for a
   * single-process zone. With replicas, `http`/`grpc` of the zone itself are unused.
   */
  replicas: ReplicaSpec[];
}

/** Replica names `replicas: N` gives: a, b, c… */
export const REPLICA_NAMES = ['a', 'b', 'c', 'd', 'e'];

export type ObjectStoreSpec =
  | { type: 'local'; dir: string }
  | { type: 's3'; bucket: string; endpoint?: string; region: string; prefix: string };

export interface Topology {
  file: string;
  /** 'auto': the launcher starts nats-server on a free loopback port. */
  natsUrl: string;
  objectStore: ObjectStoreSpec;
  /** rulesStoreZone: the zone that stores the root's recording-rule results (a zone of this topology). */
  root: { http: string; rulesStoreZone?: string };
  zones: ZoneSpec[];
  regions: string[];
  dataDir: string;
  demo: { exporter: boolean; statsd: boolean };
}

const NAME_RE = /^[a-z0-9][a-z0-9_-]*$/;
/** A zone's `http`: HOST:PORT (plain HTTP) or http:// / https:// HOST:PORT. */
const ZONE_HTTP_RE = new RegExp(`^(?:(https?)://)?(${HOST_PORT_RE.source.slice(1, -1)})$`);

export function parseTopology(r: ConfigReader): Topology {
  const nats = r.object('nats');
  const natsUrl = nats.string('url', 'auto');
  if (natsUrl !== 'auto') nats.url('url', undefined, ['nats:', 'tls:']);
  nats.done();
  const os = r.object('object_store');
  const type = os.string('type', 'local', { oneOf: ['local', 's3'] }) as 'local' | 's3';
  const objectStore: ObjectStoreSpec =
    type === 'local'
      ? { type: 'local', dir: os.string('dir', '.canopy/objects') }
      : {
          type: 's3',
          bucket: os.string('bucket'),
          endpoint: os.optionalString('endpoint'),
          region: os.string('region', 'us-east-1'),
          prefix: os.string('prefix', ''),
        };
  os.done();
  const root = r.object('root');
  const rootHttp = root.hostPort('http', '127.0.0.1:9090');
  const rulesStoreZone = root.optionalString('rules_store_zone');
  root.done();
  const zones: ZoneSpec[] = [];
  const regions: string[] = [];
  const regionList = r.list('regions');
  if (regionList.length === 0) r.fail('regions', 'a non-empty list of regions');
  const seen = new Set<string>();
  for (const reg of regionList) {
    const region = reg.string('name', undefined, {
      pattern: NAME_RE,
      what: 'a region name (lower-case letters, digits, - and _)',
    });
    regions.push(region);
    const zl = reg.list('zones');
    if (zl.length === 0) reg.fail('zones', 'a non-empty list of zones');
    for (const z of zl) {
      const name = z.string('name', undefined, {
        pattern: NAME_RE,
        what: 'a zone name (lower-case letters, digits, - and _)',
      });
      if (seen.has(name)) z.fail('name', 'a zone name unique in the topology', name);
      seen.add(name);
      const http = ZONE_HTTP_RE.exec(
        z.string('http', '127.0.0.1:0', {
          pattern: ZONE_HTTP_RE,
          what: 'an address HOST:PORT or https://HOST:PORT such as 127.0.0.1:9091',
        }),
      )!;
      zones.push({
        name,
        region,
        http: http[2]!,
        httpScheme: http[1] === 'https' ? 'https' : 'http',
        grpc: z.hostPort('grpc', '127.0.0.1:0'),
        leaves: z.number('leaves', 0, { min: 0, max: 100, integer: true }),
        ruleFiles: z.strings('rule_files').map((p) => (isAbsolute(p) ? p : join(dirname(r.file), p))),
        replicas: parseReplicas(z),
      });
      z.done();
    }
    reg.done();
  }
  if (rulesStoreZone !== undefined && !seen.has(rulesStoreZone))
    root.fail('rules_store_zone', `a zone of this topology (${[...seen].join(', ')})`, rulesStoreZone);
  const demo = r.object('demo');
  const demoSpec = { exporter: demo.bool('exporter', true), statsd: demo.bool('statsd', false) };
  demo.done();
  const dataDir = r.string('data_dir', '.canopy/data');
  r.done();
  return {
    file: r.file,
    natsUrl,
    objectStore,
    root: { http: rootHttp, ...(rulesStoreZone !== undefined ? { rulesStoreZone } : {}) },
    zones,
    regions,
    dataDir,
    demo: demoSpec,
  };
}

/** `replicas:` of a zone: a count (1–5; names a, b…, ports picked by the launcher) or a list. */
function parseReplicas(z: ConfigReader): ReplicaSpec[] {
  const raw = z.raw('replicas');
  if (raw === undefined || raw === 1) return [];
  if (typeof raw === 'number') {
    const n = z.number('replicas', 1, { min: 1, max: REPLICA_NAMES.length, integer: true });
    return REPLICA_NAMES.slice(0, n).map((name) => ({
      name,
      http: '127.0.0.1:0',
      httpScheme: 'http' as const,
      grpc: '127.0.0.1:0',
    }));
  }
  const out: ReplicaSpec[] = [];
  for (const rz of z.list('replicas')) {
    const name = rz.string('name', undefined, {
      pattern: NAME_RE,
      what: 'a replica name (lower-case letters, digits, - and _)',
    });
    if (out.some((x) => x.name === name)) rz.fail('name', 'a replica name unique in its zone', name);
    const http = ZONE_HTTP_RE.exec(
      rz.string('http', '127.0.0.1:0', {
        pattern: ZONE_HTTP_RE,
        what: 'an address HOST:PORT or https://HOST:PORT',
      }),
    )!;
    out.push({
      name,
      http: http[2]!,
      httpScheme: http[1] === 'https' ? 'https' : 'http',
      grpc: rz.hostPort('grpc', '127.0.0.1:0'),
    });
    rz.done();
  }
  return out;
}

export function loadTopology(file: string): Topology {
  return parseTopology(ConfigReader.fromFile(file));
}

export { HOST_PORT_RE };
