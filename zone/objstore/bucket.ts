// The Bucket interface: the few object operations the zone needs (as Thanos's objstore.Bucket),
// with one implementation per backend (s3-bucket.ts, fs-bucket.ts). Object names are
// '/'-separated paths ("<ulid>/chunks/000001"). Reads of a missing object return null (get) or
// throw CanopyError('not_found') (getRange); every other failure is CanopyError('io') with the
// object name and the cause.
import { CanopyError } from '../../shared/errors.ts';
import type { ObjectStoreConfig } from './config.ts';
import { FsBucket } from './fs-bucket.ts';
import { S3Bucket } from './s3-bucket.ts';

export interface ObjectInfo {
  name: string;
  sizeBytes: number;
}

export interface Bucket {
  /** Whole object, or null when it does not exist. */
  get(name: string): Promise<Buffer | null>;
  /** `length` bytes from `offset` (fewer at the end of the object). */
  getRange(name: string, offset: number, length: number): Promise<Buffer>;
  /** Writes an object from a local file (streamed), replacing any object of that name. */
  upload(name: string, file: string): Promise<void>;
  /** Writes an object from memory. */
  put(name: string, body: Uint8Array): Promise<void>;
  exists(name: string): Promise<boolean>;
  /** Every object whose name starts with prefix (all pages), in name order. */
  list(prefix: string): Promise<ObjectInfo[]>;
  /** Deletes an object; deleting a missing object is not an error. */
  delete(name: string): Promise<void>;
  /** Printable name without secrets, for logs. */
  readonly description: string;
  close(): void;
}

export function openBucket(c: ObjectStoreConfig): Bucket {
  switch (c.type) {
    case 'FILESYSTEM':
      return new FsBucket(c.directory);
    case 'S3':
      return new S3Bucket(c);
  }
}

export function ioError(op: string, name: string, e: unknown): CanopyError {
  return new CanopyError('io', `cannot ${op} object ${name}: ${e instanceof Error ? e.message : String(e)}`, {
    cause: e,
    fields: { object: name },
  });
}
