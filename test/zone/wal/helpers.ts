// Test fixtures for the WAL: a recording replay handler and a temp dir factory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Labels } from '../../../shared/labels.ts';
import type { Distribution } from '../../../shared/distribution.ts';
import type { WalReplayHandler } from '../../../zone/wal/index.ts';

export interface Got {
  series: [number, Labels][];
  samples: [number, number, number][];
  dists: [number, number, Distribution][];
}

export function recorder(): WalReplayHandler & { got: Got } {
  const got: Got = { series: [], samples: [], dists: [] };
  return {
    got,
    series: (ref, labels) => void got.series.push([ref, labels]),
    samples: (refs, ts, vs, n) => {
      for (let i = 0; i < n; i++) got.samples.push([refs[i]!, ts[i]!, vs[i]!]);
    },
    distribution: (ref, t, d) => void got.dists.push([ref, t, d]),
  };
}

export function tempDir(t: { after(fn: () => void): void }): string {
  const d = mkdtempSync(join(tmpdir(), 'canopy-wal-'));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

export function lbls(name: string, extra: Record<string, string> = {}): Labels {
  return [
    { name: '__name__', value: name },
    ...Object.entries(extra).map(([n, v]) => ({ name: n, value: v })),
  ].sort((a, b) => (a.name < b.name ? -1 : 1));
}
