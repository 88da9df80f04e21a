// In-process test cluster: zones (MemoryStorage + LocalQuery + Responder + field hints) and a
// root (ZoneDirectory + HintsDirectory + Fanout + RootQuery) on one MemoryBus, plus a reference
// LocalQuery over the union of all zones' data (what one server holding everything answers).
import { tenantQueryable } from '../../zone/tenant-view.ts';
import { MemoryBus } from '../../shared/bus/memory.ts';
import { MemoryStorage } from '../../shared/memstore.ts';
import { Engine } from '../../shared/promql/index.ts';
import { withExternalLabels } from '../../shared/external-labels.ts';
import { silentLogger } from '../../shared/log.ts';
import { labelsFromRecord } from '../../shared/labels.ts';
import { LocalQuery } from '../../zone/local-query.ts';
import { MetadataStore } from '../../zone/metadata.ts';
import { newZoneMetrics } from '../../zone/metrics.ts';
import { Responder } from '../../zone/responder.ts';
import { ZoneHintsSource } from '../../zone/hints.ts';
import { ZoneDirectory } from '../../global/zones.ts';
import { HintsDirectory } from '../../global/hints.ts';
import { Fanout } from '../../global/fanout.ts';
import { RootQuery } from '../../global/query.ts';
import type { Distribution } from '../../shared/distribution.ts';
import type { Storage } from '../../shared/storage.ts';

export interface ZoneSpec {
  zone: string;
  region: string;
}

export interface TestSample {
  labels: Record<string, string>;
  t: number;
  v: number;
  /** A distribution sample instead of v. */
  d?: Distribution;
}

export interface Cluster {
  bus: MemoryBus;
  root: RootQuery;
  fanout: Fanout;
  zones: ZoneDirectory;
  ref: LocalQuery;
  responders: Map<string, Responder>;
  hintSources: Map<string, ZoneHintsSource>;
  /** Each zone's storage behind its field hints gate (what the zone's ingest writes to). */
  gated: Map<string, Storage>;
  stop(): void;
}

/** samples carry zone/region labels naming the zone that holds them. */
export async function startCluster(specs: ZoneSpec[], samples: TestSample[]): Promise<Cluster> {
  const bus = new MemoryBus();
  const log = silentLogger();
  const engine = new Engine();
  const refStore = new MemoryStorage();
  const refApp = refStore.appender();
  const responders = new Map<string, Responder>();
  const hintSources = new Map<string, ZoneHintsSource>();
  const gated = new Map<string, Storage>();
  const stores = new Map(specs.map((s) => [s.zone, new MemoryStorage()]));
  const apps = new Map([...stores].map(([z, st]) => [z, st.appender()]));
  for (const s of samples) {
    const ls = labelsFromRecord(s.labels);
    if (s.d) {
      refApp.appendDistribution(ls, s.t, s.d);
      apps.get(s.labels.zone!)!.appendDistribution(ls, s.t, s.d);
      continue;
    }
    refApp.append(ls, s.t, s.v);
    apps.get(s.labels.zone!)!.append(ls, s.t, s.v);
  }
  await refApp.commit();
  for (const a of apps.values()) await a.commit();
  const zones = new ZoneDirectory(60_000, log);
  zones.start(bus);
  const hints = new HintsDirectory(60_000, log);
  hints.start(bus);
  for (const spec of specs) {
    const store = stores.get(spec.zone)!;
    const ext = { zone: spec.zone, region: spec.region };
    const q = withExternalLabels(store, ext);
    const hs = new ZoneHintsSource({
      ...spec,
      externalLabels: ext,
      queryable: q,
      storage: store,
      seriesCount: () => store.seriesCount(),
      logger: log,
      intervalMs: 60_000,
      published: true,
    });
    await hs.init();
    const r = new Responder({
      bus,
      ...spec,
      externalLabels: ext,
      query: new LocalQuery(
        (t) => withExternalLabels(tenantQueryable(store, t), ext),
        engine,
        new MetadataStore(),
      ),
      logger: log,
      metrics: newZoneMetrics(() => store.seriesCount()),
      defaultTimeoutMs: 10_000,
      heartbeatIntervalMs: 60_000,
      seriesCount: () => store.seriesCount(),
      httpUrl: '',
      version: 'test',
      hints: hs,
    });
    r.start();
    hs.start(bus);
    responders.set(spec.zone, r);
    hintSources.set(spec.zone, hs);
    gated.set(spec.zone, hs.gate(store));
  }
  await new Promise((r) => setTimeout(r, 20));
  const fanout = new Fanout(bus, zones, log);
  const root = new RootQuery({ fanout, zoneTimeoutMs: 5_000, zones, hints });
  const ref = new LocalQuery((t) => tenantQueryable(refStore, t), engine, new MetadataStore());
  return {
    bus,
    root,
    fanout,
    zones,
    ref,
    responders,
    hintSources,
    gated,
    stop() {
      for (const r of responders.values()) r.stop();
      for (const h of hintSources.values()) h.stop();
      zones.stop();
      hints.stop();
    },
  };
}
