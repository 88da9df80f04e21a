// `canopy root`: the global root. Serves the Prometheus HTTP API (Grafana, promtool) and
// answers by fanning plan fragments out to the zones over NATS and merging their answers.
import { componentLogger, rootLogger, type Logger } from '../shared/log.ts';
import { HttpServer, json } from '../shared/http/index.ts';
import { mountPromApi } from '../shared/api/index.ts';
import { connectNats, type Bus } from '../shared/bus/index.ts';
import { buildInfo } from '../shared/version.ts';
import { parseRootConfig, type RootConfig } from './config.ts';
import { Fanout } from './fanout.ts';
import { RootQuery } from './query.ts';
import { ZoneDirectory } from './zones.ts';
import { Registry, collectDefaultMetrics, Gauge } from 'prom-client';

export interface RootHandle {
  httpUrl: string;
  stop(): Promise<void>;
}

export async function startRoot(cfg: RootConfig, opts: { bus?: Bus; logger?: Logger } = {}): Promise<RootHandle> {
  const log = opts.logger ?? componentLogger('root');
  const bus = opts.bus ?? (await connectNats({ url: cfg.natsUrl, name: 'canopy-root', logger: log.child({ component: 'nats' }) }));
  const zones = new ZoneDirectory(cfg.zoneDeadAfterMs, log.child({ component: 'zones' }), cfg.topology);
  zones.start(bus);
  const fanout = new Fanout(bus, zones, log.child({ component: 'fanout' }));
  const query = new RootQuery(fanout, cfg.zoneTimeoutMs);

  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'canopy_root_zones_alive',
    help: 'Zones with a recent heartbeat.',
    registers: [registry],
    collect() {
      this.set(zones.list().filter((z) => zones.isAlive(z)).length);
    },
  });

  const http = new HttpServer({ logger: log });
  mountPromApi(http, query, { defaultTimeoutMs: cfg.queryTimeoutMs, buildInfo: buildInfo('root') });
  http.get('/healthz', () => ({ status: 200, body: 'ok\n' }));
  http.get('/readyz', () => ({ status: 200, body: 'ready\n' }));
  http.get('/-/healthy', () => ({ status: 200, body: 'Healthy.\n' }));
  http.get('/-/ready', () => ({ status: 200, body: 'Ready.\n' }));
  http.get('/metrics', async () => ({ status: 200, headers: { 'content-type': registry.contentType }, body: await registry.metrics() }));
  http.get('/api/v1/status/zones', () =>
    json(200, {
      status: 'success',
      data: zones.list().map((z) => ({
        zone: z.zone,
        region: z.region,
        alive: zones.isAlive(z),
        lastHeartbeat: z.lastHeartbeatMs ? new Date(z.lastHeartbeatMs).toISOString() : null,
        seriesCount: z.seriesCount,
        http: z.httpUrl,
        version: z.version,
        externalLabels: z.externalLabels,
        expected: z.expected,
      })),
    }),
  );
  const { url } = await http.listen(cfg.listen);
  log.info({ http: url, nats: cfg.natsUrl || bus.kind, expectedZones: cfg.topology?.zones.length ?? 0 }, 'root started');
  return {
    httpUrl: url,
    async stop() {
      zones.stop();
      await http.close();
      if (!opts.bus) await bus.close();
      log.info('root stopped');
    },
  };
}

export async function main(argv: string[]): Promise<number> {
  const cfg: RootConfig | 'help' = parseRootConfig(argv);
  if (cfg === 'help') return -1;
  rootLogger({ level: cfg.logLevel });
  const r = await startRoot(cfg);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await r.stop();
  return 0;
}
