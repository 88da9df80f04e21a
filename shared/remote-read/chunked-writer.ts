// Frames of a STREAMED_XOR_CHUNKS remote-read answer (prometheus storage/remote/chunked.go):
//   uvarint length of the message | CRC32C (Castagnoli) of the message, 4 bytes big-endian |
//   the message (a ChunkedReadResponse).
// Frames are appended into one list the caller sends as the body.
import { crc32c } from '../crc32c.ts';

export class ChunkedWriter {
  private readonly parts: Uint8Array[] = [];
  private size = 0;

  get sizeBytes(): number {
    return this.size;
  }

  write(msg: Uint8Array): void {
    if (msg.length === 0) return;
    const head: number[] = [];
    let n = msg.length;
    while (n >= 0x80) {
      head.push((n & 0x7f) | 0x80);
      n >>>= 7;
    }
    head.push(n);
    const crc = crc32c(msg);
    head.push(crc >>> 24, (crc >>> 16) & 0xff, (crc >>> 8) & 0xff, crc & 0xff);
    this.parts.push(Uint8Array.from(head), msg);
    this.size += head.length + msg.length;
  }

  body(): Buffer {
    return Buffer.concat(this.parts, this.size);
  }
}

/** Splits a chunked body back into messages, checking every CRC (for tests and clients). */
export function readFrames(body: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let i = 0;
  while (i < body.length) {
    let len = 0;
    let shift = 0;
    for (;;) {
      if (i >= body.length) throw new Error('cannot read frame: truncated length');
      const b = body[i++]!;
      len += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (b < 0x80) break;
    }
    if (i + 4 + len > body.length)
      throw new Error(`cannot read frame: ${len} bytes announced, ${body.length - i - 4} left`);
    const want = ((body[i]! << 24) | (body[i + 1]! << 16) | (body[i + 2]! << 8) | body[i + 3]!) >>> 0;
    const msg = body.subarray(i + 4, i + 4 + len);
    if (crc32c(msg) !== want) throw new Error('cannot read frame: checksum mismatch');
    out.push(msg);
    i += 4 + len;
  }
  return out;
}
