// Read-after-write through the root (issue 12 acceptance): nats-server, the root and three
// zones as processes; `--trials` (default 1,000) writes of a new metric name — remote_write,
// JSON push and gRPC Push in turn, over the three zones, at now and an hour ago — each followed
// at once by a query at the root. Prints the answers that missed the sample (must be 0), those
// with warnings, and the write (ack) and read (root answer) latencies.
// Usage: npm run bench:read-after-write -- [--trials=1000] [--width=1]
import { METHODS, pct, runTrials, startTree } from '../test/e2e/read-after-write.ts';
import { getJson, waitFor } from '../test/e2e/harness.ts';

function arg(name: string, def: number): number {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.split('=')[1]) : def;
}
const TRIALS = arg('trials', 1000);
const WIDTH = arg('width', 1);

const tree = await startTree();
try {
  await waitFor('trusted hints of every zone', async () => {
    const { body } = await getJson(`${tree.rootUrl}/api/v1/status/zones`);
    return body.data.length === tree.zones.length && body.data.every((x: any) => x.hintsUntrusted === null);
  });
  const t0 = performance.now();
  const r = await runTrials(tree, TRIALS, `b${Date.now().toString(36)}`, WIDTH);
  const s = (performance.now() - t0) / 1000;
  console.log(
    `${r.trials} trials (${METHODS.join(', ')} × ${tree.zones.length} zones × now / an hour ago, ${WIDTH} in flight) in ${s.toFixed(1)} s`,
  );
  console.log(`missing answers: ${r.missing.length}`);
  console.log(`answers with warnings: ${r.warned.length}`);
  for (const m of [...r.missing, ...r.warned].slice(0, 10)) console.log(`  ${m}`);
  console.log(
    `write (until acknowledged) ms: p50 ${pct(r.writeMs, 0.5).toFixed(2)}  p90 ${pct(r.writeMs, 0.9).toFixed(2)}  p99 ${pct(r.writeMs, 0.99).toFixed(2)}  max ${Math.max(...r.writeMs).toFixed(2)}`,
  );
  console.log(
    `read at the root ms:        p50 ${pct(r.readMs, 0.5).toFixed(2)}  p90 ${pct(r.readMs, 0.9).toFixed(2)}  p99 ${pct(r.readMs, 0.99).toFixed(2)}  max ${Math.max(...r.readMs).toFixed(2)}`,
  );
  process.exitCode = r.missing.length === 0 ? 0 : 1;
} finally {
  await tree.stop();
}
