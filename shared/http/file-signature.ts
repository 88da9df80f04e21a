// A cheap "did these files change?" check: each file's mtime, size and inode, joined. Used to
// re-read a web config (per request / connection) or rebuild a TLS agent only when needed.
import { stat } from 'node:fs/promises';
import { statSync } from 'node:fs';

function part(st: { mtimeMs: number; size: number; ino: number } | undefined): string {
  return st ? `${st.mtimeMs}:${st.size}:${st.ino}` : 'missing';
}

export async function fileSignature(files: readonly string[]): Promise<string> {
  const parts = await Promise.all(files.map((f) => stat(f).then(part, () => 'missing')));
  return parts.join('|');
}

export function fileSignatureSync(files: readonly string[]): string {
  return files.map((f) => part(statSync(f, { throwIfNoEntry: false }))).join('|');
}
