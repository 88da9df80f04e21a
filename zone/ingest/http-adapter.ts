// node:http glue for the ingest handlers, for the zone's HTTP server: read a request body
// with a size cap, and write an IngestResponse. The handlers themselves stay framework-free.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CanopyError } from '../../shared/errors.ts';

/**
 * Reads the whole body; rejects with CanopyError('limit_exceeded') (answer 413) as soon as it
 * exceeds maxBytes — by Content-Length before reading, or while streaming — and destroys
 * the stream so the rest is not buffered.
 */
export async function readRequestBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > maxBytes) {
    req.resume();
    throw new CanopyError('limit_exceeded', `request body of ${declared} bytes exceeds ${maxBytes}`, {
      fields: { sizeBytes: declared, maxBytes },
    });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      req.destroy();
      throw new CanopyError('limit_exceeded', `request body exceeds ${maxBytes} bytes`, {
        fields: { maxBytes },
      });
    }
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
}

export function writeIngestResponse(
  res: ServerResponse,
  r: { status: number; headers?: Record<string, string>; body?: string },
): void {
  res.writeHead(r.status, r.headers);
  res.end(r.body);
}
