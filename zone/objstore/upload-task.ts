// Block file uploads as a compaction-worker task (zone/tsdb/compactor.ts runTask): the bucket
// client's work (S3 request signing and checksums, stream copies) runs on the worker's thread,
// not the zone's request thread. The shipper keeps the bookkeeping (bucket index, meta.json,
// deletions) on the request thread and hands this one file at a time.
import { openBucket, type Bucket } from './bucket.ts';
import type { ObjectStoreConfig } from './config.ts';

export interface UploadFileArgs {
  objectStore: ObjectStoreConfig;
  name: string;
  path: string;
}

/** Buckets opened in this worker, by config (the worker stops when idle; they go with it). */
const buckets = new Map<string, Bucket>();

/** Uploads the local file at args.path as object args.name (the task's exported function). */
export async function uploadFile(args: UploadFileArgs): Promise<null> {
  const key = JSON.stringify(args.objectStore);
  let b = buckets.get(key);
  if (!b) buckets.set(key, (b = openBucket(args.objectStore)));
  await b.upload(args.name, args.path);
  return null;
}

/** Where the worker loads this module from: the source under tsx, the bundle entry in dist/. */
export const UPLOAD_TASK_MODULE: string = import.meta.url.endsWith('.ts')
  ? import.meta.url
  : new URL('./upload-task.js', import.meta.url).href;
