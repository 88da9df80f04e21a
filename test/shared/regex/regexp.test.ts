// shared/regex: Go/RE2 syntax and error texts (each expected text below was read from a running
// Prometheus 2.42 for {__name__=~"<pattern>"}), anchoring, flags, fast paths against RE2 itself,
// linear time, Expand and ReplaceAll.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import RE2 from 're2';
import {
  compileAnchored,
  compileGlob,
  compileMatcher,
  compileUnanchored,
  expand,
  RegexpSyntaxError,
} from '../../../shared/regex/index.ts';
import { Matcher } from '../../../shared/matchers.ts';
import { labelsFromRecord, getLabel } from '../../../shared/labels.ts';
import { MemoryStorage } from '../../../shared/memstore.ts';
import { Engine } from '../../../shared/promql/index.ts';
import { isCanopyError } from '../../../shared/errors.ts';

/** [pattern, Prometheus 2.42's error for {__name__=~"pattern"}, or null when it accepts it]. */
const PROMETHEUS_ERRORS: [string, string | null][] = [
  ['a)(b', 'unexpected ): `a)(b`'],
  ['a)', 'unexpected ): `^(?:a))$`'],
  ['(a', 'missing closing ): `^(?:(a)$`'],
  ['*', 'missing argument to repetition operator: `*`'],
  ['(|*)', 'missing argument to repetition operator: `*`'],
  ['a**', 'invalid nested repetition operator: `**`'],
  ['x*??', 'invalid nested repetition operator: `*??`'],
  ['x{2}{3}', 'invalid nested repetition operator: `{2}{3}`'],
  ['x{2}*', 'invalid nested repetition operator: `{2}*`'],
  ['a{1,2}{3}', 'invalid nested repetition operator: `{1,2}{3}`'],
  ['a{2}{0}', 'invalid nested repetition operator: `{2}{0}`'],
  ['a{1001}', 'invalid repeat count: `{1001}`'],
  ['(a{500}){500}', 'invalid repeat count: `{500}`'],
  ['(a{0}){1001}', 'invalid repeat count: `{1001}`'],
  ['((((((((((a{2}){2}){2}){2}){2}){2}){2}){2}){2}){2})', 'invalid repeat count: `{2}`'],
  ['[z-a]', 'invalid character class range: `z-a`'],
  ['[[:foo:]]', 'invalid character class range: `[:foo:]`'],
  ['\\p{Foo}', 'invalid character class range: `\\p{Foo}`'],
  ['\\p{Letter}', 'invalid character class range: `\\p{Letter}`'],
  ['\\p{Kawi}', 'invalid character class range: `\\p{Kawi}`'],
  ['\\p{Vithkuqi}', 'invalid character class range: `\\p{Vithkuqi}`'],
  ['\\p{Cn}', 'invalid character class range: `\\p{Cn}`'],
  ['\\p{LC}', 'invalid character class range: `\\p{LC}`'],
  ['\\p{ASCII}', 'invalid character class range: `\\p{ASCII}`'],
  ['\\q', 'invalid escape sequence: `\\q`'],
  ['\\1', 'invalid escape sequence: `\\1`'],
  ['\\8', 'invalid escape sequence: `\\8`'],
  ['\\C', 'invalid escape sequence: `\\C`'],
  ['\\Z', 'invalid escape sequence: `\\Z`'],
  ['\\u0041', 'invalid escape sequence: `\\u`'],
  ['\\x{110000}', 'invalid escape sequence: `\\x{110000`'],
  ['\\xZ', 'invalid escape sequence: `\\xZ)`'],
  ['[a-\\d]', 'invalid escape sequence: `\\d`'],
  ['(?<n>a)', 'invalid or unsupported Perl syntax: `(?<`'],
  ['(?x)a', 'invalid or unsupported Perl syntax: `(?x`'],
  ['(?-)a', 'invalid or unsupported Perl syntax: `(?-)`'],
  ['(?i-)a', 'invalid or unsupported Perl syntax: `(?i-)`'],
  ['(?P=n)', 'invalid or unsupported Perl syntax: `(?P`'],
  ['(?P<>a)', 'invalid named capture: `(?P<>`'],
  ['(?P<n', 'invalid named capture: `(?P<n)$`'],
  ['a\\', 'missing closing ): `^(?:a\\)$`'],
  ['(?', 'missing closing ): `^(?:(?)$`'],
  ['[a', 'missing closing ]: `[a)$`'],
  ['[]', 'missing closing ]: `[])$`'],
  ['[^]', 'missing closing ]: `[^])$`'],
  ['\\pZ', null],
  ['\\p{Any}', null],
  ['\\p{Greek}', null],
  ['x*?', null],
  ['^*', null],
  ['\\b*', null],
  ['(?i)(?-i)(?i-s:a)', null],
  ['[]a]', null],
  ['a{,5}', null],
  ['\\Q*\\E*', null],
  ['\\z', null],
  ['[\\d-z]', null],
  ['(?P<a>x)(?P<a>y)', null],
  ['(?i)\\Q(?<\\E', null],
];

