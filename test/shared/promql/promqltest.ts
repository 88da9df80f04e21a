// A small runner for Prometheus-style PromQL test scripts (promql/testdata/*.test):
//
//   load 5m
//     http_requests{job="api"} 0+10x10 _ stale 1 2
//   eval instant at 50m sum(http_requests)
//     {} 100
//   eval_ordered instant at 50m sort(http_requests)
//   eval_fail instant at 0m rate(x)
//     expected_fail_message <exact message>
//   eval range from 0 to 10m step 5m http_requests
//     http_requests{job="api"} 0 10 20
//   clear
//
// Values: `a+bxn` expands to a, a+b, …, a+n·b; `axn` repeats a n+1 times; `_` is a missing
// sample (`_xn` n+1 of them); `stale` a stale marker. Each eval becomes one node:test case.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStorage } from '../../../shared/memstore.ts';
import { labelsKey, normalizeLabels, formatLabels, type Labels } from '../../../shared/labels.ts';
import { isCanopyError } from '../../../shared/errors.ts';
import {
  Engine,
  parseMetricSelector,
  parseDurationMs,
  STALE_NAN,
  type EngineOptions,
} from '../../../shared/promql/index.ts';
import type { MatrixSeries, QueryValue } from '../../../shared/value.ts';

const MISSING = Symbol('missing');
type Val = number | typeof MISSING;

function parseNum(s: string): number {
  const l = s.toLowerCase();
  if (l === 'inf' || l === '+inf') return Infinity;
  if (l === '-inf') return -Infinity;
  if (l === 'nan') return NaN;
  if (l === 'stale') return STALE_NAN;
  const v = Number(s);
  if (Number.isNaN(v)) throw new Error(`bad number ${s}`);
  return v;
}

export function expandValues(tokens: string[]): Val[] {
  const out: Val[] = [];
  for (const tok of tokens) {
    const m = /^(_|[-+]?[^x]+?)(?:([-+])([^x+-]+))?x(\d+)$/.exec(tok);
    if (!m) {
      out.push(tok === '_' ? MISSING : parseNum(tok));
      continue;
    }
    const times = Number(m[4]);
    if (m[1] === '_') {
      for (let i = 0; i <= times; i++) out.push(MISSING);
      continue;
    }
    const start = parseNum(m[1]!);
    const step = m[2] ? (m[2] === '-' ? -1 : 1) * parseNum(m[3]!) : 0;
    for (let i = 0; i <= times; i++) out.push(start + i * step);
  }
  return out;
}

/** Splits `metric{a="b"} 1 2 3` into labels and value tokens. */
function parseSeriesLine(line: string): { labels: Labels; tokens: string[] } {
  let depth = 0,
    inStr = false,
    i = 0;
  for (; i < line.length; i++) {
    const c = line[i]!;
    if (inStr) {
      if (c === '\\') i++;
      else if (c === '"') inStr = false;
      continue;
    }
    if (c === '"') inStr = true;
    else if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (/\s/.test(c) && depth === 0) break;
  }
  const sel = line.slice(0, i);
  const tokens = line.slice(i).trim().split(/\s+/).filter(Boolean);
  if (sel === '{}') return { labels: [], tokens };
  const labels = normalizeLabels(parseMetricSelector(sel).map((m) => ({ name: m.name, value: m.value })));
  return { labels, tokens };
}

function dur(s: string): number {
  return /^-?\d+$/.test(s) ? Number(s) * 1000 : parseDurationMs(s);
}

function close(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  return Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(a), Math.abs(b)) || Math.abs(a - b) < 1e-12;
}

interface Expect {
  labels: Labels | null; // null: scalar
  values: Val[];
}

function show(v: QueryValue): string {
  switch (v.type) {
    case 'scalar':
      return `scalar ${v.f}`;
    case 'string':
      return `string ${v.s}`;
    case 'vector':
      return v.vector
        .map((s) => `${formatLabels(s.labels)} ${s.d ? `dist(count=${s.d.count})` : s.f}`)
        .join('\n');
    case 'matrix':
      return v.matrix
        .map((s) => `${formatLabels(s.labels)} ${s.points.map((p) => `${p.f}@${p.t}`).join(' ')}`)
        .join('\n');
  }
}

function checkInstant(v: QueryValue, exp: Expect[], ordered: boolean, at: number): void {
  if (exp.length === 1 && exp[0]!.labels === null) {
    assert.equal(v.type, 'scalar', `expected scalar, got:\n${show(v)}`);
    if (v.type === 'scalar')
      assert.ok(close(v.f, exp[0]!.values[0] as number), `scalar ${v.f} != ${String(exp[0]!.values[0])}`);
    return;
  }
  if (v.type === 'string') {
    assert.equal(v.s, (exp[0] as unknown as { str: string }).str);
    return;
  }
  assert.equal(v.type, 'vector', `expected vector, got:\n${show(v)}`);
  if (v.type !== 'vector') return;
  const msg = `got:\n${show(v)}\nexpected:\n${exp.map((e) => `${formatLabels(e.labels!)} ${String(e.values[0])}`).join('\n')}`;
  assert.equal(v.vector.length, exp.length, `result count ${msg}`);
  const byKey = new Map(v.vector.map((s, i) => [labelsKey(s.labels), i]));
  exp.forEach((e, j) => {
    const idx = byKey.get(labelsKey(e.labels!));
    assert.ok(idx !== undefined, `missing ${formatLabels(e.labels!)}; ${msg}`);
    if (ordered) assert.equal(idx, j, `order ${msg}`);
    const s = v.vector[idx!]!;
    assert.equal(s.t, at);
    const want = e.values[0] as number;
    assert.ok(close(s.d ? s.d.count : s.f, want), `value of ${formatLabels(e.labels!)}: ${msg}`);
  });
}

