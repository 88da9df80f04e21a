// Parse and type errors (messages as Prometheus reports them), parseMetricSelector and formatExpr.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isCanopyError } from '../../../shared/errors.ts';
import { formatExpr, parseExpr, parseMetricSelector } from '../../../shared/promql/index.ts';

const parseErrors: [string, string][] = [
  ['', '1:1: parse error: no expression found in input'],
  [
    'rate(foo)',
    '1:6: parse error: expected type range vector in call to function "rate", got instant vector',
  ],
  [
    'abs(foo[5m])',
    '1:5: parse error: expected type instant vector in call to function "abs", got range vector',
  ],
  ['1 == 1', '1:3: parse error: comparisons between scalars must use BOOL modifier'],
  ['foo + bool bar', '1:5: parse error: bool modifier can only be used on comparison operators'],
  ['.', "1:1: parse error: unexpected character: '.'"],
  ['some_metric{a=b}', '1:15: parse error: unexpected identifier "b" in label matching, expected string'],
  ['some_metric{a:b="b"}', "1:14: parse error: unexpected character inside braces: ':'"],
  ['foo{a*"b"}', "1:6: parse error: unexpected character inside braces: '*'"],
  ['foo{1}', "1:5: parse error: unexpected character inside braces: '1'"],
  ['foo{gibberish}', '1:14: parse error: unexpected "}" in label matching, expected label matching operator'],
  ['foo{__name__= =}', '1:15: parse error: unexpected "=" in label matching, expected string'],
  ['foo{,}', '1:5: parse error: unexpected "," in label matching, expected identifier or "}"'],
  ['foo{__name__ == "bar"}', '1:15: parse error: unexpected "=" in label matching, expected string'],
  [
    'foo{__name__="bar" lol}',
    '1:20: parse error: unexpected identifier "lol" in label matching, expected "," or "}"',
  ],
  ['{x=""}', '1:1: parse error: vector selector must contain at least one non-empty matcher'],
  ['{x!~".+"}', '1:1: parse error: vector selector must contain at least one non-empty matcher'],
  ['foo[5m1]', '1:5: parse error: bad duration syntax: "5m1"'],
  ['0deadbeef', '1:1: parse error: bad number or duration syntax: "0de"'],
  ['1 /', '1:4: parse error: unexpected end of input'],
  ['(1))', "1:5: parse error: unexpected right parenthesis ')'"],
  ['((1)', '1:5: parse error: unclosed left parenthesis'],
  ['1 !~ 1', "1:3: parse error: unexpected character after '!': '~'"],
  ['1 =~ 1', "1:3: parse error: unexpected character after '=': '~'"],
  [
    '-"string"',
    '1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got "string"',
  ],
  ['@@', '1:1: parse error: unexpected "<Item 57385>" <op:@>'],
  [
    '1 offset 1d',
    '1:1: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery',
  ],
  ['a - on(b) ignoring(c) d', '1:11: parse error: unexpected <ignoring>'],
  ['# just a comment\n\n', '1:1: parse error: no expression found in input'],
  ['foo{', '1:5: parse error: unexpected end of input inside braces'],
  ['{}', '1:1: parse error: vector selector must contain at least one non-empty matcher'],
  ['{a=~".*"}', '1:1: parse error: vector selector must contain at least one non-empty matcher'],
  ['foo bar', '1:5: parse error: unexpected identifier "bar"'],
  ['1 +', '1:4: parse error: unexpected end of input'],
  [
    'sum(x, y)',
    '1:1: parse error: wrong number of arguments for aggregate expression provided, expected 1, got 2',
  ],
  [
    'topk(x)',
    '1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 1',
  ],
  ['sum()', '1:1: parse error: no arguments for aggregate expression provided'],
  ['unknown(x)', '1:1: parse error: unknown function with name "unknown"'],
  ['foo offset 1m offset 2m', '1:1: parse error: offset may not be set multiple times'],
  ['foo @ 1 @ 2', '1:1: parse error: @ <timestamp> may not be set multiple times'],
  ['(1', '1:3: parse error: unclosed left parenthesis'],
  ['1)', "1:3: parse error: unexpected right parenthesis ')'"],
  ['foo{a}', '1:6: parse error: unexpected "}" in label matching, expected label matching operator'],
  ['foo{a=}', '1:7: parse error: unexpected "}" in label matching, expected string'],
  ['foo{a="b" c="d"}', '1:11: parse error: unexpected identifier "c" in label matching, expected "," or "}"'],
  ['*', '1:1: parse error: unexpected <op:*>'],
  ['foo[5m][1m:]', '1:1: parse error: subquery is only allowed on instant vector, got matrix instead'],
  ['foo{__name__="bar"}', '1:1: parse error: metric name must not be set twice: "foo" or "bar"'],
  ['(foo)[5m]', '1:1: parse error: ranges only allowed for vector selectors'],
  [
    'sum(x) offset 5m',
    '1:1: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery',
  ],
  [
    'sum(x) @ 5',
    '1:1: parse error: @ modifier must be preceded by an instant vector selector or range vector selector or a subquery',
  ],
  ['foo[0s]', '1:5: parse error: duration must be greater than 0'],
  ['foo[5mm]', '1:5: parse error: bad duration syntax: "5mm"'],
  ['foo[1h30]', '1:5: parse error: bad duration syntax: "1h30"'],
  ['label_join(x, "a")', '1:1: parse error: expected at least 3 argument(s) in call to "label_join", got 2'],
  ['round(x, 1, 2)', '1:1: parse error: expected at most 2 argument(s) in call to "round", got 3'],
  ['time(1)', '1:1: parse error: expected 0 argument(s) in call to "time", got 1'],
  ['a and on(x) group_left b', '1:1: parse error: no grouping allowed for "and" operation'],
  ['1 and x', '1:1: parse error: set operator "and" not allowed in binary scalar expression'],
  ['1 + on(x) 2', '1:1: parse error: vector matching only allowed between instant vectors'],
  [
    'foo + on(a) group_left(a) bar',
    '1:5: parse error: label "a" must not occur in ON and GROUP clause at once',
  ],
  ['foo[5m] + 1', '1:1: parse error: binary expression must contain only scalar and instant vector types'],
  [
    '-foo[5m]',
    '1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got "range vector"',
  ],
  ['"a" + 1', '1:1: parse error: binary expression must contain only scalar and instant vector types'],
  ['topk("a", foo)', '1:6: parse error: expected type scalar in aggregation parameter, got string'],
  ['count_values(1, foo)', '1:14: parse error: expected type string in aggregation parameter, got scalar'],
  [
    'sum(foo[5m])',
    '1:5: parse error: expected type instant vector in aggregation expression, got range vector',
  ],
  ['foo !! bar', `1:5: parse error: unexpected character after '!': '!'`],
  ['foo $ bar', `1:5: parse error: unexpected character: '$'`],
  ['"unterminated', '1:1: parse error: unterminated quoted string'],
  ['foo{a="b"', '1:10: parse error: unexpected end of input inside braces'],
  ['foo}', `1:4: parse error: unexpected character: '}'`],
  ['foo[5m:5]', '1:8: parse error: unexpected number "5" in subquery selector, expected duration or "]"'],
  ['foo[5]', '1:5: parse error: missing unit character in duration'],
  ['sum by (job) (foo) by (instance)', '1:20: parse error: unexpected <by>'],
  ['foo]', `1:4: parse error: unexpected right bracket ']'`],
  ['foo[5m', '1:7: parse error: unclosed left bracket'],
  ['foo @ Inf', '1:1: parse error: timestamp out of bounds for @ modifier: +Inf'],
  ['foo @ 1e20', '1:1: parse error: timestamp out of bounds for @ modifier: 100000000000000000000.000000'],
  ['sum by (a b) (x)', '1:11: parse error: unexpected identifier "b" in grouping opts, expected "," or ")"'],
  ['foo\n  + bar{', '2:9: parse error: unexpected end of input inside braces'],
];

