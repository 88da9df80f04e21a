// StatsD UDP listener: receives datagrams on node:dgram with a large kernel receive buffer
// (bursts of small packets are what StatsD loses first) and feeds every line to a
// StatsdHandler — normally the StatsdAggregator. Counts packets, bytes and lines per reason.
import { createSocket, type Socket } from 'node:dgram';
import { CanopyError } from '../../shared/errors.ts';
import { parseDatagram, StatsdLine, type StatsdDropReason, type StatsdHandler } from './datagram.ts';

export interface StatsdServerOptions {
  /** Default "127.0.0.1"; "::" or "0.0.0.0" to listen on every interface. */
  host?: string;
  /** UDP port; 0 picks a free one (see address()). Default 8125. */
  port?: number;
  /** SO_RCVBUF in bytes. Default 8 MiB (the kernel may cap it: net.core.rmem_max). */
  recvBufferSize?: number;
}

export interface StatsdServerStats {
  packets: number;
  bytes: number;
  lines: number;
  invalid: Record<string, number>;
}

export class StatsdServer {
  private readonly opts: Required<StatsdServerOptions>;
  private readonly handler: StatsdHandler;
  private socket: Socket | undefined;
  private readonly line = new StatsdLine();
  private readonly stats: StatsdServerStats = { packets: 0, bytes: 0, lines: 0, invalid: {} };
  private readonly counting: StatsdHandler;

  constructor(opts: StatsdServerOptions, handler: StatsdHandler) {
    this.opts = {
      host: opts.host ?? '127.0.0.1',
      port: opts.port ?? 8125,
      recvBufferSize: opts.recvBufferSize ?? 8 << 20,
    };
    this.handler = handler;
    const stats = this.stats;
    this.counting = {
      metric: (l) => handler.metric(l),
      invalid: (reason: StatsdDropReason, text: string) => {
        stats.invalid[reason] = (stats.invalid[reason] ?? 0) + 1;
        handler.invalid(reason, text);
      },
    };
  }

  /** Binds the socket; resolves with the bound port. */
  async start(): Promise<number> {
    if (this.socket) return this.address().port;
    const sock = createSocket({
      type: this.opts.host.includes(':') ? 'udp6' : 'udp4',
      recvBufferSize: this.opts.recvBufferSize,
    });
    sock.on('message', (msg) => this.onPacket(msg));
    await new Promise<void>((resolve, reject) => {
      sock.once('error', (e) =>
        reject(
          new CanopyError(
            'io',
            `cannot listen for StatsD on ${this.opts.host}:${this.opts.port}: ${e.message}`,
            { cause: e },
          ),
        ),
      );
      sock.bind(this.opts.port, this.opts.host, () => resolve());
    });
    sock.on('error', () => {
      /* after bind, datagram errors are per-packet and not fatal */
    });
    this.socket = sock;
    return this.address().port;
  }

  address(): { host: string; port: number } {
    if (!this.socket) throw new CanopyError('unavailable', 'StatsD server is not started');
    const a = this.socket.address();
    return { host: a.address, port: a.port };
  }

  /** Parses one datagram (exposed for tests and other transports). */
  onPacket(msg: Buffer): void {
    this.stats.packets++;
    this.stats.bytes += msg.length;
    this.stats.lines += parseDatagram(msg.toString('utf8'), this.line, this.counting);
  }

  getStats(): Readonly<StatsdServerStats> {
    return this.stats;
  }

  async stop(): Promise<void> {
    const s = this.socket;
    this.socket = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}
