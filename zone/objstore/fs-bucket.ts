// FILESYSTEM bucket: objects are files under a directory (Thanos's filesystem objstore), for
// local use and `canopy up`. Writes go to "<name>.tmp-<pid>" and are renamed into place, so a
// reader never sees a half-written object.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { CanopyError } from '../../shared/errors.ts';
import { ioError, type Bucket, type ObjectInfo } from './bucket.ts';

function isNotFound(e: unknown): boolean {
  return (e as NodeJS.ErrnoException)?.code === 'ENOENT';
}

export class FsBucket implements Bucket {
  readonly description: string;
  constructor(private readonly dir: string) {
    this.description = `FILESYSTEM ${dir}`;
  }

  private path(name: string): string {
    if (name === '' || name.split('/').some((p) => p === '..' || p === '.' || p === ''))
      throw new CanopyError('bad_data', `cannot use object name "${name}"`);
    return join(this.dir, ...name.split('/'));
  }

  async get(name: string): Promise<Buffer | null> {
    try {
      return await readFile(this.path(name));
    } catch (e) {
      if (isNotFound(e)) return null;
      throw ioError('get', name, e);
    }
  }

  async getRange(name: string, offset: number, length: number): Promise<Buffer> {
    let fh;
    try {
      fh = await open(this.path(name), 'r');
    } catch (e) {
      if (isNotFound(e)) throw new CanopyError('not_found', `cannot read object ${name}: not found`);
      throw ioError('get', name, e);
    }
    try {
      const buf = Buffer.allocUnsafe(length);
      const { bytesRead } = await fh.read(buf, 0, length, offset);
      return buf.subarray(0, bytesRead);
    } catch (e) {
      throw ioError('get', name, e);
    } finally {
      await fh.close();
    }
  }

  private async write(name: string, fill: (tmp: string) => Promise<void>): Promise<void> {
    const p = this.path(name);
    const tmp = `${p}.tmp-${process.pid}`;
    try {
      await mkdir(dirname(p), { recursive: true });
      await fill(tmp);
      await rename(tmp, p);
    } catch (e) {
      await rm(tmp, { force: true });
      throw ioError('upload', name, e);
    }
  }

  upload(name: string, file: string): Promise<void> {
    return this.write(name, (tmp) => pipeline(createReadStream(file), createWriteStream(tmp)));
  }

  put(name: string, body: Uint8Array): Promise<void> {
    return this.write(name, (tmp) => writeFile(tmp, body));
  }

  async exists(name: string): Promise<boolean> {
    try {
      return (await stat(this.path(name))).isFile();
    } catch (e) {
      if (isNotFound(e)) return false;
      throw ioError('stat', name, e);
    }
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    const out: ObjectInfo[] = [];
    const walk = async (d: string): Promise<void> => {
      let ents;
      try {
        ents = await readdir(d, { withFileTypes: true });
      } catch (e) {
        if (isNotFound(e)) return;
        throw ioError('list', prefix, e);
      }
      for (const e of ents) {
        const p = join(d, e.name);
        if (e.isDirectory()) await walk(p);
        else if (e.isFile() && !/\.tmp-\d+$/.test(e.name)) {
          const name = relative(this.dir, p).split(sep).join('/');
          if (name.startsWith(prefix)) out.push({ name, sizeBytes: (await stat(p)).size });
        }
      }
    };
    await walk(this.dir);
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async delete(name: string): Promise<void> {
    try {
      await rm(this.path(name), { force: true });
    } catch (e) {
      throw ioError('delete', name, e);
    }
  }

  close(): void {}
}
