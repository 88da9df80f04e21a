// Free loopback ports, and waiting for a port or an HTTP endpoint to come up.
import { createServer, connect } from 'node:net';

/**
 * Ports handed out are drawn at random below Linux's ephemeral range (32768+), so an outgoing
 * connection of any process cannot take one between this check and the child's listen (the
 * kernel's bind(0) picks from that range, shared with every client socket); bind(0) is the
 * fallback.
 */
const RANDOM_PORTS = { from: 20_000, to: 32_767 };
const handedOut = new Set<number>();

export async function freePort(host = '127.0.0.1'): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = RANDOM_PORTS.from + Math.floor(Math.random() * (RANDOM_PORTS.to - RANDOM_PORTS.from + 1));
    if (handedOut.has(port)) continue;
    if (await portFree(host, port)) {
      handedOut.add(port);
      return port;
    }
  }
  return kernelPort(host);
}

function kernelPort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function portFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, host, () => s.close(() => resolve(true)));
  });
}

/** Replaces a :0 port with a free one; a configured port that is taken is replaced too (onBusy says so). */
export async function resolveHostPort(
  hostPort: string,
  onBusy?: (hostPort: string) => void,
): Promise<string> {
  const i = hostPort.lastIndexOf(':');
  const host = hostPort.slice(0, i) || '127.0.0.1';
  const bare = host.replace(/^\[|\]$/g, '');
  const port = Number(hostPort.slice(i + 1));
  if (port !== 0 && (await portFree(bare, port))) return `${host}:${port}`;
  if (port !== 0) onBusy?.(hostPort);
  return `${host}:${await freePort(bare)}`;
}

export async function waitForPort(host: string, port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, host);
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

/** A GET that can carry credentials and a CA (shared/http HttpClient.fetch); the global fetch by default. */
export type Get = (url: string, init: { signal: AbortSignal }) => Promise<{ ok: boolean }>;

export async function waitForHttp(url: string, timeoutMs: number, get: Get = fetch): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const r = await get(url, { signal: AbortSignal.timeout(1000) });
      if (r.ok) return true;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}
