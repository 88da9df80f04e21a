// In-process Bus: the same interface and subject semantics as NATS (`*` matches one token,
// `>` the rest) for processes that host the root and the zones together when no nats-server
// is installed. Delivery is asynchronous (queueMicrotask) like a network hop.
import { CanopyError } from '../errors.ts';
import type { Bus, BusMessage, RequestStreamOptions, Subscription } from './bus.ts';

interface Sub {
  pattern: string[];
  handler: (m: BusMessage) => void;
}

function matches(pattern: string[], subject: string[]): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    if (p === '>') return subject.length > i;
    if (i >= subject.length || (p !== '*' && p !== subject[i])) return false;
  }
  return pattern.length === subject.length;
}

export class MemoryBus implements Bus {
  readonly kind = 'memory' as const;
  private readonly subs = new Set<Sub>();
  private inboxSeq = 0;

  publish(subject: string, data: Uint8Array, reply?: string): void {
    const tokens = subject.split('.');
    for (const s of this.subs) {
      if (!matches(s.pattern, tokens)) continue;
      const copy = data.slice();
      queueMicrotask(() =>
        s.handler({
          subject,
          data: copy,
          respond: (d) => {
            if (reply) this.publish(reply, d);
          },
        }),
      );
    }
  }

  subscribe(subject: string, handler: (m: BusMessage) => void): Subscription {
    const sub: Sub = { pattern: subject.split('.'), handler };
    this.subs.add(sub);
    return { unsubscribe: () => void this.subs.delete(sub) };
  }

  requestStream(subject: string, data: Uint8Array, opts: RequestStreamOptions): Promise<void> {
    return new Promise((resolve, reject) => {
      const inbox = `_INBOX.mem.${++this.inboxSeq}`;
      let settled = false;
      const finish = (err?: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        sub.unsubscribe();
        if (err) reject(err);
        else resolve();
      };
      const sub = this.subscribe(inbox, (m) => {
        if (settled) return;
        try {
          if (opts.onReply(m.data)) finish();
        } catch (e) {
          finish(e as Error);
        }
      });
      const timer = setTimeout(
        () =>
          finish(new CanopyError('timeout', `no complete answer on ${subject} within ${opts.timeoutMs} ms`)),
        opts.timeoutMs,
      );
      opts.signal?.addEventListener('abort', () =>
        finish(new CanopyError('canceled', `request on ${subject} canceled`)),
      );
      this.publish(subject, data, inbox);
    });
  }

  /** Deliveries are microtasks queued at publish: all of them have run before setImmediate. */
  flush(): Promise<void> {
    return new Promise((r) => setImmediate(r));
  }

  epoch(): number {
    return 0;
  }

  maxPayloadBytes(): number {
    return 1024 * 1024;
  }

  async close(): Promise<void> {
    this.subs.clear();
  }
}
