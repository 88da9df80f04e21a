// Installable leaf (issue 19, part 5): `npm pack` of this checkout, installed with
// `npm install -g` into a temporary prefix (not the machine's global dir), gives a working
// `canopy` command: the production bundle only, with no tsx, esbuild or other devDependency in
// the installed tree, native addons (re2, better-sqlite3, snappy) built or fetched for this
// machine. The installed command then runs a zone, the demo exporter and a leaf scraping it,
// and the scraped samples are queryable at the zone; an OpenTelemetry SDK exports over OTLP/gRPC
// to the installed leaf's --otlp-grpc-listen and its counter reaches the zone. The install is timed (packages come from
// the npm cache: `--prefer-offline`). Not part of `npm test`: the install compiles re2 and
// better-sqlite3 from source when their prebuilt binaries cannot be downloaded, 1m46s on the
// idle 2-core VM, 2m23s to 6m44s under the other helpers' load. Run it with `npm run check:install`.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { OTLPMetricExporter as GrpcExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { REPO, freePort, getJson, spawnProc, tempDir, waitFor, waitForHttp, type Proc } from './harness.ts';

const dir = tempDir('install-leaf');
const procs: Proc[] = [];
after(async () => {
  for (const p of procs.reverse()) await p.stop();
  dir.remove();
});

function run(cmd: string, args: string[], cwd: string, timeoutMs: number): string {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  assert.equal(
    r.status,
    0,
    `${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`,
  );
  return r.stdout;
}

