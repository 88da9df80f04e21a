// `canopy up` as a person runs it: a small topology in a temp state dir; the summary block,
// child logs as "[process] LEVEL message key=value" (or JSON lines with --log-format json),
// the README's CPU queries answering plausible values, and Ctrl-C (SIGINT) stopping everything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, tempDir, waitFor } from './harness.ts';

const TOPOLOGY = `nats: { url: auto }
root: { http: 127.0.0.1:0 }
regions:
  - name: r1
    zones:
      - { name: r1-a, http: 127.0.0.1:0, grpc: 127.0.0.1:0, leaves: 2 }
demo: { exporter: true }
data_dir: data
`;

/** Spawns `canopy up …`, collecting stdout lines whole. */
function up(args: string[]): {
  lines: string[];
  stop(): Promise<number | null>;
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, [join(REPO, 'bin/canopy.js'), 'up', ...args], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (l) => lines.push(l));
  createInterface({ input: child.stderr! }).on('line', (l) => lines.push(`stderr: ${l}`));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return {
    lines,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      const t = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const code = await exited;
      clearTimeout(t);
      return code;
    },
  };
}

async function instant(
  root: string,
  q: string,
): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const r = await fetch(`${root}/api/v1/query?query=${encodeURIComponent(q)}`);
  const j = (await r.json()) as {
    data: { result: { metric: Record<string, string>; value: [number, string] }[] };
  };
  return j.data.result;
}

async function refused(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2000) });
    return false;
  } catch {
    return true;
  }
}

