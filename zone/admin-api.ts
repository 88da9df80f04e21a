// The zone's TSDB admin API, off unless `--web.enable-admin-api` (or `admin_api: true`), as in
// Prometheus. Disabled, every admin route answers as Prometheus 2.42 does: 503
// {"status":"error","errorType":"unavailable","error":"admin APIs disabled"}.
//
// Enabled:
//   POST|PUT /api/v1/admin/tsdb/snapshot   writes the head and every block under
//            <data dir>/snapshots/<time>-<random>; answers {"name": …}. Bounded: before writing,
//            the snapshot's size is estimated (blocks on disk + the head's in-memory size, an upper
//            bound of what the head takes as blocks) and refused (503) when the snapshots kept would
//            exceed max_size or the data dir's free space; after writing, only the newest max_count
//            snapshots are kept (older ones deleted).
//   POST|PUT /api/v1/admin/tsdb/compact    one compaction pass now: cuts the head's complete block
//            ranges, merges blocks, writes due rollups (5m, 1h), applies retention and runs the
//            post-compaction tasks (TSDB.addPostCompactionTask: the object-store upload); answers
//            when done with {"written": [{ulid, minTime, maxTime, resolution}…], "durationMs"}.
//   delete_series, clean_tombstones        501: Canopy's TSDB has no tombstones (yet).
import { randomBytes } from 'node:crypto';
import { readdir, rm, stat, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage } from '../shared/errors.ts';
import { apiErrorResponse, json, type HttpResponse, type HttpServer } from '../shared/http/index.ts';
import type { Logger } from '../shared/log.ts';
import { blockResolution, type TSDB } from './tsdb/index.ts';

export interface SnapshotLimits {
  /** Snapshots kept; the oldest beyond this are deleted after a new one is written. */
  maxCount: number;
  /** Bytes all snapshots may take together; 0 = bounded by the free disk space only. */
  maxBytes: number;
}

export interface AdminApiOptions {
  enabled: boolean;
  /** Absent with memory storage: the snapshot answers 503. */
  tsdb?: TSDB;
  dataDir: string;
  limits: SnapshotLimits;
  logger: Logger;
}

const DISABLED = apiErrorResponse(503, 'unavailable', 'admin APIs disabled');

export function mountAdminApi(http: HttpServer, o: AdminApiOptions): void {
  let busy = false;
  http.route(['POST', 'PUT'], '/api/v1/admin/tsdb/snapshot', async (req) => {
    if (!o.enabled) return DISABLED;
    if (!o.tsdb)
      return apiErrorResponse(
        503,
        'unavailable',
        'snapshots need the tsdb storage (this zone runs with storage: memory)',
      );
    if (req.params.get('skip_head') === 'true')
      return apiErrorResponse(
        400,
        'bad_data',
        'skip_head=true is not supported: a Canopy snapshot always includes the head',
      );
    if (busy) return apiErrorResponse(503, 'unavailable', 'a snapshot is already being written');
    busy = true;
    try {
      return await snapshot(o.tsdb, o.dataDir, o.limits, o.logger);
    } finally {
      busy = false;
    }
  });
  http.route(['POST', 'PUT'], '/api/v1/admin/tsdb/compact', async () => {
    if (!o.enabled) return DISABLED;
    if (!o.tsdb)
      return apiErrorResponse(
        503,
        'unavailable',
        'compaction needs the tsdb storage (this zone runs with storage: memory)',
      );
    const started = performance.now();
    try {
      const { written } = await o.tsdb.compactNow();
      const data = {
        written: written.map((m) => ({
          ulid: m.ulid,
          minTime: m.minTime,
          maxTime: m.maxTime,
          resolution: blockResolution(m),
        })),
        durationMs: Math.round(performance.now() - started),
      };
      o.logger.info(
        { blocks: data.written.length, durationMs: data.durationMs },
        'compaction pass run by the admin API',
      );
      return json(200, { status: 'success', data });
    } catch (e) {
      return apiErrorResponse(500, 'internal', `compact: ${errorMessage(e)}`);
    }
  });
  for (const name of ['delete_series', 'clean_tombstones']) {
    http.route(['POST', 'PUT'], `/api/v1/admin/tsdb/${name}`, () =>
      o.enabled
        ? apiErrorResponse(
            501,
            'internal',
            `${name} is not supported: Canopy's TSDB has no tombstones; series leave by retention`,
          )
        : DISABLED,
    );
  }
}

async function snapshot(
  tsdb: TSDB,
  dataDir: string,
  limits: SnapshotLimits,
  log: Logger,
): Promise<HttpResponse> {
  const dir = join(dataDir, 'snapshots');
  const refuse = (msg: string): HttpResponse =>
    apiErrorResponse(503, 'unavailable', `cannot create snapshot: ${msg}`);
  const s = tsdb.stats();
  const estimate = s.blockBytes + s.headMemoryBytes;
  const kept = await listSnapshots(dir);
  // the ones that stay once the new snapshot is in and the oldest beyond max_count are gone
  const staying = kept.slice(Math.max(0, kept.length - (limits.maxCount - 1)));
  const stayingBytes = staying.reduce((n, k) => n + k.bytes, 0);
  if (limits.maxBytes > 0 && stayingBytes + estimate > limits.maxBytes) {
    return refuse(
      `the snapshots kept (${stayingBytes} bytes) and this one (about ${estimate} bytes) would exceed the bound of ${limits.maxBytes} bytes (snapshot.max_size / --snapshot.max-size)`,
    );
  }
  try {
    const fs = await statfs(dataDir);
    const free = fs.bavail * fs.bsize;
    if (estimate > free) return refuse(`about ${estimate} bytes needed, ${free} bytes free on the data disk`);
  } catch {
    // statfs unavailable: the byte bound above still applies
  }
  const name = `${new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}-${randomBytes(8).toString('hex')}`;
  try {
    await tsdb.snapshot(join(dir, name));
  } catch (e) {
    await rm(join(dir, name), { recursive: true, force: true });
    return apiErrorResponse(500, 'internal', `create snapshot: ${errorMessage(e)}`);
  }
  const drop = kept.slice(0, Math.max(0, kept.length - (limits.maxCount - 1)));
  for (const d of drop) await rm(join(dir, d.name), { recursive: true, force: true });
  if (drop.length > 0)
    log.info({ deleted: drop.map((d) => d.name), maxCount: limits.maxCount }, 'old snapshots deleted');
  return json(200, { status: 'success', data: { name } });
}

/** Existing snapshots, oldest first (names start with their UTC time), with their sizes. */
async function listSnapshots(dir: string): Promise<{ name: string; bytes: number }[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch {
    return [];
  }
  return Promise.all(names.map(async (name) => ({ name, bytes: await treeBytes(join(dir, name)) })));
}

async function treeBytes(p: string): Promise<number> {
  const st = await stat(p);
  if (!st.isDirectory()) return st.size;
  let n = 0;
  for (const e of await readdir(p)) n += await treeBytes(join(p, e));
  return n;
}
