// `canopy up`: the local launcher. Reads a topology file, starts nats-server (from PATH) on a
// free loopback port, then the root, the zones, a demo exporter per leaf and the leaves — each
// a child process running `canopy <component>` — waits until each is ready, prints the URLs
// and writes them to <state-dir>/endpoints.json, then prints a short summary (summary.ts).
// Child logs are forwarded one line per event with a process prefix, or as JSON lines with
// --log-format json (log-format.ts); Ctrl-C or SIGTERM stops every child (leaves first, NATS last).
//
// Without nats-server on PATH it says so and falls back to the in-process bus: the root and
// the zones then run together in one child (`canopy in-process`), sharing that bus.
//
// The root is given <state-dir>/topology.resolved.yaml: the topology with the ports chosen, so
// it knows each zone's HTTP address from the topology (it never takes one from a heartbeat).
// --secure (topology/secure.ts) adds TLS and credentials on every channel: nats-server with one
// user per zone and TLS, zones and root with NATS passwords, leaves with client certificates,
// and every HTTP server (zones, root, leaves) behind one web config (TLS + basic auth user
// admin). The resolved topology then names the zones' HTTP addresses https://…, the root calls
// them with the HTTP client config (CA + admin), and the readiness checks use the same config.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFlags, type FlagSpec } from '../shared/config/index.ts';
import { CanopyError } from '../shared/errors.ts';
import { loadTopology, type Topology } from '../shared/topology.ts';
import { Child, type ChildSpec } from './process.ts';
import { freePort, resolveHostPort, waitForHttp, waitForPort } from './ports.ts';
import { findOnPath } from './path.ts';
import { LOG_FORMATS, childLineFormatter, type LogFormat } from './log-format.ts';
import { summaryLines } from './summary.ts';
import { yaml } from '../shared/config/index.ts';
import { redactUrl } from '../shared/bus/index.ts';
import { prepareSecure, type SecureTree } from './secure.ts';
import { HttpClient, parseHttpClientConfig } from '../shared/http/index.ts';
import { writeObjectStoreConfig } from './object-store.ts';

export const UP_FLAGS: Record<string, FlagSpec> = {
  topology: { type: 'string', arg: 'FILE', help: 'topology file (default topology/local.yaml)' },
  'state-dir': { type: 'string', arg: 'DIR', help: 'where endpoints.json and data go (default .canopy)' },
  'scrape-interval': {
    type: 'string',
    arg: 'DURATION',
    help: 'leaf scrape interval for the demo exporters (default 5s)',
  },
  'in-process': { type: 'bool', help: 'use the in-process bus even if nats-server is installed' },
  'log-format': {
    type: 'string',
    arg: 'FORMAT',
    help: 'pretty (default: "[zone eu-west-a] INFO message key=value") or json (the JSON lines, with a "proc" field)',
  },
  secure: {
    type: 'bool',
    help: 'TLS and credentials everywhere: certificates, NATS users and passwords generated into <state-dir>/secure',
  },
  help: { type: 'bool', help: 'show this help' },
};

export interface Endpoints {
  root: { http: string };
  nats: string;
  bus: 'nats' | 'memory';
  /**
   * With --secure: the CA that signed every certificate, the secure directory, the web config
   * every HTTP server runs with, its basic-auth user and password file, and an HTTP client
   * config (CA + user) for Prometheus, Grafana or promtool 2.43+ (--http.config.file).
   */
  secure?: {
    ca: string;
    dir: string;
    webConfig: string;
    user: string;
    passwordFile: string;
    httpClientConfig: string;
  };
  /** One entry per zone, or per replica of an HA zone (`replica` set). */
  zones: { name: string; replica?: string; region: string; http: string; grpc: string }[];
  leaves: { name: string; zone: string; http: string; exporter: string }[];
  /** The zones' bucket, e.g. "FILESYSTEM /…/.canopy/objects", and its objstore YAML file. */
  bucket: { description: string; configFile: string };
}

