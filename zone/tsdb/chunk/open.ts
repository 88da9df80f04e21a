// Opens a cursor over encoded chunk bytes of any known encoding.
import { CanopyError } from '../../../shared/errors.ts';
import { ChunkEncoding, type ChunkCursor } from './encoding.ts';
import { XorCursor } from './xor.ts';
import { DecimalCursor } from './decimal.ts';
import { DistributionCursor } from './distribution.ts';

export function openChunkCursor(encoding: number, bytes: Uint8Array): ChunkCursor {
  switch (encoding) {
    case ChunkEncoding.Xor:
      return new XorCursor(bytes);
    case ChunkEncoding.Decimal:
      return new DecimalCursor(bytes);
    case ChunkEncoding.Distribution:
      return new DistributionCursor(bytes);
    default:
      throw new CanopyError('corrupt', `cannot open chunk: unknown encoding ${encoding}`);
  }
}
