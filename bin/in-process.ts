// `canopy in-process`: the root and every zone of a topology in one process, sharing the
// in-process bus. Used by `canopy up` when no nats-server is installed; a CLI concern, since
// it is the one place allowed to start more than one tier.
import { MemoryBus } from '../shared/bus/index.ts';
import { DEFAULT_QUERY_LIMITS, parseFlags, type FlagSpec } from '../shared/config/index.ts';
import { CanopyError } from '../shared/errors.ts';
import { loadTopology } from '../shared/topology.ts';
import { startRoot } from '../global/main.ts';
import { startZone } from '../zone/main.ts';
import { parseZoneConfig, type ZoneConfig } from '../zone/config.ts';
import { untilStopSignal } from '../shared/signals.ts';

export const IN_PROCESS_FLAGS: Record<string, FlagSpec> = {
  topology: { type: 'string', arg: 'FILE', help: 'topology file' },
  plan: {
    type: 'string',
    arg: 'JSON',
    help: 'resolved addresses: {"root":"h:p","zones":[{name,region,http,grpc,dataDir,ruleFiles}]}',
  },
  help: { type: 'bool', help: 'show this help' },
};

export async function main(argv: string[]): Promise<number> {
  const f = parseFlags(argv, IN_PROCESS_FLAGS, 'in-process');
  if (f.help) return -1;
  if (!f.topology || !f.plan)
    throw new CanopyError('flag_invalid', 'canopy in-process: --topology and --plan are required');
  const topo = loadTopology(f.topology as string);
  const plan = JSON.parse(f.plan as string) as {
    root: string;
    objectStoreConfig?: string;
    zones: {
      name: string;
      region: string;
      http: string;
      grpc: string;
      dataDir: string;
      ruleFiles?: string[];
    }[];
  };
  const bus = new MemoryBus();
  const zones = [];
  for (const z of plan.zones) {
    zones.push(
      await startZone(
        parseZoneConfig([
          '--zone',
          z.name,
          '--region',
          z.region,
          '--listen',
          z.http,
          '--grpc-listen',
          z.grpc,
          '--data-dir',
          z.dataDir,
          ...(z.ruleFiles ?? []).flatMap((r) => ['--rule-file', r]),
          ...(plan.objectStoreConfig ? ['--object-store-config', plan.objectStoreConfig] : []),
        ]) as ZoneConfig,
        { bus },
      ),
    );
  }
  const root = await startRoot(
    {
      listen: plan.root,
      natsUrl: '',
      topology: topo,
      zoneTimeoutMs: 10_000,
      queryTimeoutMs: DEFAULT_QUERY_LIMITS.timeoutMs,
      queryLimits: DEFAULT_QUERY_LIMITS,
      zoneDeadAfterMs: 10_000,
      partialResponse: true,
      logLevel: 'info',
      rulesStoreZone: topo.root.rulesStoreZone,
    },
    { bus },
  );
  await untilStopSignal();
  await root.stop();
  for (const z of zones) await z.stop();
  return 0;
}
