// Differential syntax test: every token of TOKENS put into every context of CONTEXTS gives a
// small query; Prometheus 2.42 (its /api/v1/query) and Canopy (parseExpr, and the zone's
// /api/v1/query) must agree on whether it parses and, if not, on the exact parse error text.
// Covers the lexer's state edges (inside brackets every letter is a colon, inside braces
// keywords are identifiers) and yacc's error messages. Skipped when prometheus is absent.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { findOnPath } from '../../topology/path.ts';
import { parseExpr } from '../../shared/promql/parser.ts';
import { tempDir } from './harness.ts';
import type { Answer } from './promql-diff/compare.ts';
import { postQuery } from './promql-diff/run.ts';
import { startPair, type Pair } from './promql-diff/servers.ts';

const prometheus = findOnPath('prometheus');

const TOKENS = [
  '@', '(', ')', '{', '}', '[', ']', ',', '=', '!=', '=~', '!~', ':', '+', '-', '*', '/', '%',
  '^', '==', '<', '>=', 'and', 'or', 'unless', 'atan2', 'bool', 'on', 'ignoring', 'group_left',
  'by', 'without', 'offset', 'start', 'end', 'sum', '5m', '"s"', '1', 'x', 'inf', 'nan',
  '#comment',
]; // prettier-ignore

const CONTEXTS: ((t: string) => string)[] = [
  (t) => `sum by (a ${t}) (x)`,
  (t) => `x + ${t}`,
  (t) => t,
  (t) => `x[5m ${t}]`,
  (t) => `x offset ${t}`,
  (t) => `x{a ${t}}`,
  (t) => `rate(x ${t}`,
  (t) => `x @ ${t}`,
  (t) => `count_values(${t}`,
  (t) => `x{a=${t}}`,
  (t) => `-${t}`,
  (t) => `(${t})`,
  (t) => `x[${t}]`,
];

/** Zone answers known to differ from Prometheus for reasons outside the parser: query → reason. */
const ALLOWED_ZONE = new Map<string, string>([
  [
    '("s")',
    '2.42 fails to evaluate a parenthesised string literal (StepInvariantExpr bug); Canopy answers it',
  ],
]);

const QUERY_PARAM_PREFIX = 'invalid parameter "query": ';
const TIME = '1700000000';

/** "ok" when the query ran, else its error text without the API's parameter prefix. */
function verdict(a: Answer): string {
  const b = a.body as { status?: string; error?: string; errorType?: string };
  if (b.status === 'success') return 'ok';
  const err = b.error ?? JSON.stringify(b);
  return `${b.errorType}: ${err.startsWith(QUERY_PARAM_PREFIX) ? err.slice(QUERY_PARAM_PREFIX.length) : err}`;
}

function canopyVerdict(q: string): string {
  try {
    parseExpr(q);
    return 'ok';
  } catch (e) {
    return `bad_data: ${(e as Error).message}`;
  }
}

let dir: ReturnType<typeof tempDir>;
let pair: Pair | undefined;

before(async () => {
  if (!prometheus) return;
  dir = tempDir('promql-syntax');
  pair = await startPair(prometheus, dir.path);
});

after(async () => {
  await pair?.stop();
  dir?.remove();
});

test(
  'Canopy parses every token × context query as Prometheus 2.42 does (same errors, same texts)',
  { skip: prometheus ? false : 'prometheus is not installed', timeout: 60_000 },
  async () => {
    const p = pair!;
    const queries = [...new Set(CONTEXTS.flatMap((c) => TOKENS.map(c)))];
    assert.ok(queries.length >= 500, `only ${queries.length} queries`);
    const diffs: string[] = [];
    let errors = 0;
    const batch = 16;
    for (let i = 0; i < queries.length; i += batch) {
      await Promise.all(
        queries.slice(i, i + batch).map(async (q) => {
          const [pa, za] = await Promise.all([
            postQuery(p.prom, '/api/v1/query', { query: q, time: TIME }),
            postQuery(p.zone, '/api/v1/query', { query: q, time: TIME }),
          ]);
          const want = verdict(pa);
          if (want !== 'ok') errors++;
          const got = canopyVerdict(q);
          // Only parse errors are parseExpr's business; others (evaluation) are the zone's.
          if (want !== got && (want.startsWith('bad_data: ') || got !== 'ok'))
            diffs.push(`parseExpr ${JSON.stringify(q)}: prometheus ${want} | canopy ${got}`);
          const zone = verdict(za);
          if (zone !== want && !ALLOWED_ZONE.has(q))
            diffs.push(`zone API ${JSON.stringify(q)}: prometheus ${want} | zone ${zone}`);
        }),
      );
    }
    process.stdout.write(
      `# promql-syntax: ${queries.length} queries, ${errors} rejected by Prometheus, ${diffs.length} differences\n`,
    );
    // A test that could not fail would be worthless: the matrix must exercise both outcomes.
    for (const d of diffs.sort()) process.stdout.write(`# ${d}\n`);
    assert.ok(errors > 100 && errors < queries.length - 50, `${errors} errors of ${queries.length}`);
    assert.equal(diffs.length, 0, 'differences listed above');
  },
);
