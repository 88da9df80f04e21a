// RangeCache (zone/objstore/range-cache.ts): LRU eviction to the byte bound, pinned entries kept
// until unpinned, crash leftovers and foreign files deleted at start, entries kept across a
// restart in mtime (LRU) order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RangeCache } from '../../../zone/objstore/range-cache.ts';
import { silentLogger } from '../../../shared/log.ts';

const U = '01M9000000000000000000000A';
const k = (e: string): string => `${U}/${e}`;

test('range cache: LRU to the bound, pins, restart, leftovers', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'range-cache-'));
  try {
    const c = new RangeCache(dir, 300, silentLogger());
    for (const e of ['c1-0', 'c1-1', 'c1-2']) await c.put(k(e), new Uint8Array(100));
    assert.equal(c.stats.bytes, 300);
    assert.ok(c.readSync(k('c1-0'))); // c1-0 is now the most recent
    c.pin(k('c1-1'));
    await c.put(k('c1-3'), new Uint8Array(100)); // over by 100: c1-1 is pinned, c1-2 goes
    assert.deepEqual(
      ['c1-0', 'c1-1', 'c1-2', 'c1-3'].map((e) => c.has(k(e))),
      [true, true, false, true],
    );
    assert.equal(c.readSync(k('c1-2')), null);
    assert.equal(c.stats.misses, 1);
    await c.put(k('index'), new Uint8Array(150)); // the unpinned least recently used go: c1-0, c1-3
    assert.deepEqual(
      ['c1-0', 'c1-1', 'c1-3', 'index'].map((e) => c.has(k(e))),
      [false, true, false, true],
    );
    assert.equal(c.stats.bytes, 250);
    c.pin(k('index'));
    c.pin(k('c1-4')); // pinned before it is written, as a querier's prefetch does
    await c.put(k('c1-4'), new Uint8Array(100));
    assert.equal(c.stats.bytes, 350, 'over the bound while pins hold every entry');
    c.unpin(k('c1-1'));
    c.unpin(k('index'));
    c.unpin(k('c1-4'));
    c.evict();
    assert.deepEqual(
      ['c1-1', 'index', 'c1-4'].map((e) => c.has(k(e))),
      [false, true, true],
      'back under the bound, least recently used first',
    );
    assert.equal(c.stats.bytes, 250);
    assert.equal(c.diskBytes(), 250);
    assert.throws(() => c.mustReadSync(k('c1-1'), 'test'), /not fetched \(test\)/);

    // Restart: entries back in mtime order; tmp files, foreign names and old whole-block dirs deleted.
    utimesSync(join(dir, U, 'c1-4'), new Date(2000), new Date(2000));
    utimesSync(join(dir, U, 'index'), new Date(1000), new Date(1000)); // oldest
    writeFileSync(join(dir, U, 'c1-9.tmp-3'), 'x');
    mkdirSync(join(dir, `${U}-lx2k`), { recursive: true });
    writeFileSync(join(dir, 'junk'), 'x');
    const c2 = new RangeCache(dir, 300, silentLogger());
    assert.equal(c2.stats.entries, 2);
    assert.ok(
      !existsSync(join(dir, U, 'c1-9.tmp-3')) &&
        !existsSync(join(dir, `${U}-lx2k`)) &&
        !existsSync(join(dir, 'junk')),
    );
    await c2.put(k('c1-6'), new Uint8Array(100)); // 350 > 300: the oldest (index, by mtime) goes
    assert.deepEqual(
      ['index', 'c1-4', 'c1-6'].map((e) => c2.has(k(e))),
      [false, true, true],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
