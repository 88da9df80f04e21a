// Bus over a real NATS server (@nats-io/transport-node). Reconnects forever in the background;
// while disconnected, publish() buffers in the client and requests time out.
// Credentials and TLS come from nats-auth.ts; `url` carries none (parseNatsAuth split them off),
// and every message that could echo a URL goes through redactUrl() all the same.
import {
  connect,
  createInbox,
  credsAuthenticator,
  nkeyAuthenticator,
  tokenAuthenticator,
  usernamePasswordAuthenticator,
  type ConnectionOptions,
  type NatsConnection,
} from '@nats-io/transport-node';
import { CanopyError, errorMessage } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Bus, BusMessage, RequestStreamOptions, Subscription } from './bus.ts';
import { describeNatsAuth, redactUrl, splitNatsUrl, type NatsAuth } from './nats-auth.ts';

export interface NatsBusOptions {
  url: string;
  name: string;
  logger: Logger;
  /** Credentials and TLS (README "Security: TLS and credentials between tiers"). */
  auth?: NatsAuth;
  /** How long the first connection may take before connectNats rejects. */
  connectTimeoutMs?: number;
}

/** opts.auth completed with credentials written in the URL, and the URL without them. */
function resolveAuth(opts: NatsBusOptions): { url: string; auth: NatsAuth } {
  const split = splitNatsUrl(opts.url);
  const auth: NatsAuth = { ...opts.auth };
  if (split.user !== undefined && auth.user === undefined)
    Object.assign(auth, { user: split.user, password: split.password });
  if (split.token !== undefined && auth.token === undefined) auth.token = split.token;
  if (split.url.startsWith('tls://')) auth.tls ??= {};
  return { url: split.url, auth };
}

/** The @nats-io connect options for a URL and its auth (credentials in the URL are honoured too). */
export function natsConnectOptions(opts: NatsBusOptions): ConnectionOptions {
  const { url, auth } = resolveAuth(opts);
  const co: ConnectionOptions = {
    servers: url,
    name: opts.name,
    timeout: opts.connectTimeoutMs ?? 5000,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
  };
  if (auth.user !== undefined)
    co.authenticator = usernamePasswordAuthenticator(auth.user, auth.password ?? '');
  else if (auth.token !== undefined) co.authenticator = tokenAuthenticator(auth.token);
  else if (auth.nkeySeed !== undefined)
    co.authenticator = nkeyAuthenticator(new TextEncoder().encode(auth.nkeySeed));
  else if (auth.creds !== undefined) co.authenticator = credsAuthenticator(auth.creds);
  if (auth.tls) {
    const t = auth.tls;
    co.tls = {
      ...(t.caFile ? { caFile: t.caFile } : {}),
      ...(t.certFile ? { certFile: t.certFile, keyFile: t.keyFile } : {}),
    };
  }
  return co;
}

export async function connectNats(opts: NatsBusOptions): Promise<Bus> {
  const co = natsConnectOptions(opts);
  const where = redactUrl(String(co.servers));
  const auth = describeNatsAuth(resolveAuth(opts).auth);
  let nc: NatsConnection;
  try {
    nc = await connect(co);
  } catch (e) {
    throw new CanopyError(
      'unavailable',
      `cannot connect to NATS at ${where} (auth: ${auth}): ${natsReason(e)}`,
      { cause: e },
    );
  }
  opts.logger.info({ url: where, auth, server: nc.info?.server_name }, 'connected to NATS');
  const bus = new NatsBus(nc);
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect' || s.type === 'reconnect') {
        bus.interruptions++;
        opts.logger.warn({ url: where, event: s.type }, `NATS ${s.type}`);
      }
      // Permission violations (a subject this user may not use) arrive asynchronously.
      if (s.type === 'error')
        opts.logger.error({ url: where, err: redactUrl(errorMessage(s.error)) }, 'NATS error');
    }
  })().catch(() => {});
  return bus;
}

function natsReason(e: unknown): string {
  const msg = redactUrl(errorMessage(e));
  const code = (e as { code?: string }).code;
  if (/ECONNREFUSED|CONNECTION_REFUSED/i.test(msg + code))
    return 'connection refused (is nats-server running there?)';
  if (/authorization violation|authentication/i.test(msg))
    return `${msg} (the server refused these credentials)`;
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
          if (err)
            return finish(
              new CanopyError('unavailable', `request on ${subject}: ${errorMessage(err)}`, { cause: err }),
            );
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
        () =>
          finish(new CanopyError('timeout', `no complete answer on ${subject} within ${opts.timeoutMs} ms`)),
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
