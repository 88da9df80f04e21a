// What the ingest handlers share: their options, the framework-free response shape, header
// lookup, and committing one request's appender (mapping storage failures to HTTP statuses).
import type { Appender, Storage } from '../../shared/storage.ts';
import type { Logger } from '../../shared/log.ts';
import { CanopyError, errorMessage } from '../../shared/errors.ts';
import type { IngestMetrics, IngestPath } from './ingest-metrics.ts';
import type { Tenants } from './tenants.ts';
import type { DropTally } from './drop-tally.ts';

export interface IngestResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export type IngestHeaders = Record<string, string | string[] | undefined>;

export interface IngestOptions {
  storage: Storage;
  /** Each tenant's limits and active-series state: one per zone, shared by all paths. */
  tenants: Tenants;
  logger: Logger;
  metrics: IngestMetrics;
  /** Clock for the future-timestamp check, ms. Default Date.now. */
  now?: () => number;
  /** Largest body accepted, after snappy decoding for remote_write. Default 64 MiB. */
  maxBodyBytes?: number;
}

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

/** Header value by case-insensitive name; the first when repeated. */
export function header(headers: IngestHeaders, name: string): string | undefined {
  let v = headers[name];
  if (v === undefined) {
    const lower = name.toLowerCase();
    for (const k of Object.keys(headers)) if (k.toLowerCase() === lower) v = headers[k];
  }
  return Array.isArray(v) ? v[0] : v;
}

export type CommitOutcome = { ok: true; accepted: number } | { ok: false; status: number; message: string };

/**
 * Commits the appender (or rolls it back when nothing was appended) and folds the storage's
 * rejections into the tally. A commit that throws means nothing is known to be durable:
 * 503 for CanopyError unavailable/io (the sender retries), 429 for limit_exceeded, else 500.
 */
export async function commitBatch(
  app: Appender,
  appended: number,
  tally: DropTally,
  log: Logger,
): Promise<CommitOutcome> {
  if (appended === 0) {
    app.rollback();
    return { ok: true, accepted: 0 };
  }
  try {
    const res = await app.commit();
    tally.addResult(res);
    return { ok: true, accepted: res.accepted };
  } catch (e) {
    const code = e instanceof CanopyError ? e.code : 'internal';
    const status = code === 'unavailable' || code === 'io' ? 503 : code === 'limit_exceeded' ? 429 : 500;
    log.warn({ err: e, status }, 'ingest: storage commit failed');
    return { ok: false, status, message: `cannot commit samples: ${errorMessage(e)}` };
  }
}

/** Counts accepted samples in the metrics and the tenant's usage. */
export function countIngested(
  opts: Pick<IngestOptions, 'metrics' | 'tenants'>,
  path: IngestPath,
  tenant: string,
  n: number,
): void {
  opts.metrics.ingested(path, n, tenant);
  opts.tenants.recordIngested(tenant, n);
}