function checkRange(v: QueryValue, exp: Expect[], start: number, step: number): void {
  assert.equal(v.type, 'matrix');
  if (v.type !== 'matrix') return;
  const msg = `got:\n${show(v)}`;
  assert.equal(v.matrix.length, exp.length, `series count ${msg}`);
  for (const e of exp) {
    const s: MatrixSeries | undefined = v.matrix.find(
      (m) => labelsKey(m.labels) === labelsKey(e.labels ?? []),
    );
    if (!s) assert.fail(`missing ${formatLabels(e.labels ?? [])}; ${msg}`);
    const want: { t: number; f: number }[] = [];
    e.values.forEach((x, i) => {
      if (x !== MISSING) want.push({ t: start + i * step, f: x });
    });
    assert.equal(s.points.length, want.length, `points of ${formatLabels(s.labels)}: ${msg}`);
    s.points.forEach((p, i) => {
      assert.equal(p.t, want[i]!.t, `timestamp ${msg}`);
      assert.ok(
        close(p.f, want[i]!.f),
        `value at ${p.t} of ${formatLabels(s.labels)}: ${p.f} != ${want[i]!.f}; ${msg}`,
      );
    });
  }
}

/** Registers one test per eval command of the script. */
export function runScript(name: string, script: string, engineOpts: EngineOptions = {}): void {
  const engine = new Engine(engineOpts);
  let storage = new MemoryStorage();
  const lines = script.split('\n');
  for (let ln = 0; ln < lines.length; ln++) {
    const raw = lines[ln]!;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line === 'clear') {
      storage = new MemoryStorage();
      continue;
    }
    let m = /^load\s+(\S+)$/.exec(line);
    if (m) {
      const interval = dur(m[1]!);
      while (ln + 1 < lines.length && /^\s+\S/.test(lines[ln + 1]!)) {
        const { labels, tokens } = parseSeriesLine(lines[++ln]!.trim());
        expandValues(tokens).forEach((v, i) => {
          if (v !== MISSING) storage.add(labels, i * interval, v);
        });
      }
      continue;
    }
    const body: string[] = [];
    while (ln + 1 < lines.length && /^\s+\S/.test(lines[ln + 1]!)) body.push(lines[++ln]!.trim());
    const st = storage;
    const where = `${name}:${ln + 1 - body.length}`;
    m = /^eval(_ordered|_fail)?\s+instant\s+at\s+(\S+)\s+(.+)$/.exec(line);
    if (m) {
      const [, kind, atStr, expr] = m as unknown as [string, string | undefined, string, string];
      const at = dur(atStr);
      test(`${where} ${expr}`, async () => {
        if (kind === '_fail') {
          await assert.rejects(engine.instantQuery(st, expr, at), (e: unknown) => {
            assert.ok(isCanopyError(e), `not a CanopyError: ${String(e)}`);
            const fm = body.find((b) => b.startsWith('expected_fail_message '));
            if (fm) assert.equal(e.message, fm.slice('expected_fail_message '.length));
            const fc = body.find((b) => b.startsWith('expected_fail_code '));
            if (fc) assert.equal(e.code, fc.slice('expected_fail_code '.length));
            return true;
          });
          return;
        }
        const res = await engine.instantQuery(st, expr, at);
        const exp: Expect[] = body.map((b) => {
          if (/^"/.test(b)) return { labels: [], values: [], str: JSON.parse(b) } as unknown as Expect;
          if (!/[{}]/.test(b) && !/^[a-zA-Z_:]/.test(b.replace(/^[-+]?(inf|nan)$/i, '1')))
            return { labels: null, values: expandValues([b]) };
          const { labels, tokens } = parseSeriesLine(b);
          return { labels, values: expandValues(tokens) };
        });
        if (res.value.type === 'vector' && exp.length === 0) {
          assert.equal(res.value.vector.length, 0, `expected empty result, got:\n${show(res.value)}`);
          return;
        }
        checkInstant(res.value, exp, kind === '_ordered', at);
      });
      continue;
    }
    m = /^eval(_fail)?\s+range\s+from\s+(\S+)\s+to\s+(\S+)\s+step\s+(\S+)\s+(.+)$/.exec(line);
    if (m) {
      const [, kind, s, e, stp, expr] = m as unknown as [
        string,
        string | undefined,
        string,
        string,
        string,
        string,
      ];
      const start = dur(s),
        end = dur(e),
        step = dur(stp);
      test(`${where} range ${expr}`, async () => {
        if (kind === '_fail') {
          await assert.rejects(engine.rangeQuery(st, expr, start, end, step), (err: unknown) => {
            assert.ok(isCanopyError(err), `not a CanopyError: ${String(err)}`);
            const fm = body.find((b) => b.startsWith('expected_fail_message '));
            if (fm) assert.equal(err.message, fm.slice('expected_fail_message '.length));
            return true;
          });
          return;
        }
        const res = await engine.rangeQuery(st, expr, start, end, step);
        const exp: Expect[] = body.map((b) => {
          const { labels, tokens } = parseSeriesLine(b);
          return { labels, values: expandValues(tokens) };
        });
        checkRange(res.value, exp, start, step);
      });
      continue;
    }
    throw new Error(`${where}: cannot parse test script line: ${line}`);
  }
}
