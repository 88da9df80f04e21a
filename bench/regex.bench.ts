// Regex matching cost per label value: shared/regex (RE2 and its string fast paths) against the
// raw re2 binding and JavaScript's RegExp (reference only: it backtracks). Also the compile cost
// and the (.*a){12} bomb. Run: npm run bench:regex  (BENCH_ITERS to change the loop size).
import RE2 from 're2';
import { compileAnchored, compileMatcher } from '../shared/regex/index.ts';

const ITERS = Number(process.env.BENCH_ITERS ?? 200_000);

// 64 label values shaped like instance/job/path values.
const VALUES = Array.from({ length: 64 }, (_, i) =>
  i % 4 === 0
    ? `foo-${i}-bar`
    : i % 4 === 1
      ? `node-exporter-${i}.example.com:9100`
      : i % 4 === 2
        ? `baz`
        : `api-${i}`,
);

function nsPerMatch(test: (v: string) => boolean): number {
  let hits = 0;
  for (let i = 0; i < 5000; i++) if (test(VALUES[i & 63]!)) hits++; // warm-up
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < ITERS; i++) if (test(VALUES[i & 63]!)) hits++;
  const ns = Number(process.hrtime.bigint() - t0) / ITERS;
  if (hits < 0) console.log(hits);
  return ns;
}

const CASES: [string, string][] = [
  ['literal', 'baz'],
  ['alternation of literals', 'baz|qux|api-3|node'],
  ['.*', '.*'],
  ['.+', '.+'],
  ['prefix .*', 'node-exporter-.*'],
  ['suffix .*', '.*:9100'],
  ['contains', '.*example.*'],
  ['prefix .* suffix', 'foo-.*-bar'],
  ['general (RE2)', 'foo.*bar|baz'],
  ['class (RE2)', 'api-[0-9]+'],
  ['(?i) (RE2)', '(?i)BAZ'],
];

console.log(`# ns per match over ${ITERS} matches of 64 label values (node ${process.version})`);
console.log(['case', 'pattern', 'shared/regex', 'path', 're2 plain', 'JS RegExp'].join('\t'));
for (const [name, p] of CASES) {
  const re = compileMatcher(p);
  const raw = new RE2(`^(?:${p})$`, 'u');
  let js: RegExp | null = null;
  try {
    js = new RegExp(`^(?:${p})$`);
  } catch {
    js = null; // RE2-only syntax
  }
  const ours = nsPerMatch((v) => re.matches(v));
  const plain = nsPerMatch((v) => raw.test(v));
  const jsNs = js === null ? NaN : nsPerMatch((v) => js.test(v));
  const path = (re as unknown as { fast: unknown }).fast === null ? 're2' : 'fast';
  console.log([name, p, ours.toFixed(1), path, plain.toFixed(1), jsNs.toFixed(1)].join('\t'));
}

// Compile cost (cache bypassed with distinct sources) and a cache hit.
{
  const n = 5000;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) compileAnchored(`job-${i}|(?i)x[a-z]+${i}`);
  const us = Number(process.hrtime.bigint() - t0) / n / 1000;
  const t1 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) compileAnchored('job-1|(?i)x[a-z]+1');
  const hitNs = Number(process.hrtime.bigint() - t1) / n;
  console.log(`# compile (parse + RE2): ${us.toFixed(1)} µs; cache hit: ${hitNs.toFixed(0)} ns`);
}

// The bomb from issue 12: label_replace(x, "x", "$1", "v", "(.*a){12}") on a 31-character value.
{
  const v = 'a'.repeat(30) + 'b';
  const re = compileAnchored('(.*a){12}');
  const t0 = performance.now();
  for (let i = 0; i < 100; i++) re.exec(v);
  console.log(
    `# (.*a){12} exec on 31 chars: ${((performance.now() - t0) / 100).toFixed(4)} ms (RE2); JavaScript RegExp: ~9 s measured (issue 12), not run here`,
  );
}
