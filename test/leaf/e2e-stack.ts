// Shared scaffolding for the leaf acceptance tests (test/e2e/leaf-*.test.ts): nats-server, the
// root and one zone as real processes, a leaf spawned from a YAML config, and small readers for
// PromQL answers and the leaf's /metrics.
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import {
  freePort,
  getJson,
  spawnCanopy,
  startNats,
  tempDir,
  waitForHttp,
  type Proc,
} from '../e2e/harness.ts';
import { parseExposition } from '../../leaf/scrape/index.ts';

export interface Stack {
  dir: ReturnType<typeof tempDir>;
  rootUrl: string;
  zoneUrl: string;
  zoneGrpc: string;
  zone: Proc | undefined;
  procs: Proc[];
  startZone(): Promise<void>;
  stopZone(): Promise<void>;
  /** Spawns `canopy leaf --config <yaml>`; resolves when /healthz answers. */
  startLeaf(name: string, yaml: string, extraArgs?: string[]): Promise<{ proc: Proc; url: string }>;
  stop(): Promise<void>;
}

export async function startStack(prefix: string, opts: { root?: boolean } = {}): Promise<Stack> {
  const dir = tempDir(prefix);
  const procs: Proc[] = [];
  let natsUrl = '';
  let rootUrl = '';
  if (opts.root !== false) {
    const nats = await startNats();
    procs.push(nats.proc);
    natsUrl = nats.url;
    const rp = await freePort();
    rootUrl = `http://127.0.0.1:${rp}`;
    procs.push(
      spawnCanopy('root', ['root', '--listen', `127.0.0.1:${rp}`, '--nats', natsUrl, '--zone-timeout', '5s']),
    );
  }
  const zp = await freePort();
  const gp = await freePort();
  const s: Stack = {
    dir,
    rootUrl,
    zoneUrl: `http://127.0.0.1:${zp}`,
    zoneGrpc: `127.0.0.1:${gp}`,
    zone: undefined,
    procs,
    async startZone() {
      const args = [
        'zone',
        '--zone',
        'z1',
        '--region',
        'r1',
        '--listen',
        `127.0.0.1:${zp}`,
        '--grpc-listen',
        `127.0.0.1:${gp}`,
        '--data-dir',
        join(dir.path, 'zone'),
      ];
      if (natsUrl) args.push('--nats', natsUrl);
      const p = spawnCanopy('zone', args);
      procs.push(p);
      s.zone = p;
      if (!(await waitForHttp(`${s.zoneUrl}/readyz`, 30_000)))
        throw new Error(`zone did not start: ${p.output.slice(-10).join('\n')}`);
    },
    async stopZone() {
      await s.zone?.stop();
      s.zone = undefined;
    },
    async startLeaf(name, yaml, extraArgs = []) {
      const lp = await freePort();
      const cfg = join(dir.path, `${name}.yaml`);
      writeFileSync(cfg, yaml);
      const p = spawnCanopy(name, [
        'leaf',
        '--config',
        cfg,
        '--name',
        name,
        '--listen',
        `127.0.0.1:${lp}`,
        '--zone',
        s.zoneGrpc,
        ...extraArgs,
      ]);
      procs.push(p);
      const url = `http://127.0.0.1:${lp}`;
      if (!(await waitForHttp(`${url}/healthz`, 30_000)))
        throw new Error(`leaf did not start: ${p.output.slice(-10).join('\n')}`);
      return { proc: p, url };
    },
    async stop() {
      for (const p of [...procs].reverse()) await p.stop();
      dir.remove();
    },
  };
  if (rootUrl && !(await waitForHttp(`${rootUrl}/readyz`, 30_000)))
    throw new Error(`root did not start: ${procs[1]!.output.slice(-10).join('\n')}`);
  await s.startZone();
  return s;
}

/** Instant query; returns the result list (vector) or throws on an error answer. */
export async function query(base: string, q: string, timeSec?: number): Promise<any[]> {
  const { body } = await getJson(
    `${base}/api/v1/query?query=${encodeURIComponent(q)}${timeSec !== undefined ? `&time=${timeSec}` : ''}`,
  );
  if (body.status !== 'success') throw new Error(`query ${q}: ${JSON.stringify(body)}`);
  return body.data.result;
}

/** The value of one sample of the leaf's /metrics (sum over series matching `labels`). */
export async function leafMetric(
  url: string,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const r = parseExposition(text, 'text/plain; version=0.0.4', 0);
  let sum = 0;
  for (const s of r.samples) {
    const get = (n: string): string | undefined => s.labels.find((l) => l.name === n)?.value;
    if (get('__name__') !== name) continue;
    if (Object.entries(labels).every(([k, v]) => get(k) === v)) sum += s.value;
  }
  return sum;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
