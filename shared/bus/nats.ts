// Bus over a real NATS server (@nats-io/transport-node). Reconnects forever in the background;
// while disconnected, publish() buffers in the client and requests time out.
import { connect, createInbox, type NatsConnection } from '@nats-io/transport-node';
import { CanopyError, errorMessage } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Bus, BusMessage, RequestStreamOptions, Subscription } from './bus.ts';

export interface NatsBusOptions {
  url: string;
  name: string;
  logger: Logger;
  /** How long the first connection may take before connectNats rejects. */
  connectTimeoutMs?: number;
}

export async function connectNats(opts: NatsBusOptions): Promise<Bus> {
  let nc: NatsConnection;
  try {
    nc = await connect({
      servers: opts.url,
      name: opts.name,
      timeout: opts.connectTimeoutMs ?? 5000,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
    });
  } catch (e) {
    throw new CanopyError('unavailable', `cannot connect to NATS at ${opts.url}: ${natsReason(e)}`, { cause: e });
  }
  opts.logger.info({ url: opts.url, server: nc.info?.server_name }, 'connected to NATS');
  const bus = new NatsBus(nc);
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect' || s.type === 'reconnect') {
        bus.interruptions++;
        opts.logger.warn({ url: opts.url, event: s.type }, `NATS ${s.type}`);
      }
    }
  })().catch(() => {});
  return bus;
}

function natsReason(e: unknown): string {
  const msg = errorMessage(e);
  const code = (e as { code?: string }).code;
  if (/ECONNREFUSED|CONNECTION_REFUSED/i.test(msg + code)) return 'connection refused (is nats-server running there?)';
  if (/timeout/i.test(msg)) return 'timed out';
  return msg;
}

class NatsBus implements Bus {
  readonly kind = 'nats' as const;
  interruptions = 0;
  constructor(private readonly nc: NatsConnection) {}

  /** PING/PONG: the server answers after processing what we sent, and its earlier messages to
   * us precede the PONG on the socket; subscriptions use callbacks, so they ran already. */
  flush(): Promise<void> {
    return this.nc.flush();
  }

  epoch(): number {
    return this.interruptions;
  }

  publish(subject: string, data: Uint8Array): void {
    this.nc.publish(subject, data);
  }

  subscribe(subject: string, handler: (m: BusMessage) => void): Subscription {
    const nc = this.nc;
    const sub = nc.subscribe(subject, {
      callback: (err, msg) => {
        if (err) return;
        handler({
          subject: msg.subject,
          data: msg.data,
          respond: (data) => {
            if (msg.reply) nc.publish(msg.reply, data);
          },
        });
      },
    });
    return { unsubscribe: () => sub.unsubscribe() };
  }

  requestStream(subject: string, data: Uint8Array, opts: RequestStreamOptions): Promise<void> {
    return new Promise((resolve, reject) => {
      const inbox = createInbox();
      let settled = false;
      const finish = (err?: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        sub.unsubscribe();
        if (err) reject(err);
        else resolve();
      };
      const onAbort = (): void => finish(new CanopyError('canceled', `request on ${subject} canceled`));
      const sub = this.nc.subscribe(inbox, {
        callback: (err, msg) => {
          if (settled) return;
          if (err) return finish(new CanopyError('unavailable', `request on ${subject}: ${errorMessage(err)}`, { cause: err }));
          // The server answers a request nobody is subscribed to with a 503 status message.
          if (msg.data.length === 0 && msg.headers?.code === 503) {
            return finish(new CanopyError('unavailable', `no responders on ${subject}`));
          }
          try {
            if (opts.onReply(msg.data)) finish();
          } catch (e) {
            finish(e as Error);
          }
        },
      });
      const timer = setTimeout(
        () => finish(new CanopyError('timeout', `no complete answer on ${subject} within ${opts.timeoutMs} ms`)),
        opts.timeoutMs,
      );
      opts.signal?.addEventListener('abort', onAbort);
      this.nc.publish(subject, data, { reply: inbox });
    });
  }

  maxPayloadBytes(): number {
    return this.nc.info?.max_payload ?? 1024 * 1024;
  }

  async close(): Promise<void> {
    try {
      await this.nc.drain();
    } catch {
      await this.nc.close().catch(() => {});
    }
  }
}