for (const [q, msg] of parseErrors) {
  test(`parse error: ${JSON.stringify(q)}`, () => {
    assert.throws(
      () => parseExpr(q),
      (e: unknown) => {
        assert.ok(isCanopyError(e, 'parse_error'), String(e));
        assert.equal(e.message, msg);
        assert.equal(typeof e.fields.position, 'number');
        return true;
      },
    );
  });
}

const roundTrips: [string, string][] = [
  ['1 + 2 * 3', '1 + 2 * 3'],
  ['(1 + 2) * 3', '(1 + 2) * 3'],
  ['-2^2', '-2 ^ 2'],
  ['2 ^ 3 ^ 2', '2 ^ 3 ^ 2'],
  [
    'sum by (a) (rate(foo{bar="x",b=~"y.*"}[5m] offset 1h))',
    'sum by (a) (rate(foo{bar="x",b=~"y.*"}[5m] offset 1h))',
  ],
  ['sum(rate(x[5m])) without (instance)', 'sum without (instance) (rate(x[5m]))'],
  ['a + on(x) group_left(y) b', 'a + on (x) group_left (y) b'],
  ['a / ignoring(x) b', 'a / ignoring (x) b'],
  ['a > bool 1', 'a > bool 1'],
  ['foo @ 100 offset -5m', 'foo @ 100.000 offset -5m'],
  ['foo @ start()', 'foo @ start()'],
  ['rate(x[1h30m:30s] @ end())', 'rate(x[1h30m:30s] @ end())'],
  ['max_over_time(deriv(rate(x[1m])[5m:])[1d:1w])', 'max_over_time(deriv(rate(x[1m])[5m:])[1d:1w])'],
  ['topk(3, x)', 'topk(3, x)'],
  ['count_values("v", x)', 'count_values("v", x)'],
  ['0x1f + Inf - NaN + .5e3', '31 + +Inf - NaN + 500'],
  ['1e21', '1000000000000000000000'],
  [`'it\\'s'`, `"it's"`],
  ['`a\\b`', '"a\\\\b"'],
  ['{__name__=~"x.*", job!="a"}', '{__name__=~"x.*",job!="a"}'],
  ['foo:bar:rate5m{a="1"}', 'foo:bar:rate5m{a="1"}'],
  ['x # comment\n + 1', 'x + 1'],
  ['SUM BY (job) (x)', 'sum by (job) (x)'],
  ['sum by (on, by, sum) (x)', 'sum by (on, by, sum) (x)'],
  ['x offset 1y', 'x offset 1y'],
  ['x[90m]', 'x[1h30m]'],
  ['offset{step="1s"}[5m]', 'offset{step="1s"}[5m]'],
  ['foo * sum', 'foo * sum'],
  ['-0755', '-493'],
  ['+5.5e-3', '0.0055'],
  ['inf', '+Inf'],
];

