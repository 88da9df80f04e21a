// Bus: the root ↔ zone transport. Implemented over a real NATS server (nats.ts) and, for the
// local launcher when no nats-server is installed, in-process (memory.ts). Subjects and the
// chunked reply protocol are documented in docs/format/nats.md.
//
// requestStream: publishes `data` on `subject` with a private reply subject and hands every
// reply to onReply until onReply returns true (the stream is complete) or the deadline passes
// (then it rejects with CanopyError('timeout')). Replies may arrive in several chunks.
export interface BusMessage {
  readonly subject: string;
  readonly data: Uint8Array;
  /** Publishes on the message's reply subject; a no-op when it has none. */
  respond(data: Uint8Array): void;
}

export interface Subscription {
  unsubscribe(): void;
}

export interface RequestStreamOptions {
  timeoutMs: number;
  onReply(data: Uint8Array): boolean;
  signal?: AbortSignal;
}

export interface Bus {
  readonly kind: 'nats' | 'memory';
  publish(subject: string, data: Uint8Array): void;
  subscribe(subject: string, handler: (m: BusMessage) => void): Subscription;
  requestStream(subject: string, data: Uint8Array, opts: RequestStreamOptions): Promise<void>;
  /**
   * A round trip to the server: resolves once the server has processed everything this
   * client published before the call, and after every message the server had forwarded to
   * this client before answering has been handed to its subscription handlers. With one
   * nats-server this orders "a zone's flushed publish, then an ack the client saw" before
   * the root's next flush (the field hints barrier, docs/format/hints.md).
   */
  flush(): Promise<void>;
  /**
   * Counts the connection's interruptions (disconnects); a subscriber may have missed
   * messages whenever it changed.
   */
  epoch(): number;
  /** Largest message the bus carries; larger replies must be chunked. */
  maxPayloadBytes(): number;
  close(): Promise<void>;
}

/**
 * A zone's subjects end in its name, or for one replica of an HA zone (--replica) in
 * `<zone>.<replica>`: the replica is part of the identity on the bus, so the root sees two
 * replicas of one zone rather than one zone twice (docs/format/nats.md).
 */
const zoneToken = (zone: string, replica = ''): string => (replica ? `${zone}.${replica}` : zone);

/** The replica named by a zone subject's fifth token onwards ("" for a single-process zone). */
export function replicaOfSubject(subject: string): string {
  const t = subject.split('.');
  return t.length === 4 ? t[3]! : '';
}

export const SUBJECTS = {
  query: (zone: string, replica = '') => `canopy.query.${zoneToken(zone, replica)}`,
  metadata: (zone: string, replica = '') => `canopy.meta.${zoneToken(zone, replica)}`,
  heartbeat: (zone: string, replica = '') => `canopy.heartbeat.${zoneToken(zone, replica)}`,
  heartbeatAll: 'canopy.heartbeat.>',
  hints: (zone: string, replica = '') => `canopy.hints.${zoneToken(zone, replica)}`,
  hintsAll: 'canopy.hints.>',
  /** Roots ask zones for a field hints SNAPSHOT (HintSyncRequest). */
  hintSync: 'canopy.hintsync',
  /** HA replicas of one zone share silences and the notification log (zone/notifier/cluster.ts). */
  alerts: (zone: string) => `canopy.alerts.${zone}`,
} as const;
