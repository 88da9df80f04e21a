// Shared by the benches that drive a Canopy zone and Prometheus 2.42 side by side with
// remote_write (bench/tsdb-vs-prometheus.bench.ts, bench/churn-vs-prometheus.bench.ts): the
// WriteRequest encoder, an HTTP poster, /proc readings and block directory statistics.
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import snappy from 'snappy';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export function field(tag: number, payload: Buffer): Buffer {
  const len: number[] = [];
  let n = payload.length;
  while (n >= 0x80) {
    len.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  len.push(n);
  return Buffer.concat([Buffer.from([tag, ...len]), payload]);
}

/** A snappy-compressed WriteRequest of series [first, end) × one sample each; buf is scratch. */
export function encode(
  d: { labelBytes: Buffer[] },
  ts: Float64Array,
  vs: Float64Array,
  first: number,
  end: number,
  buf: Buffer,
): Buffer {
  let off = 0;
  for (let i = first; i < end; i++) {
    const t = ts[i]!;
    const lb = d.labelBytes[i]!;
    // TimeSeries: labels, then Sample{value (1, fixed64), timestamp (2, varint)}.
    let tv = t,
      tl = 0;
    while (tv >= 0x80) {
      tv = Math.floor(tv / 128);
      tl++;
    }
    const sampleLen = 1 + 8 + 1 + tl + 1;
    let n = lb.length + 2 + sampleLen;
    buf[off++] = 0x0a;
    while (n >= 0x80) {
      buf[off++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    buf[off++] = n;
    lb.copy(buf, off);
    off += lb.length;
    buf[off++] = 0x12;
    buf[off++] = sampleLen;
    buf[off++] = 0x09;
    buf.writeDoubleLE(vs[i]!, off);
    off += 8;
    buf[off++] = 0x10;
    tv = t;
    while (tv >= 0x80) {
      buf[off++] = (tv % 128) | 0x80;
      tv = Math.floor(tv / 128);
    }
    buf[off++] = tv;
  }
  return snappy.compressSync(buf.subarray(0, off));
}

/** A remote_write POST over a keep-alive agent of `concurrency` sockets. */
export function poster(concurrency: number): {
  agent: Agent;
  post(url: URL, body: Buffer): Promise<{ status: number; text: string }>;
} {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const post = (url: URL, body: Buffer): Promise<{ status: number; text: string }> =>
    new Promise((res, rej) => {
      const req = httpRequest(
        {
          agent,
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: {
            'content-type': 'application/x-protobuf',
            'content-encoding': 'snappy',
            'x-prometheus-remote-write-version': '0.1.0',
            'content-length': body.length,
          },
        },
        (r) => {
          const parts: Buffer[] = [];
          r.on('data', (c: Buffer) => parts.push(c));
          r.on('end', () => res({ status: r.statusCode ?? 0, text: Buffer.concat(parts).toString() }));
        },
      );
      req.on('error', rej);
      req.end(body);
    });
  return { agent, post };
}

export function rss(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

export function cpuSeconds(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) / 100; // utime + stime in clock ticks (USER_HZ 100)
}

export function dirBytes(p: string): number {
  const st = statSync(p);
  if (!st.isDirectory()) return st.size;
  let n = 0;
  for (const e of readdirSync(p)) n += dirBytes(join(p, e));
  return n;
}

export interface Blocks {
  blocks: number;
  samples: number;
  bytes: number;
  indexBytes: number;
}

/** Blocks under dir (directories holding meta.json), from their meta.json and file sizes. */
export function blocks(dir: string): Blocks {
  const out: Blocks = { blocks: 0, samples: 0, bytes: 0, indexBytes: 0 };
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name.endsWith('.tmp') || !existsSync(join(p, 'meta.json'))) continue;
    const meta = JSON.parse(readFileSync(join(p, 'meta.json'), 'utf8'));
    out.blocks++;
    out.samples += meta.stats.numSamples;
    out.bytes += dirBytes(p);
    out.indexBytes += statSync(join(p, 'index')).size;
  }
  return out;
}

export async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}

export async function waitUntil(fn: () => Promise<boolean> | boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await fn()) return true;
    await new Promise((r) => setTimeout(r, 2000));
  }
  return false;
}

export function stop(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
  return new Promise((r) => {
    p.once('exit', () => r());
    process.kill(p.pid!, 'SIGTERM');
    setTimeout(() => p.exitCode === null && p.kill('SIGKILL'), 20_000).unref();
  });
}

export function spawnLogged(
  cmd: string,
  args: string[],
  logFile: string,
  env: Record<string, string> = {},
): ChildProcess {
  const p = spawn(cmd, args, {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  const lines: string[] = [];
  const on = (b: Buffer): void => void lines.push(b.toString());
  p.stdout!.on('data', on);
  p.stderr!.on('data', on);
  p.once('exit', () => writeFileSync(logFile, lines.join('')));
  return p;
}