test('error texts are Go 1.19 / Prometheus 2.42 ones, for exactly the patterns it rejects', () => {
  for (const [p, want] of PROMETHEUS_ERRORS) {
    let got: string | null = null;
    try {
      compileMatcher(p);
    } catch (e) {
      assert.ok(e instanceof RegexpSyntaxError, `${p}: ${String(e)}`);
      got = e.message;
    }
    assert.equal(got, want === null ? null : `error parsing regexp: ${want}`, p);
  }
});

test("size limits: Go's (as Prometheus 2.42 words it) and RE2's lower one, both an error", () => {
  const huge = `(?:${'a'.repeat(3400)}){1000}`; // 3.4 M instructions: Go refuses
  assert.throws(
    () => compileMatcher(huge),
    (e: Error) => e.message.startsWith('error parsing regexp: regexp/syntax: internal error: `^(?:(?:aaa'),
  );
  const big = `(?:${'a'.repeat(1000)}){1000}`; // Go accepts, RE2 cannot: an error, never a wrong answer
  assert.throws(() => compileMatcher(big), /expression too large: .* \(over RE2's program size limit/);
  assert.throws(
    () => compileMatcher('('.repeat(1001) + 'a' + ')'.repeat(1001)),
    (e: Error) => e.message.startsWith('error parsing regexp: expression nests too deeply: `^(?:(((('),
  );
  compileMatcher(`(?:${'a'.repeat(600)}){1000}`);
});

test('a label matcher carries the text as bad_data; Alertmanager matchers skip the unwrapped parse', () => {
  assert.throws(
    () => new Matcher('=~', 'job', '(a'),
    (e) =>
      isCanopyError(e, 'bad_data') && e.message === 'error parsing regexp: missing closing ): `^(?:(a)$`',
  );
  assert.throws(() => new Matcher('=~', 'job', 'a)(b'), /unexpected \): `a\)\(b`/);
  const am = new Matcher('=~', 'job', 'a)(b', 'alertmanager'); // ^(?:a)(b)$: valid once wrapped
  assert.equal(am.matches('ab'), true);
});

test('anchoring, inline flags, classes and Go semantics', () => {
  const cases: [string, string, boolean][] = [
    ['node', 'node', true],
    ['node', 'xnode', false],
    ['node', 'node1', false],
    ['(?i)node', 'NoDe', true],
    ['(?i:PRO).*', 'production', true],
    ['(?i:PRO).*', 'prOduction', true],
    ['(?i:PRO)D', 'prod', false],
    ['PRO((?i)DUC)TION', 'PROduCTION', true],
    ['PRO((?i)DUC)TION', 'PROducTIOn', false],
    ['a|b', 'a', true],
    ['a|b', 'ab', false],
    ['.', '\n', false], // Go: "." stops at newline without (?s)
    ['(?s).', '\n', true],
    ['.*', 'a\nb', false],
    ['(?s).*', 'a\nb', true],
    ['[^a]', '\n', true], // classes match newline
    ['\\s', '\n', true],
    ['\\s', '\v', false], // Go's \s is [\t\n\f\r ]
    ['[[:space:]]', '\v', true],
    ['\\pL+', 'héllo', true],
    ['\\pL+', 'h3llo', false],
    ['\\p{Greek}+', 'αβγ', true],
    ['\\PL', '3', true],
    ['\\d+', '123', true],
    ['\\d', '٣', false], // ASCII digits only
    ['\\w+', 'a_1', true],
    ['\\bfoo\\b', 'foo', true],
    ['.', '😀', true], // one code point
    ['..', '😀', false],
    ['(?U)a+', 'aaa', true],
    ['(?m)^a$', 'a', true],
    ['a$', 'a\n', false], // $ is end of text, not before a final newline
    ['\\x{1F600}', '😀', true],
    ['\\101', 'A', true],
    ['\\Q.*\\E', '.*', true],
    ['\\Q.*\\E', 'ab', false],
    ['[(?<]+', '(?<', true], // no (?< rewriting inside a class
    ['[(?<]+', 'P', false],
    ['a{,5}', 'a{,5}', true], // not a repeat: literal text
    ['x{2,3}', 'xxx', true],
    ['x{2,3}', 'xxxx', false],
    ['', '', true],
    ['', 'a', false],
    ['a|', '', true],
  ];
  for (const [p, v, want] of cases)
    assert.equal(compileMatcher(p).matches(v), want, `${p} on ${JSON.stringify(v)}`);
});

test('fast paths and the literal prefix/suffix pre-checks answer exactly as RE2 does', () => {
  const patterns = [
    'foo',
    'foo|bar|',
    'foo.*',
    '.*foo',
    '.*foo.*',
    'foo.*bar',
    '.*',
    '.+',
    '(?s).*',
    '(?s)foo.*',
    '(foo)',
    '(?:f)oo|b(a)r',
    'fo{2}',
    '(?i)foo',
    'foo.+',
    '(.*)',
    '(?s).+',
    'fo[a-z]',
    'foo[a-z]*',
    '[a-z]+bar',
    'foo\\w*bar',
    '(f)oo\\w',
    '(?i)foo[a-z]*',
    'foo(?i)bar',
    'x|foo\\w+',
  ];
  const values = [
    '',
    'foo',
    'bar',
    'foobar',
    'xfoo',
    'foox',
    'fo',
    'FOO',
    'foo\n',
    '\nfoo',
    'f\nbar',
    'foo\nbar',
    'foobarbar',
    'barfoo',
    'x',
    '\n',
    'foofoo',
  ];
  for (const p of patterns) {
    const re = compileAnchored(p);
    const ref = new RE2(`^(?:${p})$`, 'u');
    for (const v of values) assert.equal(re.matches(v), ref.test(v), `${p} on ${JSON.stringify(v)}`);
    for (const v of values)
      assert.deepEqual(
        re.exec(v) === null ? null : [...(re.exec(v) as string[])],
        ref.exec(v) === null ? null : [...ref.exec(v)!],
        `exec ${p}`,
      );
  }
});

test('setMatches lists the values of literal alternations only', () => {
  assert.deepEqual(new Matcher('=~', 'job', 'api|web').setMatches(), ['api', 'web']);
  assert.deepEqual(new Matcher('=~', 'job', 'api').setMatches(), ['api']);
  assert.deepEqual(new Matcher('=~', 'job', '(api)|(?:web)').setMatches(), ['api', 'web']);
  assert.equal(new Matcher('=~', 'job', '(?i)api').setMatches(), null);
  assert.equal(new Matcher('=~', 'job', 'api.*').setMatches(), null);
  assert.equal(new Matcher('!~', 'job', 'api|web').setMatches(), null);
});

test('linear time: catastrophic-backtracking patterns finish in milliseconds', () => {
  const cases: [string, string][] = [
    ['(.*a){12}', 'a'.repeat(30) + 'b'],
    ['(.*a){12}', 'a'.repeat(10_000) + 'b'],
    ['(a+)+$', 'a'.repeat(10_000) + 'b'],
    ['(x+x+)+y', 'x'.repeat(10_000)],
    ['(a|aa)+', 'a'.repeat(10_000) + 'b'],
    ['(.*){1,100}[bc]', 'a'.repeat(10_000)],
    ['(?:a?){30}a{30}', 'a'.repeat(30)],
  ];
  for (const [p, v] of cases) {
    const re = compileAnchored(p);
    const t0 = performance.now();
    re.matches(v);
    re.exec(v);
    const ms = performance.now() - t0;
    assert.ok(ms < 50, `${p} on ${v.length} chars took ${ms.toFixed(1)} ms`);
  }
});

test('label_replace with (.*a){12} on a 31-character value answers at once (JavaScript took 9 s)', async () => {
  const st = new MemoryStorage();
  st.add(labelsFromRecord({ __name__: 'x', v: 'a'.repeat(30) + 'b' }), 0, 1);
  st.add(labelsFromRecord({ __name__: 'x', v: 'a'.repeat(31) }), 0, 2);
  const engine = new Engine({});
  const t0 = performance.now();
  const res = await engine.instantQuery(st, 'label_replace(x, "x", "$1", "v", "(.*a){12}")', 0);
  const ms = performance.now() - t0;
  process.stdout.write(`# label_replace (.*a){12} on 31 chars: ${ms.toFixed(2)} ms\n`);
  assert.ok(ms < 50, `${ms} ms`);
  assert.equal(res.value.type, 'vector');
  const byV = new Map(
    (res.value.type === 'vector' ? res.value.vector : []).map((s) => [
      getLabel(s.labels, 'v'),
      getLabel(s.labels, 'x'),
    ]),
  );
  assert.equal(byV.get('a'.repeat(30) + 'b'), ''); // no match: unchanged
  assert.equal(byV.get('a'.repeat(31)), 'a'); // last iteration of the group
});

test('expand follows Go Regexp.Expand', () => {
  const re = compileAnchored('(?P<first>a)(b)?(?P<n>x)?|(?P<n>c)');
  const m = re.exec('a')!;
  const e = (t: string): string => expand(t, m, re.names);
  assert.equal(e('$1'), 'a');
  assert.equal(e('${1}x'), 'ax');
  assert.equal(e('$1x'), ''); // the group "1x"
  assert.equal(e('$first-${first}'), 'a-a');
  assert.equal(e('$2|$9|$n'), '||');
  assert.equal(e('$$1'), '$1');
  assert.equal(e('cost $'), 'cost $'); // a trailing "$" stays
  assert.equal(e('${1'), '${1');
  assert.equal(e('${}'), '${}');
  assert.equal(e('$-'), '$-');
  assert.equal(e('$01'), ''); // leading zero: the name "01"
  assert.equal(e('$é'), ''); // letters beyond ASCII form names too
  assert.equal(e('no dollars'), 'no dollars');
  const m2 = re.exec('c')!;
  assert.equal(expand('$n', m2, re.names), 'c'); // the first group so named that took part
});

test('replaceAll follows Go ReplaceAllString (unanchored, empty matches, $ templates)', () => {
  const r = (p: string, s: string, t: string): string => compileUnanchored(p).replaceAll(s, t, expand);
  assert.equal(r('a*', 'baaac', 'X'), 'XbXcX');
  assert.equal(r('a*', 'b😀ab', 'X'), 'XbX😀XbX');
  assert.equal(r('', '😀a', '-'), '-😀-a-');
  assert.equal(r('(o)', 'foo', '[$1]'), 'f[o][o]');
  assert.equal(r('(?P<d>\\d+)ms', 'took 12ms and 7ms', '${d} ms'), 'took 12 ms and 7 ms');
  assert.equal(r('x', 'abc', 'y'), 'abc');
  assert.equal(compileUnanchored('b').matches('abc'), true);
  assert.equal(compileUnanchored('^b').matches('abc'), false);
});

test('globs as filepath.Match reads them', () => {
  const g = compileGlob('rules-[a-c]?.y*ml');
  assert.equal(g.matches('rules-b1.yml'), true);
  assert.equal(g.matches('rules-b1.yaml'), true);
  assert.equal(g.matches('rules-d1.yml'), false);
  assert.equal(g.matches('rules-b/.yml'), false);
  assert.equal(compileGlob('a.(b)|c').matches('a.(b)|c'), true);
  assert.equal(compileGlob('[^a]x').matches('bx'), true);
  assert.throws(
    () => compileGlob('[ab'),
    (e) => isCanopyError(e, 'config_invalid'),
  );
});

test('the compile cache returns the same object and stays bounded', () => {
  assert.equal(compileAnchored('cache-me.*'), compileAnchored('cache-me.*'));
  for (let i = 0; i < 3000; i++) compileAnchored(`bulk${i}`);
  assert.equal(compileAnchored('bulk2999').matches('bulk2999'), true);
});