for (const [q, want] of roundTrips) {
  test(`formatExpr: ${JSON.stringify(q)}`, () => {
    const text = formatExpr(parseExpr(q));
    assert.equal(text, want);
    assert.equal(formatExpr(parseExpr(text)), want, 'canonical text re-parses to itself');
  });
}

test('formatExpr parenthesizes rewritten trees', () => {
  const e = parseExpr('a * b');
  if (e.kind !== 'BinaryExpr') throw new Error('want BinaryExpr');
  const sum = parseExpr('c + d');
  e.rhs = sum;
  assert.equal(formatExpr(e), 'a * (c + d)');
});

test('parseMetricSelector', () => {
  assert.deepEqual(parseMetricSelector('up{job="x"}').map(String), ['job="x"', '__name__="up"']);
  assert.deepEqual(parseMetricSelector('{__name__=~"a.*"}').map(String), ['__name__=~"a.*"']);
  assert.deepEqual(parseMetricSelector('a:b{c!~"d", e!="f",}').map(String), [
    'c!~"d"',
    'e!="f"',
    '__name__="a:b"',
  ]);
  assert.deepEqual(parseMetricSelector('sum').map(String), ['__name__="sum"']);
  for (const bad of ['', '{}', 'up{', 'rate(up[5m])', 'up[5m]', 'up offset 5m', '1', 'up{job="a"} + 1']) {
    assert.throws(
      () => parseMetricSelector(bad),
      (e: unknown) => isCanopyError(e, 'parse_error'),
      bad,
    );
  }
});