test(
  'npm pack + npm install -g gives a canopy whose leaf ships to a zone',
  { timeout: 15 * 60_000 },
  async () => {
    // pack (`prepare` builds dist/ on a plain `npm pack`; built here so stdout is npm's JSON alone)
    run(process.execPath, ['scripts/build.js'], REPO, 2 * 60_000);
    const packed = run(
      'npm',
      ['pack', '--ignore-scripts', '--pack-destination', dir.path, '--json'],
      REPO,
      5 * 60_000,
    );
    const info = JSON.parse(packed) as Array<{ filename: string; files: Array<{ path: string }> }>;
    const files = info[0]!.files.map((f) => f.path);
    assert.ok(files.includes('dist/cli.js') && files.includes('bin/canopy.js'), files.join(' '));
    assert.ok(files.includes('examples/leaf.yaml') && files.includes('examples/systemd/canopy-leaf.service'));
    const leaked = files.filter(
      (f) => /^(test|bench|scripts|leaf|zone|global|shared)\//.test(f) || f.endsWith('.ts'),
    );
    assert.deepEqual(leaked, [], 'sources, tests and benches stay out of the tarball');

    const prefix = join(dir.path, 'prefix');
    const t0 = Date.now();
    run(
      'npm',
      [
        'install',
        '--prefix',
        prefix,
        '-g',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        join(dir.path, info[0]!.filename),
      ],
      dir.path,
      12 * 60_000,
    );
    console.log(`# npm install -g of ${info[0]!.filename}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    const pkgDir = join(prefix, 'lib/node_modules/canopy');
    const deps = readdirSync(join(pkgDir, 'node_modules'));
    for (const dev of ['tsx', 'esbuild', 'typescript', 'eslint'])
      assert.ok(!deps.includes(dev), `${dev} installed at run time`);
    for (const native of ['re2', 'better-sqlite3', 'snappy'])
      assert.ok(deps.includes(native), `${native} missing`);
    const canopy = join(prefix, 'bin/canopy');
    assert.ok(existsSync(canopy));

    const help = run(canopy, ['--help'], dir.path, 30_000);
    assert.match(help, /leaf\s+the host agent/);
    assert.match(run(canopy, ['zone', '--help'], dir.path, 30_000), /usage: canopy zone/);
    assert.equal(
      run(canopy, ['version'], dir.path, 30_000).includes(
        JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version,
      ),
      true,
    );

    const [zh, zg, ep, lh, og] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const zone = spawnProc(
      'zone',
      canopy,
      [
        'zone',
        '--zone',
        'inst',
        '--listen',
        `127.0.0.1:${zh}`,
        '--grpc-listen',
        `127.0.0.1:${zg}`,
        '--data-dir',
        join(dir.path, 'zone'),
        '--log-level',
        'warn',
      ],
      { cwd: dir.path },
    );
    procs.push(zone);
    const exporter = spawnProc(
      'demo-exporter',
      canopy,
      ['demo-exporter', '--listen', `127.0.0.1:${ep}`, '--host', 'inst-host'],
      { cwd: dir.path },
    );
    procs.push(exporter);
    assert.ok(await waitForHttp(`http://127.0.0.1:${zh}/readyz`, 60_000), zone.output.join('\n'));
    assert.ok(await waitForHttp(`http://127.0.0.1:${ep}/metrics`, 30_000), exporter.output.join('\n'));
    const leaf = spawnProc(
      'leaf',
      canopy,
      [
        'leaf',
        '--name',
        'inst-leaf',
        '--zone',
        `127.0.0.1:${zg}`,
        '--listen',
        `127.0.0.1:${lh}`,
        '--scrape',
        `http://127.0.0.1:${ep}/metrics`,
        '--scrape-interval',
        '2s',
        '--flush-interval',
        '1s',
        '--data-dir',
        join(dir.path, 'leaf'),
        '--otlp-grpc-listen',
        `127.0.0.1:${og}`,
      ],
      { cwd: dir.path },
    );
    procs.push(leaf);
    assert.ok(await waitForHttp(`http://127.0.0.1:${lh}/healthz`, 60_000), leaf.output.join('\n'));
    // the installed leaf runs the bundle: no TypeScript loader in its process
    const maps = readFileSync(`/proc/${leaf.child.pid}/maps`, 'utf8');
    assert.ok(!/node_modules\/(tsx|esbuild)/.test(maps), 'tsx/esbuild mapped into the leaf');

    const exposed = await (await fetch(`http://127.0.0.1:${ep}/metrics`)).text();
    const served = /^node_memory_MemTotal_bytes(?:\{[^}]*\})? (\S+)$/m.exec(exposed);
    assert.ok(served, 'demo exporter serves node_memory_MemTotal_bytes');
    const q = encodeURIComponent('node_memory_MemTotal_bytes{job="scrape"}');
    const got = await waitFor(
      'scraped samples at the zone',
      async () => {
        const r = await getJson(`http://127.0.0.1:${zh}/api/v1/query?query=${q}`);
        return r.status === 200 && r.body.data.result.length > 0 ? r.body.data.result : false;
      },
      60_000,
      500,
    );
    assert.equal(Number(got[0].value[1]), Number(served[1]), 'value as served by the exporter');
    // OTLP/gRPC into the installed leaf (grpc-js server and the OTLP messages in the bundle).
    const mp = new MeterProvider({
      resource: resourceFromAttributes({ 'service.name': 'installed' }),
      readers: [
        new PeriodicExportingMetricReader({
          exporter: new GrpcExporter({ url: `http://127.0.0.1:${og}` }),
          exportIntervalMillis: 3_600_000,
        }),
      ],
    });
    mp.getMeter('install').createCounter('install.checks').add(5);
    await mp.forceFlush();
    await mp.shutdown();
    const oq = encodeURIComponent('install_checks_total{job="installed"}');
    const otlp = await waitFor(
      'the OTLP/gRPC counter at the zone',
      async () => {
        const r = await getJson(`http://127.0.0.1:${zh}/api/v1/query?query=${oq}`);
        return r.status === 200 && r.body.data.result.length > 0 ? r.body.data.result : false;
      },
      60_000,
      500,
    );
    assert.equal(otlp[0].value[1], '5');
    const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${leaf.child.pid}/status`, 'utf8'));
    console.log(`# installed leaf RSS after first batches: ${Math.round(Number(rss?.[1]) / 1024)} MB`);
  },
);
