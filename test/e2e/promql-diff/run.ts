// Runs generated expressions against a reference (Prometheus 2.42) and a Canopy endpoint (a
// zone or the root) and collects the differences (compare.ts). Each expression runs as instant
// queries at two of four times (all four for every 4th) and, every second one that is
// range-capable, as a range query; used by the root-vs-Prometheus differential.
import { compareAnswers, isSortedExpr, type Answer, type CompareOptions } from './compare.ts';
import type { GenExpr } from './exprs.ts';

export async function postQuery(base: string, path: string, params: Record<string, string>): Promise<Answer> {
  const r = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  });
  const text = await r.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = { status: 'unparseable', text: text.slice(0, 200) };
  }
  return { httpStatus: r.status, body };
}

export interface DiffJob {
  expr: string;
  path: '/api/v1/query' | '/api/v1/query_range';
  params: Record<string, string>;
}

/** The queries for `exprs` over data in [startMs, endMs]. */
export function diffJobs(
  exprs: GenExpr[],
  startMs: number,
  endMs: number,
  extra: Record<string, string> = {},
): DiffJob[] {
  const s = (ms: number): string => (ms / 1000).toFixed(3);
  // The last sample, off the sample grid mid-way, near the start (lookback cut off), 4 min after the end.
  const times = [endMs, endMs - 17 * 60_000 + 7_300, startMs + 3 * 60_000 + 500, endMs + 4 * 60_000];
  const jobs: DiffJob[] = [];
  exprs.forEach((e, i) => {
    for (let k = 0; k < times.length; k++)
      if (i % 4 === 0 || k === i % 4 || k === (i + 1) % 4)
        jobs.push({
          expr: e.expr,
          path: '/api/v1/query',
          params: { query: e.expr, time: s(times[k]!), ...extra },
        });
    if (e.range && i % 2 === 0) {
      const step = i % 6 === 0 ? 37_000 : 60_000;
      jobs.push({
        expr: e.expr,
        path: '/api/v1/query_range',
        params: {
          query: e.expr,
          start: s(startMs + 90_000),
          end: s(endMs + 120_000),
          step: String(step / 1000),
          ...extra,
        },
      });
    }
  });
  return jobs;
}

export interface DiffReport {
  compared: number;
  /** One line per differing query (error messages included): expression, where, what. */
  failures: string[];
  seconds: number;
}

/** Runs every job against both with `width` in flight; `reference` is Prometheus. */
export async function runDiff(
  reference: string,
  subject: string,
  jobs: DiffJob[],
  compare: CompareOptions = {},
  width = 6,
): Promise<DiffReport> {
  const failures: string[] = [];
  let compared = 0;
  let next = 0;
  const t0 = Date.now();
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < jobs.length) {
        const j = jobs[next++]!;
        const [pa, ca] = await Promise.all([
          postQuery(reference, j.path, j.params),
          postQuery(subject, j.path, j.params),
        ]);
        compared++;
        const d = compareAnswers(pa, ca, j.path === '/api/v1/query_range' || isSortedExpr(j.expr), compare);
        if (!d) continue;
        const where =
          j.path === '/api/v1/query'
            ? `instant @${j.params.time}`
            : `range ${j.params.start}..${j.params.end}/${j.params.step}`;
        failures.push(
          `${JSON.stringify(j.expr)} [${where}]: ${d.kind === 'message' ? '(message) ' : ''}${d.detail}`,
        );
      }
    }),
  );
  return { compared, failures, seconds: (Date.now() - t0) / 1000 };
}
