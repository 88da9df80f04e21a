// nats-server configuration for a Canopy tree: one NATS user per zone, whose permissions let it
// publish only its own heartbeats and field hints and receive only its own query and metadata
// requests (answering them through allow_responses: reply subjects of messages it received,
// several replies each since answers are chunked), and one user for the root. The subjects are
// those of shared/bus/bus.ts (SUBJECTS) and docs/format/nats.md. `canopy up --secure` writes
// one per topology; topology/nats-server.conf is the same for topology/local.yaml with passwords
// taken from the environment.
import { SUBJECTS } from '../shared/bus/index.ts';

export interface NatsUserSpec {
  user: string;
  /** A bcrypt hash ($2a$…), a plain password, or a $VARIABLE nats-server reads from the environment. */
  password: string;
}

export interface NatsServerConfigOptions {
  host: string;
  port: number;
  serverName?: string;
  root: NatsUserSpec;
  /** One user per zone, or per replica of an HA zone (its own heartbeat/hints/query subjects). */
  zones: (NatsUserSpec & { zone: string; replica?: string })[];
  /** Server TLS: the clients verify `cert` against their CA. `verify` asks clients for certificates. */
  tls?: { certFile: string; keyFile: string; caFile?: string; verify?: boolean };
}

/** Replies a zone may send per request received (chunked answers) and how long it may. */
const RESPONSES = { max: 100_000, expires: '5m' };

const q = (s: string): string => JSON.stringify(s);
const pw = (p: string): string => (p.startsWith('$') && !p.startsWith('$2') ? p : q(p));

/** The permissions of a zone's user (or of one replica's): its own subjects only; the alert
 *  cluster's subjects are the zone's, shared by its replicas (zone/notifier/cluster.ts). */
export function zonePermissions(zone: string, replica = ''): { publish: string[]; subscribe: string[] } {
  return {
    publish: [SUBJECTS.heartbeat(zone, replica), SUBJECTS.hints(zone, replica), `${SUBJECTS.alerts(zone)}.>`],
    subscribe: [
      SUBJECTS.query(zone, replica),
      SUBJECTS.metadata(zone, replica),
      SUBJECTS.hintSync,
      `${SUBJECTS.alerts(zone)}.>`,
    ],
  };
}

/** The permissions of the root's user: ask any zone, hear every zone, receive its replies. */
export function rootPermissions(): { publish: string[]; subscribe: string[] } {
  return {
    publish: [
      SUBJECTS.query('*'),
      SUBJECTS.metadata('*'),
      SUBJECTS.query('*', '*'),
      SUBJECTS.metadata('*', '*'),
      SUBJECTS.hintSync,
    ],
    subscribe: [SUBJECTS.heartbeatAll, SUBJECTS.hintsAll, '_INBOX.>'],
  };
}

const list = (xs: string[]): string => `[${xs.map(q).join(', ')}]`;

export function natsServerConfig(o: NatsServerConfigOptions): string {
  const lines: string[] = [
    '# nats-server configuration for a Canopy tree (topology/nats-config.ts; docs/ARCHITECTURE.md).',
    '# One user per zone: publish only its heartbeats and hints, receive only its own requests,',
    '# answer them through allow_responses. The root publishes requests and hears every zone.',
    `host: ${q(o.host)}`,
    `port: ${o.port}`,
  ];
  if (o.serverName) lines.push(`server_name: ${q(o.serverName)}`);
  if (o.tls) {
    lines.push('tls {', `  cert_file: ${q(o.tls.certFile)}`, `  key_file: ${q(o.tls.keyFile)}`);
    if (o.tls.caFile) lines.push(`  ca_file: ${q(o.tls.caFile)}`);
    if (o.tls.verify) lines.push('  verify: true');
    lines.push('  timeout: 5', '}');
  }
  lines.push('authorization {', '  users: [');
  const rp = rootPermissions();
  lines.push(
    `    { user: ${q(o.root.user)}, password: ${pw(o.root.password)},`,
    `      permissions: { publish: { allow: ${list(rp.publish)} }, subscribe: { allow: ${list(rp.subscribe)} } } }`,
  );
  for (const z of o.zones) {
    const p = zonePermissions(z.zone, z.replica ?? '');
    lines.push(
      `    { user: ${q(z.user)}, password: ${pw(z.password)},`,
      `      permissions: { publish: { allow: ${list(p.publish)} }, subscribe: { allow: ${list(p.subscribe)} },`,
      `                     allow_responses: { max: ${RESPONSES.max}, expires: ${q(RESPONSES.expires)} } } }`,
    );
  }
  lines.push('  ]', '}', '');
  return lines.join('\n');
}

/** The NATS user name of a zone (or of one replica of it) in configs this module writes. */
export function zoneUser(zone: string, replica = ''): string {
  return replica ? `zone-${zone}-${replica}` : `zone-${zone}`;
}