/** A pretty child line at INFO or below: "[proc] INFO …", or nats-server's "[INF]"/"[DBG]"/"[TRC]". */
const ROUTINE_LINE =
  /^(\x1b\[[0-9;]*m)?\[[^\]]+\](\x1b\[[0-9;]*m)? (?:(\x1b\[[0-9;]*m)?(?:INFO|DEBUG|TRACE)\b|.*\[(?:INF|DBG|TRC)\] )/;
const CANOPY_BIN = resolve(dirname(fileURLToPath(import.meta.url)), '../bin/canopy.js');

function canopy(name: string, args: string[]): ChildSpec {
  return { name, command: process.execPath, args: [CANOPY_BIN, ...args] };
}

let sayFormat: LogFormat = 'pretty';

/** The launcher's own messages: "[up] …", or a JSON line in the json log format. */
function say(line: string): void {
  process.stdout.write(
    sayFormat === 'json' ? `${JSON.stringify({ proc: 'up', msg: line })}\n` : `[up] ${line}\n`,
  );
}

export async function main(argv: string[]): Promise<number> {
  const f = parseFlags(argv, UP_FLAGS, 'up');
  if (f.help) return -1;
  const topoFile = (f.topology as string | undefined) ?? 'topology/local.yaml';
  const topo = loadTopology(topoFile);
  const stateDir = resolve((f['state-dir'] as string | undefined) ?? '.canopy');
  const scrapeInterval = (f['scrape-interval'] as string | undefined) ?? '5s';
  const logFormat = (f['log-format'] as string | undefined) ?? 'pretty';
  if (!(LOG_FORMATS as readonly string[]).includes(logFormat))
    throw new CanopyError(
      'flag_invalid',
      `canopy up: flag --log-format: expected ${LOG_FORMATS.join(' or ')}, got "${logFormat}"`,
    );
  sayFormat = logFormat as LogFormat;
  mkdirSync(stateDir, { recursive: true });
  const color = process.stdout.isTTY === true;
  const children: Child[] = [];
  let shuttingDown = false;
  // Pretty mode holds the children's routine start-up lines (INFO and below) in
  // <state-dir>/startup.log until the summary is printed, so the summary is what a newcomer
  // sees first; warnings and errors still print at once. JSON mode forwards everything.
  const startupLog = join(stateDir, 'startup.log');
  writeFileSync(startupLog, '');
  let held = sayFormat === 'pretty' ? 0 : -1;
  const out = (l: string): void => {
    if (held >= 0 && ROUTINE_LINE.test(l)) {
      held++;
      appendFileSync(startupLog, l + '\n');
      return;
    }
    process.stdout.write(l + '\n');
  };
  const release = (): void => {
    if (held > 0)
      out(`  (${held} start-up log lines at INFO are in ${startupLog}; from here on every line shows)`);
    held = -1;
  };
  const start = (spec: ChildSpec): Child => {
    const c = new Child(spec, out, childLineFormatter(spec.name, sayFormat, color));
    c.start((code, signal) => {
      if (!shuttingDown && !c.stopping) say(`${spec.name} exited unexpectedly (${signal ?? `code ${code}`})`);
    });
    children.push(c);
    return c;
  };
  const stopAll = async (): Promise<void> => {
    shuttingDown = true;
    // Leaves and exporters first (so they stop sending), then zones and root, NATS last.
    const order = (c: Child): number =>
      c.spec.name.startsWith('nats')
        ? 3
        : c.spec.name.startsWith('zone') || c.spec.name === 'root' || c.spec.name === 'core'
          ? 2
          : 1;
    for (const phase of [1, 2, 3])
      await Promise.all(children.filter((c) => order(c) === phase).map((c) => c.stop()));
  };
  const onSignal = (): void => {
    if (shuttingDown) return;
    say('stopping…');
    void stopAll().then(() => {
      say('stopped');
      process.exit(0);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    const ep = await launch(
      topo,
      stateDir,
      scrapeInterval,
      f['in-process'] === true,
      f.secure === true,
      start,
    );
    writeFileSync(join(stateDir, 'endpoints.json'), JSON.stringify(ep, null, 2) + '\n');
    for (const l of summaryLines(ep, {
      endpointsFile: join(stateDir, 'endpoints.json'),
      pid: process.pid,
      format: sayFormat,
    }))
      out(l);
    release();
  } catch (e) {
    say(`cannot start the local tree: ${(e as Error).message}`);
    if (held > 0) say(`its start-up log lines are in ${startupLog}`);
    await stopAll();
    return 1;
  }
  await new Promise<never>(() => {});
  return 0;
}

async function launch(
  topo: Topology,
  stateDir: string,
  scrapeInterval: string,
  forceInProcess: boolean,
  secureMode: boolean,
  start: (s: ChildSpec) => Child,
): Promise<Endpoints> {
  const dataDir = resolve(stateDir, '..', topo.dataDir);
  // --secure: every HTTP server speaks TLS and wants the admin user (readiness checks included)
  const scheme = secureMode ? 'https' : 'http';
  let client: HttpClient | undefined;
  const bucket = writeObjectStoreConfig(topo, stateDir);
  const ready = async (what: string, url: string): Promise<void> => {
    if (!(await waitForHttp(url, 60_000, client ? (u, init) => client!.fetch(u, init) : fetch)))
      throw new Error(`${what} did not become ready at ${url} within 60 s`);
  };

  // 1. Addresses: the topology's, with free ports for port 0 (or taken ones).
  const busy = (hp: string): void => say(`${hp} is in use; using a free port instead`);
  const rootHttp = await resolveHostPort(topo.root.http, busy);
  const zones: Endpoints['zones'] = [];
  for (const z of topo.zones) {
    if (z.replicas.length === 0)
      zones.push({
        name: z.name,
        region: z.region,
        http: await resolveHostPort(z.http, busy),
        grpc: await resolveHostPort(z.grpc, busy),
      });
    // HA zone: one process per replica (own ports and data directory); its leaves ship to all
    for (const r of z.replicas)
      zones.push({
        name: z.name,
        replica: r.name,
        region: z.region,
        http: await resolveHostPort(r.http, busy),
        grpc: await resolveHostPort(r.grpc, busy),
      });
  }
  const hasReplicas = zones.some((z) => z.replica);
  if (hasReplicas && forceInProcess)
    throw new Error('zone replicas (replicas:) run as processes over nats-server, not --in-process');
  const resolved = writeResolvedTopology(topo, stateDir, rootHttp, zones, scheme);
  const ruleFiles = (zone: string): string[] => topo.zones.find((z) => z.name === zone)?.ruleFiles ?? [];

  // 2. NATS (or the in-process bus).
  let natsUrl = topo.natsUrl;
  let bus: 'nats' | 'memory' = 'nats';
  let secure: SecureTree | undefined;
  if (secureMode && (natsUrl !== 'auto' || forceInProcess)) {
    throw new Error(
      '--secure starts its own nats-server: use a topology with nats.url: auto and no --in-process',
    );
  }
  if (natsUrl === 'auto') {
    const natsBin = forceInProcess ? undefined : findOnPath('nats-server');
    if (natsBin) {
      const port = await freePort();
      if (secureMode) {
        secure = prepareSecure(
          stateDir,
          port,
          zones.map((z) => ({
            name: z.name,
            replica: z.replica,
            grpcHost: z.grpc.slice(0, z.grpc.lastIndexOf(':')),
          })),
        );
        client = new HttpClient(parseHttpClientConfig(secure.httpClientConfigFile));
        start({ name: 'nats', command: natsBin, args: secure.natsArgs });
        natsUrl = secure.natsUrl;
      } else {
        start({
          name: 'nats',
          command: natsBin,
          args: ['-a', '127.0.0.1', '-p', String(port), '-n', 'canopy-local'],
        });
        natsUrl = `nats://127.0.0.1:${port}`;
      }
      if (!(await waitForPort('127.0.0.1', port, 15_000)))
        throw new Error(`nats-server did not listen on 127.0.0.1:${port} within 15 s`);
    } else if (secureMode) {
      throw new Error('--secure needs nats-server (Debian: apt-get install nats-server)');
    } else {
      bus = 'memory';
      natsUrl = 'in-process';
      if (!forceInProcess)
        say(
          'nats-server is not installed (Debian: apt-get install nats-server); falling back to the in-process bus: root and zones run in one process',
        );
    }
  }

  // 3. Root and zones.
  const web = secure ? secure.webArgs : [];
  if (bus === 'nats') {
    const natsArgs = secure ? secure.rootArgs : ['--nats', natsUrl];
    start(canopy('root', ['root', '--listen', rootHttp, ...natsArgs, '--topology', resolved, ...web]));
    for (const z of zones) {
      const zoneNats = secure ? secure.zoneArgs(z.name, z.replica) : ['--nats', natsUrl];
      const rules = ruleFiles(z.name).flatMap((f) => ['--rule-file', f]);
      const id = z.replica ? `${z.name}-${z.replica}` : z.name;
      // replicas forward acknowledged HTTP writes (remote_write, push) to each other
      const peers = zones
        .filter((x) => x.replica && x.name === z.name && x.replica !== z.replica)
        .flatMap((x) => ['--replica-peer', `${scheme}://${x.http}`]);
      const rep = z.replica ? ['--replica', z.replica, ...peers] : [];
      start(
        canopy(`zone ${id}`, [
          'zone',
          '--zone',
          z.name,
          ...rep,
          '--region',
          z.region,
          '--listen',
          z.http,
          '--grpc-listen',
          z.grpc,
          '--data-dir',
          join(dataDir, id),
          ...zoneNats,
          ...rules,
          ...web,
          '--object-store-config',
          bucket.configFile,
        ]),
      );
    }
  } else {
    const plan = JSON.stringify({
      root: rootHttp,
      objectStoreConfig: bucket.configFile,
      zones: zones.map((z) => ({ ...z, dataDir: join(dataDir, z.name), ruleFiles: ruleFiles(z.name) })),
    });
    start(canopy('core', ['in-process', '--topology', resolved, '--plan', plan]));
  }
  await Promise.all([
    ready('root', `${scheme}://${rootHttp}/readyz`),
    ...zones.map((z) =>
      ready(`zone ${z.name}${z.replica ? ` replica ${z.replica}` : ''}`, `${scheme}://${z.http}/readyz`),
    ),
  ]);

  // 3. Demo exporters and leaves.
  const leaves: Endpoints['leaves'] = [];
  for (const z of topo.zones) {
    // an HA zone's leaves ship every batch to every replica (one buffer cursor each)
    const grpcs = zones.filter((x) => x.name === z.name).map((x) => x.grpc);
    const zoneArgs = [
      ...grpcs.flatMap((g) => ['--zone', g]),
      ...(grpcs.length > 1 ? ['--ship-to', 'all'] : []),
    ];
    for (let i = 1; i <= z.leaves; i++) {
      const name = `${z.name}-host-${i}`;
      const exporter = `127.0.0.1:${await freePort()}`;
      const http = `127.0.0.1:${await freePort()}`;
      if (topo.demo.exporter)
        start(canopy(`exporter ${name}`, ['demo-exporter', '--listen', exporter, '--host', name]));
      start(
        canopy(`leaf ${name}`, [
          'leaf',
          '--name',
          name,
          ...zoneArgs,
          '--listen',
          http,
          '--data-dir',
          join(dataDir, name),
          ...(secure ? secure.leafArgs(name) : []),
          ...web,
          ...(topo.demo.exporter
            ? ['--scrape', `http://${exporter}/metrics`, '--scrape-interval', scrapeInterval]
            : []),
        ]),
      );
      leaves.push({ name, zone: z.name, http: `${scheme}://${http}`, exporter: `http://${exporter}` });
    }
  }
  await Promise.all(leaves.map((l) => ready(`leaf ${l.name}`, `${l.http}/healthz`)));
  return {
    root: { http: `${scheme}://${rootHttp}` },
    nats: redactUrl(natsUrl),
    bus,
    ...(secure
      ? {
          secure: {
            ca: secure.ca.certFile,
            dir: secure.dir,
            webConfig: secure.webConfigFile,
            user: secure.webUser.name,
            passwordFile: secure.webUser.passwordFile,
            httpClientConfig: secure.httpClientConfigFile,
          },
        }
      : {}),
    zones: zones.map((z) => ({ ...z, http: `${scheme}://${z.http}` })),
    leaves,
    bucket,
  };
}

/**
 * Writes the topology with the ports chosen, for the root (zone HTTP addresses: https://HOST:PORT
 * when the zones run with a TLS web config) and in-process.
 */
function writeResolvedTopology(
  topo: Topology,
  stateDir: string,
  rootHttp: string,
  zones: Endpoints['zones'],
  scheme: 'http' | 'https',
): string {
  const byName = new Map(zones.filter((z) => !z.replica).map((z) => [z.name, z]));
  const addr = (z: { http: string; grpc: string }): { http: string; grpc: string } => ({
    http: scheme === 'https' ? `https://${z.http}` : z.http,
    grpc: z.grpc,
  });
  const doc = {
    nats: { url: topo.natsUrl },
    object_store:
      topo.objectStore.type === 'local'
        ? { type: 'local', dir: topo.objectStore.dir }
        : { ...topo.objectStore },
    root: {
      http: rootHttp,
      ...(topo.root.rulesStoreZone ? { rules_store_zone: topo.root.rulesStoreZone } : {}),
    },
    regions: topo.regions.map((r) => ({
      name: r,
      zones: topo.zones
        .filter((z) => z.region === r)
        .map((z) => ({
          name: z.name,
          ...(z.replicas.length > 0
            ? {
                replicas: zones
                  .filter((x) => x.name === z.name && x.replica)
                  .map((x) => ({ name: x.replica, ...addr(x) })),
              }
            : addr(byName.get(z.name)!)),
          leaves: z.leaves,
          ...(z.ruleFiles.length ? { rule_files: z.ruleFiles } : {}),
        })),
    })),
    demo: topo.demo,
    data_dir: topo.dataDir,
  };
  const file = join(stateDir, 'topology.resolved.yaml');
  writeFileSync(
    file,
    `# ${topo.file} with the addresses \`canopy up\` chose (written at each start)\n${yaml().stringify(doc)}`,
  );
  return file;
}