test(
  'canopy up: summary, readable prefixed child logs, plausible CPU rates, SIGINT stops every process',
  { timeout: 180_000 },
  async (tc) => {
    const d = tempDir('up');
    const topo = join(d.path, 'topo.yaml');
    writeFileSync(topo, TOPOLOGY);
    const u = up(['--topology', topo, '--state-dir', join(d.path, 'state'), '--scrape-interval', '1s']);
    try {
      await waitFor('the summary', async () => u.lines.some((l) => l.startsWith('Canopy is up:')), 120_000);
      const text = u.lines.join('\n');
      assert.match(
        text,
        /^Canopy is up: root, 1 zone in 1 region, 2 leaves; NATS nats:\/\/127\.0\.0\.1:\d+$/m,
      );
      const ep = JSON.parse(readFileSync(join(d.path, 'state', 'endpoints.json'), 'utf8'));
      assert.match(text, new RegExp(`^  root +${ep.root.http}$`, 'm'));
      assert.match(ep.root.http, /^http:\/\/127\.0\.0\.1:\d+$/, 'without --secure: plain HTTP, no auth');
      assert.equal(ep.secure, undefined);
      assert.doesNotMatch(text, /^ {2}secure /m);
      assert.match(text, /^ {4}zone r1-a +http:\/\/127\.0\.0\.1:\d+ +\(gRPC 127\.0\.0\.1:\d+\)$/m);
      assert.match(
        text,
        /^ {6}leaf r1-a-host-2 +http:\/\/127\.0\.0\.1:\d+ +scrapes http:\/\/127\.0\.0\.1:\d+\/metrics$/m,
      );
      assert.match(
        text,
        new RegExp(`^  endpoints ${join(d.path, 'state', 'endpoints.json').replace(/[.]/g, '\\.')}$`, 'm'),
      );
      // the zones' FILESYSTEM bucket in the state dir's parent (topology default object_store)
      const bucketDir = join(d.path, '.canopy', 'objects');
      assert.ok(
        text
          .split('\n')
          .some((l) =>
            l.startsWith(
              `  bucket    FILESYSTEM ${bucketDir}  (zones upload finished blocks; config ${join(d.path, 'state', 'objstore.yaml')})`,
            ),
          ),
        text,
      );
      assert.match(readFileSync(join(d.path, 'state', 'objstore.yaml'), 'utf8'), /^type: FILESYSTEM$/m);
      assert.match(text, /^ {2}stop +Ctrl-C \(or kill -INT \d+\) stops every process$/m);
      // the summary comes first: the children's INFO start-up lines wait in <state-dir>/startup.log
      const startupLog = join(d.path, 'state', 'startup.log');
      const summaryAt = u.lines.findIndex((l) => l.startsWith('Canopy is up:'));
      assert.deepEqual(
        u.lines.slice(0, summaryAt).filter((l) => / INFO /.test(l)),
        [],
        'no INFO line before the summary',
      );
      assert.ok(
        u.lines.some(
          (l) => l.startsWith('  (') && l.includes(`start-up log lines at INFO are in ${startupLog}`),
        ),
        text,
      );
      const logs = `${readFileSync(startupLog, 'utf8')}\n${u.lines.join('\n')}`;
      assert.match(logs, /^\[zone r1-a\] INFO {2}bucket: bucket tier starting bucket=\{"type":"FILESYSTEM"/m);
      // child logs: "[process] LEVEL message key=value", the leaf's own name not repeated
      assert.match(
        logs,
        /^\[leaf r1-a-host-1\] INFO {2}leaf started http=http:\/\/127\.0\.0\.1:\d+ zones=\["127\.0\.0\.1:\d+"\] zoneTransport=plaintext jobs=1 queue=disk buffered=0$/m,
      );
      assert.match(logs, /^\[zone r1-a\] INFO {2}zone started http=/m);
      assert.match(logs, /^\[root\] INFO {2}root started /m);
      assert.doesNotMatch(logs, /^\[(root|zone|leaf)[^\]]*\] \{/m, 'no raw JSON lines in the pretty format');

      // the README's queries: each 4-CPU demo host's CPU seconds rise by 4 per second
      // (once each host has been scraped for longer than the window: rate() over a partly covered
      // window extrapolates only half an interval past the samples, as in Prometheus)
      await waitFor(
        '12 s of scrapes of each host at the root',
        async () =>
          (
            await instant(
              ep.root.http,
              'count_over_time(node_cpu_seconds_total{cpu="0",mode="idle"}[1s] offset 11s)',
            )
          ).length === 2,
        90_000,
        500,
      );
      const perHost = await instant(ep.root.http, 'sum by (instance) (rate(node_cpu_seconds_total[10s]))');
      assert.equal(perHost.length, 2);
      // (±5 %: a scrape is stamped when it starts, the exporter renders a little later)
      for (const s of perHost)
        assert.ok(
          Math.abs(Number(s.value[1]) - 4) < 0.2,
          `CPU seconds rate of ${s.metric.instance}: ${s.value[1]}`,
        );
      const busy = await instant(
        ep.root.http,
        'sum by (zone) (rate(node_cpu_seconds_total{mode!="idle"}[10s]))',
      );
      assert.equal(busy.length, 1);
      const cores = Number(busy[0]!.value[1]);
      assert.ok(cores > 0.5 && cores < 4, `busy cores in r1-a (2 hosts × 4 CPUs): ${cores}`);
      tc.diagnostic(
        `CPU rate per host ${perHost.map((s) => Number(s.value[1]).toFixed(3)).join(', ')}; busy cores in the zone ${cores.toFixed(2)}`,
      );

      // Ctrl-C: the launcher stops every child and exits 0
      const code = await u.stop();
      assert.equal(code, 0, u.lines.slice(-20).join('\n'));
      assert.ok(u.lines.includes('[up] stopped'));
      const urls = [
        ep.root.http,
        ...ep.zones.map((z: { http: string }) => z.http),
        ...ep.leaves.flatMap((l: { http: string; exporter: string }) => [l.http, l.exporter]),
      ];
      for (const url of urls) assert.ok(await refused(`${url}/metrics`), `${url} still answers after SIGINT`);
    } finally {
      await u.stop();
      d.remove();
    }
  },
);

test(
  'canopy up --log-format json: every stdout line is a JSON object naming its process',
  { timeout: 120_000 },
  async () => {
    const d = tempDir('up-json');
    const topo = join(d.path, 'topo.yaml');
    writeFileSync(topo, TOPOLOGY.replace('leaves: 2', 'leaves: 1'));
    const u = up([
      '--topology',
      topo,
      '--state-dir',
      join(d.path, 'state'),
      '--log-format',
      'json',
      '--in-process',
    ]);
    try {
      const summary = await waitFor(
        'the summary line',
        async () =>
          u.lines
            .map((l) => (l.startsWith('{') ? JSON.parse(l) : undefined))
            .find((o) => o?.proc === 'up' && String(o.msg).startsWith('Canopy is up')),
        120_000,
      );
      assert.equal(summary.endpoints, join(d.path, 'state', 'endpoints.json'));
      assert.equal(summary.tree.leaves.length, 1);
      assert.equal(await u.stop(), 0);
      const objects = u.lines
        .filter((l) => !l.startsWith('stderr: '))
        .map((l) => JSON.parse(l) as { proc: string; msg?: string; level?: number });
      assert.ok(
        objects.some((o) => o.proc === 'leaf r1-a-host-1' && o.msg === 'leaf started' && o.level === 30),
        'the leaf JSON line, with its level kept',
      );
      assert.ok(
        objects.some((o) => o.proc === 'core'),
        'the in-process root+zones',
      );
      assert.ok(objects.some((o) => o.proc === 'up' && o.msg === 'stopped'));
    } finally {
      await u.stop();
      d.remove();
    }
  },
);

test('canopy up --log-format with an unknown value: a clear error, exit code 2', async () => {
  const u = up(['--log-format', 'xml']);
  assert.equal(await u.exited, 2);
  assert.ok(
    u.lines.some((l) => /flag --log-format: expected pretty or json, got "xml"/.test(l)),
    u.lines.join('\n'),
  );
});