test('parse tree shape: precedence, associativity, modifiers', () => {
  const e = parseExpr('a or b and c unless d == e + f * g ^ h ^ i');
  assert.equal(formatExpr(e), 'a or b and c unless d == e + f * g ^ h ^ i');
  assert.equal(e.kind === 'BinaryExpr' && e.op, 'or');
  const p = parseExpr('a - b - c');
  assert.ok(p.kind === 'BinaryExpr' && p.lhs.kind === 'BinaryExpr', 'left-assoc');
  const pw = parseExpr('a ^ b ^ c');
  assert.ok(pw.kind === 'BinaryExpr' && pw.rhs.kind === 'BinaryExpr', 'right-assoc');
  const u = parseExpr('-a * b');
  assert.ok(u.kind === 'BinaryExpr' && u.lhs.kind === 'UnaryExpr', 'unary binds like *');
  const off = parseExpr('a + b offset 5m');
  assert.ok(
    off.kind === 'BinaryExpr' && off.rhs.kind === 'VectorSelector' && off.rhs.offsetMs === 300_000,
    'offset binds to the selector',
  );
  const g = parseExpr('a * on(x) group_right(y, z) b');
  assert.ok(g.kind === 'BinaryExpr' && g.matching?.card === 'one-to-many', 'group_right');
  assert.deepEqual(g.kind === 'BinaryExpr' && g.matching?.include, ['y', 'z']);
  const n = parseExpr('-1');
  assert.ok(n.kind === 'NumberLiteral' && n.val === -1, 'unary minus on a literal folds');
  const oct = parseExpr('010');
  assert.ok(oct.kind === 'NumberLiteral' && oct.val === 8, 'leading zero is octal, as Go ParseInt(…, 0)');
  const at = parseExpr('x @ 1.5');
  assert.ok(at.kind === 'VectorSelector' && at.atMs === 1500, '@ in ms');
});

test('formatExpr keeps rewritten negative bases of ^ grouped', () => {
  const e = parseExpr('x ^ 2');
  if (e.kind !== 'BinaryExpr') throw new Error('want BinaryExpr');
  e.lhs = { kind: 'NumberLiteral', val: -1, start: 0, end: 0 };
  assert.equal(formatExpr(e), '(-1) ^ 2');
  e.lhs = parseExpr('-a');
  assert.equal(formatExpr(e), '(-a) ^ 2');
});

test('walkExpr visits every node with its ancestors', async () => {
  const { walkExpr } = await import('../../../shared/promql/index.ts');
  const e = parseExpr('sum by (a) (rate(x[5m])) / on(a) group_left topk(2, y offset 1m)');
  const kinds: string[] = [];
  let deepest = 0;
  walkExpr(e, (n, path) => {
    kinds.push(n.kind);
    deepest = Math.max(deepest, path.length);
  });
  assert.deepEqual(kinds, [
    'BinaryExpr',
    'AggregateExpr',
    'Call',
    'MatrixSelector',
    'VectorSelector',
    'AggregateExpr',
    'NumberLiteral',
    'VectorSelector',
  ]);
  assert.equal(deepest, 4);
  const selectors: string[] = [];
  walkExpr(e, (n) => {
    if (n.kind === 'Call') return false;
    if (n.kind === 'VectorSelector') selectors.push(n.name);
  });
  assert.deepEqual(selectors, ['y']);
});
