// What `canopy up` prints once the tree is ready: what runs where, the URLs to open, where
// endpoints.json is and how to stop — a short block for people (pretty log format), or one
// JSON line carrying the same facts (json log format, so stdout stays one object per line).
import type { Endpoints } from './launcher.ts';
import type { LogFormat } from './log-format.ts';
import { redactUrl } from '../shared/bus/index.ts';

export interface SummaryContext {
  endpointsFile: string;
  /** the launcher's own pid, for `kill` */
  pid: number;
  format: LogFormat;
}

export function summaryLines(ep: Endpoints, ctx: SummaryContext): string[] {
  const regions = [...new Set(ep.zones.map((z) => z.region))];
  const bus =
    ep.bus === 'memory' ? 'in-process bus (root and zones share one process)' : `NATS ${redactUrl(ep.nats)}`;
  const headline = `Canopy is up: root, ${new Set(ep.zones.map((z) => z.name)).size} zone${new Set(ep.zones.map((z) => z.name)).size === 1 ? '' : 's'} in ${regions.length} region${regions.length === 1 ? '' : 's'}, ${ep.leaves.length} lea${ep.leaves.length === 1 ? 'f' : 'ves'}; ${bus}`;
  const stop = `Ctrl-C (or kill -INT ${ctx.pid}) stops every process`;
  if (ctx.format === 'json') {
    return [JSON.stringify({ proc: 'up', msg: headline, endpoints: ctx.endpointsFile, stop, tree: ep })];
  }
  const out = [
    '',
    headline,
    '',
    `  root      ${ep.root.http}`,
    `            API ${ep.root.http}/api/v1/query?query=up`,
    `            UI  ${ep.root.http}/graph  (alerts, silences, zones, query plans; each zone and leaf serves its own at its address)`,
  ];
  if (ep.secure) {
    const s = ep.secure;
    out.push(
      `  secure    TLS everywhere, CA ${s.ca}; HTTP user ${s.user}, password in ${s.passwordFile}`,
      `            curl --cacert ${s.ca} -u ${s.user}:$(cat ${s.passwordFile}) '${ep.root.http}/api/v1/query?query=up'`,
      `            SSL_CERT_FILE=${s.ca} promtool query instant https://${s.user}:$(cat ${s.passwordFile})@${ep.root.http.replace(/^https:\/\//, '')} up`,
      `            NATS users and passwords, certificates and the web config in ${s.dir}`,
    );
  }
  for (const r of regions) {
    out.push(`  region ${r}`);
    const inRegion = ep.zones.filter((x) => x.region === r);
    inRegion.forEach((z, i) => {
      out.push(
        `    zone ${(z.replica ? `${z.name}/${z.replica}` : z.name).padEnd(14)} ${z.http}  (gRPC ${z.grpc})`,
      );
      // an HA zone's leaves once, after its last replica
      if (inRegion[i + 1]?.name === z.name) return;
      for (const l of ep.leaves.filter((x) => x.zone === z.name))
        out.push(`      leaf ${l.name.padEnd(20)} ${l.http}  scrapes ${l.exporter}/metrics`);
    });
  }
  out.push(
    '',
    `  bucket    ${ep.bucket.description}  (zones upload finished blocks; config ${ep.bucket.configFile})`,
    `  endpoints ${ctx.endpointsFile}`,
    '  logs      below, one line per event: [process] LEVEL message key=value (--log-format json: JSON lines)',
    `  stop      ${stop}`,
    '',
  );
  return out;
}
