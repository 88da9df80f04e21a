// Generated PromQL expressions for the differential test: every 2.42 function, aggregation,
// operator and modifier over the dataset of dataset.ts, plus error cases. Deterministic and
// de-duplicated; `range` marks the expressions also run as range queries.
export interface GenExpr {
  expr: string;
  /** Also run as a range query (instant-vector or scalar typed, cheap enough). */
  range: boolean;
}

const COUNTERS = [
  'http_requests_total',
  'http_requests_total{job="api"}',
  'http_requests_total{code=~"5.."}',
  'http_requests_total{method!="GET",instance!~"i[01]"}',
  'node_cpu_seconds_total{mode="idle"}',
  'request_duration_seconds_count',
  'request_duration_seconds_bucket{le="0.5"}',
];
const GAUGES = [
  'temperature_celsius',
  'queue_depth',
  'flaky_gauge',
  'sparse_gauge',
  'node_memory_active_bytes',
  'node_load1',
  'ratio',
  'big_values',
];
const VECTORS = [
  ...COUNTERS,
  ...GAUGES,
  'up',
  'up == 0',
  '{__name__=~"node_.*",instance="i1"}',
  'temperature_celsius{room=~"a|b"}',
  'nonexistent_metric',
];
const RANGES = ['30s', '1m', '90s', '5m', '10m'];

const RANGE_FUNCS = [
  'rate',
  'irate',
  'increase',
  'delta',
  'idelta',
  'deriv',
  'changes',
  'resets',
  'avg_over_time',
  'min_over_time',
  'max_over_time',
  'sum_over_time',
  'count_over_time',
  'stddev_over_time',
  'stdvar_over_time',
  'last_over_time',
  'present_over_time',
  'absent_over_time',
];
const MATH_FUNCS = [
  'abs',
  'ceil',
  'floor',
  'exp',
  'ln',
  'log2',
  'log10',
  'sqrt',
  'round',
  'sgn',
  'timestamp',
];
const TRIG_FUNCS = [
  'acos',
  'acosh',
  'asin',
  'asinh',
  'atan',
  'atanh',
  'cos',
  'cosh',
  'sin',
  'sinh',
  'tan',
  'tanh',
  'deg',
  'rad',
];
const DATE_FUNCS = [
  'day_of_month',
  'day_of_week',
  'day_of_year',
  'days_in_month',
  'hour',
  'minute',
  'month',
  'year',
];
const AGGS = ['sum', 'avg', 'min', 'max', 'count', 'group', 'stddev', 'stdvar'];
const GROUPINGS = [
  '',
  ' by (job)',
  ' by (instance)',
  ' without (instance)',
  ' by (job, code)',
  ' without ()',
  ' by ()',
  ' by (nonexistent)',
  ' without (job, __name__)',
];
const ARITH = ['+', '-', '*', '/', '%', '^', 'atan2'];
const CMP = ['==', '!=', '>', '<', '>=', '<='];

export function generateExprs(startMs: number, endMs: number, opts: GenOptions = {}): GenExpr[] {
  const out = new Map<string, GenExpr>();
  const add = (expr: string, range = false): void => {
    if (!out.has(expr)) out.set(expr, { expr, range });
  };
  const atMid = ((startMs + endMs) / 2 / 1000).toFixed(3);
  const atEnd = (endMs / 1000).toFixed(0);

  // Selectors, literals, modifiers.
  for (const v of VECTORS) add(v, true);
  for (const v of ['http_requests_total{job="web"}', 'temperature_celsius', 'queue_depth', 'sparse_gauge']) {
    for (const r of RANGES) add(`${v}[${r}]`);
    add(`${v} offset 5m`, true);
    add(`${v} offset -2m`, true);
    add(`${v} offset 1h`, true);
    add(`${v} @ ${atMid}`, true);
    add(`${v} @ start()`, true);
    add(`${v} @ end()`, true);
    add(`${v}[5m] offset 10m`);
    add(`${v}[3m] @ ${atMid}`);
    add(`${v}[2m] @ end() offset 1m`);
  }
  for (const lit of [
    '1',
    '-2.5',
    '0x1F',
    '1e3',
    'Inf',
    '-Inf',
    'NaN',
    '"a string"',
    "'single'",
    '`raw`',
    '1 + 2 * 3',
    '2 ^ 3 ^ 2',
    '-2 ^ 2',
    '(1 + 2) / 0',
    '0 / 0',
    '5 % 3',
    '-5 % 3',
    '5.5 % -2',
    '1 == 1',
    '1 == bool 2',
    '2 > bool 1',
    '+3',
    'time()',
    'pi()',
    'vector(1)',
    'vector(time())',
    'scalar(up{job="api",instance="i0"})',
    'scalar(up)',
    'atan2(1, 2)'.replace('atan2(1, 2)', '1 atan2 2'),
    '# comment\n 42',
    '1h',
    '1.5e-3',
  ]) {
    add(lit, !lit.startsWith('"') && !lit.startsWith("'") && !lit.startsWith('`') && lit !== '1h');
  }

  // Range functions over counters and gauges, several ranges.
  for (const f of RANGE_FUNCS) {
    const sels = ['rate', 'irate', 'increase', 'resets'].includes(f)
      ? COUNTERS
      : [...COUNTERS.slice(0, 3), ...GAUGES];
    for (const s of sels) for (const r of ['1m', '5m']) add(`${f}(${s}[${r}])`, true);
    for (const r of RANGES) add(`${f}(queue_depth[${r}])`, true);
    add(`${f}(http_requests_total{job="api"}[5m] offset 10m)`, true);
    add(`${f}(temperature_celsius[10m] @ ${atMid})`, true);
    add(`${f}(nonexistent_metric[5m])`, true);
    add(`${f}(sparse_gauge[90s])`, true);
    add(`${f}(flaky_gauge[2m])`, true);
  }
  for (const q of ['0', '0.25', '0.5', '0.9', '1', '-0.5', '1.5', 'NaN']) {
    add(`quantile_over_time(${q}, temperature_celsius[5m])`, true);
    add(`quantile_over_time(${q}, queue_depth[10m])`, true);
  }
  for (const t of ['0', '300', '-600', '3600']) {
    add(`predict_linear(node_memory_active_bytes[10m], ${t})`, true);
    add(`predict_linear(temperature_celsius[5m], ${t})`, true);
  }
  for (const [sf, tf] of [
    ['0.5', '0.5'],
    ['0.1', '0.9'],
    ['0.9', '0.1'],
  ]) {
    add(`holt_winters(temperature_celsius[10m], ${sf}, ${tf})`, true);
    add(`holt_winters(node_load1[5m], ${sf}, ${tf})`, true);
  }

  // Instant-vector functions.
  const mathArgs = [
    'temperature_celsius',
    'ratio',
    'queue_depth',
    'big_values',
    'rate(http_requests_total[5m])',
    'node_load1 - 2',
    'sparse_gauge',
  ];
  for (const f of [...MATH_FUNCS, ...TRIG_FUNCS]) {
    for (const a of mathArgs) add(`${f}(${a})`, true);
    add(`${f}(vector(0.5))`, true);
    add(`${f}(-1)`.replace(`${f}(-1)`, `${f}(vector(-1))`), true);
  }
  for (const a of ['temperature_celsius', 'ratio * 10', 'queue_depth']) {
    for (const n of ['0.5', '5', '-1', '0.1', '3']) add(`round(${a}, ${n})`, true);
    add(`clamp(${a}, -1, 5)`, true);
    add(`clamp(${a}, 5, -1)`, true);
    add(`clamp_min(${a}, 0)`, true);
    add(`clamp_max(${a}, 2)`, true);
    add(`clamp(${a}, -Inf, NaN)`, true);
  }
  for (const f of DATE_FUNCS) {
    add(`${f}()`, true);
    add(`${f}(vector(1.6e9))`, true);
    add(`${f}(vector(951782400))`, true); // 2000-02-29
    add(`${f}(timestamp(up{instance="i0"}))`, true);
    add(`${f}(big_values)`, true);
    add(`${f}(-temperature_celsius * 1e6)`, true);
    add(`${f}(queue_depth)`, true);
    for (const v of ['-0.5', '-1.5', '1e15', '-1e15', '9.2e18', '-9.2e18', '-62135596801'])
      add(`${f}(vector(${v}))`, true);
  }
  for (const a of [
    'temperature_celsius',
    'http_requests_total{job="api"}',
    'queue_depth',
    'up',
    'big_values',
  ]) {
    add(`sort(${a})`, true);
    add(`sort_desc(${a})`, true);
  }
  add('sort(rate(http_requests_total[5m]))', true);
  add('sort_desc(sum by (instance) (rate(node_cpu_seconds_total[5m])))', true);
  for (const a of [
    'nonexistent_metric',
    'up',
    'nonexistent_metric{job="x",instance=~"y"}',
    'nonexistent_metric{job="x",job="y"}',
    'sum(nonexistent_metric)',
    'up{job="zzz"} == 1',
    'vector(1)',
  ])
    add(`absent(${a})`, true);
  for (const a of [
    'nonexistent_metric{job="a"}[5m]',
    'up[1m]',
    'nonexistent_metric{a="b",a="c"}[5m]',
    'sparse_gauge{instance="i0"}[1m]',
  ])
    add(`absent_over_time(${a})`, true);
  add('timestamp(temperature_celsius offset 5m)', true);
  add('timestamp(abs(temperature_celsius))', true);
  add('timestamp(temperature_celsius @ start())', true);
  add('timestamp(vector(1))', true);
  add('scalar(sum(up))', true);
  add('scalar(nonexistent_metric)', true);
  add('vector(scalar(up{job="api",instance="i1"}))', true);
  // label_replace / label_join.
  for (const [dst, repl, src, re] of [
    ['foo', '$1', 'instance', 'i(.*)'],
    ['instance', 'host-$1', 'instance', '(.*)'],
    ['foo', '${1}x', 'job', '(.)(.*)'],
    ['foo', '$1x', 'job', '(.*)'],
    ['foo', 'static', 'nonexistent', ''],
    ['foo', 'static', 'nonexistent', '.+'],
    ['job', '', 'job', 'api'],
    ['__name__', 'renamed', '__name__', '(.*)'],
    ['foo', '$name', 'instance', '(?P<name>i.)'],
    ['foo', '$2-$1', 'instance', '(i)(.)'],
  ]) {
    add(`label_replace(up, "${dst}", "${repl}", "${src}", "${re}")`, true);
  }
  for (const [dst, sep, srcs] of [
    ['foo', ',', '"job", "instance"'],
    ['foo', '', '"instance"'],
    ['job', '-', '"job", "job"'],
    ['foo', ':', ''],
    ['foo', '/', '"nonexistent", "instance"'],
  ]) {
    add(`label_join(up, "${dst}", "${sep}"${srcs ? ', ' + srcs : ''})`, true);
  }
  // histogram_quantile on classic buckets.
  for (const q of ['0', '0.5', '0.9', '0.99', '1', '-1', '2', 'NaN']) {
    add(`histogram_quantile(${q}, rate(request_duration_seconds_bucket[5m]))`, true);
  }
  add('histogram_quantile(0.9, sum by (le) (rate(request_duration_seconds_bucket[5m])))', true);
  add('histogram_quantile(0.9, sum by (le, job) (rate(request_duration_seconds_bucket[10m])))', true);
  add('histogram_quantile(0.5, request_duration_seconds_bucket)', true);
  add('histogram_quantile(0.5, request_duration_seconds_bucket{le!="+Inf"})', true);
  add('histogram_quantile(0.5, request_duration_seconds_bucket{le!="1"})', true);
  add('histogram_quantile(0.5, rate(request_duration_seconds_bucket{job="web",instance="i2"}[1m]))', true);
  add('histogram_quantile(0.5, up)', true);
  // Native-histogram functions over float samples (no native histograms stored: empty results).
  for (const a of [
    'request_duration_seconds_bucket',
    'rate(request_duration_seconds_bucket[5m])',
    'up',
    'nonexistent_metric',
  ]) {
    add(`histogram_count(${a})`, true);
    add(`histogram_sum(${a})`, true);
    add(`histogram_fraction(0, 0.5, ${a})`, true);
    add(`histogram_fraction(-Inf, +Inf, ${a})`, true);
  }
  add('histogram_quantile(0.75, label_replace(up, "le", "$1", "instance", "i(.)"))', true);

  // Aggregations.
  const aggArgs = [
    'http_requests_total',
    'rate(http_requests_total[5m])',
    'temperature_celsius',
    'queue_depth',
    'big_values',
    'up',
  ];
  for (const a of AGGS) {
    for (const g of GROUPINGS) {
      add(`${a}${g} (rate(http_requests_total[5m]))`, true);
      add(`${a}${g} (queue_depth)`, true);
    }
    for (const x of aggArgs) add(`${a}(${x})`, true);
    add(`${a}(http_requests_total) by (job)`, true);
    add(`${a} without (instance, room) (temperature_celsius)`, true);
    add(`${a}(nonexistent_metric)`, true);
  }
  for (const [a, params] of [
    ['topk', ['1', '2', '0', '-1', '100', '2.7']],
    ['bottomk', ['1', '3', '0']],
    ['quantile', ['0', '0.5', '0.9', '1', '-1', '2', 'NaN']],
  ] as [string, string[]][]) {
    for (const p of params) {
      add(`${a}(${p}, temperature_celsius)`, true);
      add(`${a} by (job) (${p}, rate(http_requests_total[5m]))`, true);
      add(`${a} without (instance) (${p}, queue_depth)`, true);
    }
    add(`${a}(scalar(up{job="api",instance="i0"}), temperature_celsius)`, true);
    add(`${a}(2, big_values)`, true);
  }
  for (const x of ['up', 'queue_depth', 'floor(temperature_celsius)', 'big_values', 'ratio']) {
    add(`count_values("value", ${x})`, true);
    add(`count_values by (job) ("v", ${x})`, true);
  }
  add('count_values("instance", up)', true);
  add('sum(count_values("value", queue_depth))', true);
  add('sum by (instance) (sum by (instance, job) (rate(http_requests_total[5m])))', true);
  add('avg(sum by (job) (up))', true);
  add('max by (instance) (max_over_time(temperature_celsius[10m]))', true);

  // Binary operators.
  const pairs: [string, string][] = [
    ['http_requests_total{job="api"}', 'http_requests_total{job="api"} offset 5m'],
    ['rate(http_requests_total[5m])', 'rate(http_requests_total[10m])'],
    ['temperature_celsius', 'temperature_celsius offset 1m'],
    ['queue_depth', 'queue_depth'],
  ];
  for (const op of ARITH) {
    for (const [l, r] of pairs) add(`${l} ${op} ${r}`, true);
    add(`temperature_celsius ${op} 2`, true);
    add(`2 ${op} temperature_celsius`, true);
    add(`queue_depth ${op} -1`, true);
    add(`big_values ${op} 0`, true);
    add(`3 ${op} 0`, true);
    add(`-3 ${op} 0.5`, true);
    add(
      `up ${op} on (instance, job) group_left (version) build_info`
        .replace('group_left (version) build_info', 'group_left (version) (build_info * 0 + 1)')
        .replace(' on (instance, job)', ' on (instance)'),
      true,
    );
    add(`sum by (job) (up) ${op} on (job) group_right sum by (job, instance) (up)`, true);
    add(
      `temperature_celsius ${op} ignoring (room) group_left sum without (room) (temperature_celsius)`,
      true,
    );
  }
  for (const op of CMP) {
    for (const [l, r] of pairs) {
      add(`${l} ${op} ${r}`, true);
      add(`${l} ${op} bool ${r}`, true);
    }
    add(`temperature_celsius ${op} 0`, true);
    add(`temperature_celsius ${op} bool 0`, true);
    add(`0 ${op} temperature_celsius`, true);
    add(`0 ${op} bool temperature_celsius`, true);
    add(`1 ${op} bool 2`, true);
    add(`queue_depth ${op} queue_depth offset 30s`, true);
    add(`queue_depth ${op} NaN`, true);
    add(`up ${op} on (instance) group_left (version, region) build_info`, true);
    add(`up ${op} bool ignoring (job) group_left build_info{instance="i0"}`, true);
  }
  // Matching modifiers and cardinalities.
  for (const m of [
    'on (instance)',
    'on (instance, job)',
    'ignoring (mode)',
    'ignoring (cpu, mode)',
    'on ()',
    'ignoring ()',
  ]) {
    add(
      `sum by (instance, job) (rate(node_cpu_seconds_total[5m])) / ${m} group_left sum by (instance, job) (up)`,
      true,
    );
    add(`node_cpu_seconds_total / ${m} group_left node_memory_active_bytes`, true);
    add(`node_memory_active_bytes * ${m} node_load1`, true);
    add(`node_memory_active_bytes > ${m} group_right node_cpu_seconds_total`, true);
  }
  add('up * on (instance) group_left (version, region) build_info', true);
  add('up * on (instance) group_left (region) build_info', true);
  add('build_info * on (instance) group_right (region) up', true);
  add('up + on (instance) group_left (nonexistent) build_info', true);
  add('up * on (instance) group_left (job) build_info', true);
  add('up / ignoring (job) build_info', true); // many-to-many / duplicate errors
  add('ratio_dup + ratio', true);
  add('ratio_dup + on (instance, job) ratio', true);
  add('ratio + on (instance, job) group_left ratio_dup', true);
  add('ratio + on (instance) group_right ratio_dup', true);
  add('ratio_dup * on (instance) group_left ratio_dup', true);
  add('up * on (instance) up', true);
  add('sum by (instance) (up) * on (instance) group_left up', true);
  add('temperature_celsius * on (room) group_left temperature_celsius{instance="i0"}', true);
  // Set operators.
  for (const op of ['and', 'or', 'unless']) {
    add(`up ${op} up{job="api"}`, true);
    add(`up ${op} on (instance) build_info`, true);
    add(`up ${op} ignoring (job) up{job="web"}`, true);
    add(`temperature_celsius > 0 ${op} temperature_celsius < 10`, true);
    add(`rate(http_requests_total[5m]) ${op} on (code) http_requests_total{code="500"}`, true);
    add(`queue_depth ${op} nonexistent_metric`, true);
    add(`nonexistent_metric ${op} queue_depth`, true);
    add(`sum by (job) (up) ${op} sum by (instance) (up)`, true);
    add(`vector(1) ${op} vector(2)`, true);
    add(`up ${op} on () vector(1)`, true);
  }
  add('up and up or temperature_celsius unless queue_depth', true);
  add('(up or queue_depth) and on (instance) temperature_celsius{room="a"}', true);
  add('label_replace(up, "x", "1", "", "") or label_replace(up, "x", "2", "", "")', true);
  // Precedence and scalar/vector mixes.
  for (const e of [
    'up + 1 * 2',
    '(up + 1) * 2',
    '-up',
    '-(-temperature_celsius)',
    '- -1',
    'up - - 1',
    '2 ^ -up',
    'temperature_celsius ^ 2 ^ 0.5',
    'time() - timestamp(up)',
    'scalar(up{job="api",instance="i0"}) * temperature_celsius',
    'temperature_celsius + scalar(sum(up))',
    'sum(up) / count(up)',
    'vector(1) + vector(2)',
    'vector(1) == vector(1)',
    'vector(1) + on () up',
    'time() > bool 0',
    'up > 0 > 0.5',
    'up == bool 1 == bool 1',
    'rate(http_requests_total[5m]) * 60 > 10',
    'sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))',
    'avg by (instance) (1 - rate(node_cpu_seconds_total{mode="idle"}[5m]))',
    '100 * (1 - avg by (instance) (irate(node_cpu_seconds_total{mode="idle"}[1m])))',
    'increase(request_duration_seconds_sum[10m]) / increase(request_duration_seconds_count[10m])',
  ])
    add(e, true);

  // Subqueries.
  for (const [inner, win] of [
    ['rate(http_requests_total{job="api"}[5m])', '[30m:1m]'],
    ['temperature_celsius', '[10m:]'],
    ['temperature_celsius', '[10m:30s]'],
    ['sum(rate(http_requests_total[1m]))', '[20m:2m]'],
    ['queue_depth', '[15m:45s]'],
    ['up', '[5m:1m]'],
    ['max_over_time(temperature_celsius[2m])', '[10m:1m]'],
  ]) {
    for (const f of [
      'max_over_time',
      'min_over_time',
      'avg_over_time',
      'count_over_time',
      'rate',
      'deriv',
      'changes',
      'last_over_time',
    ])
      add(`${f}(${inner}${win})`, true);
    add(`max_over_time(${inner}${win} offset 5m)`, true);
    add(`max_over_time(${inner}${win} @ ${atMid})`, true);
    add(`${inner}${win}`);
  }
  add('max_over_time(rate(http_requests_total[5m])[10m:1m] @ end())', true);
  add('max_over_time(max_over_time(temperature_celsius[5m:1m])[10m:2m])', true);
  add('min_over_time((temperature_celsius @ start())[5m:1m])', true);
  add('sum_over_time(vector(1)[5m:1m])', true);
  add('max_over_time((time())[5m:1m])'.replace('(time())', 'vector(time())'), true);
  add('rate(http_requests_total[5m])[5m:1m]');
  add(`temperature_celsius[5m:1m] @ ${atEnd}`);
  add('quantile_over_time(0.5, temperature_celsius[10m:1m])', true);
  add('absent_over_time(nonexistent_metric[5m:1m])', true);
  add('present_over_time(temperature_celsius[5m:1m])', true);

  // Errors: parse, type and runtime.
  for (const e of [
    'up{',
    'up}',
    'sum(up',
    'rate(up)',
    'rate(up[5m]',
    'foo(up)',
    'unknown_function(up[5m])',
    'sum(up) by',
    'up[5m',
    'up[5x]',
    'up[5]',
    'up[ 5m]',
    'up[5m:5]',
    'rate(up[1]) ',
    'up[5m5]',
    'up offset',
    'up @',
    'up @ foo()',
    '1 +',
    '+',
    '"unterminated',
    'up{job=~"("}',
    'up{job!~"["}',
    'up{0job="x"}',
    '{}',
    '{job=~".*"}',
    '{job=""}',
    'up{job=""}',
    'up[0s]',
    'up[5m:0s]',
    'rate(up[5m:])',
    'sum by (job) (up) by (instance)',
    'topk(up, up)',
    'topk("a", up)',
    'quantile("a", up)',
    'count_values(1, up)',
    'count_values("invalid-label", up)',
    'label_replace(up, "0bad", "x", "job", "(.*)")',
    'label_replace(up, "x", "x", "job", "(")',
    'label_join(up, "0bad", ",", "job")',
    'holt_winters(temperature_celsius[5m], 1, 0.5)',
    'holt_winters(temperature_celsius[5m], 0.5, 0)',
    'histogram_quantile(up, up)',
    'abs(up, up)',
    'abs()',
    'time(1)',
    'vector(up)',
    'scalar(up[5m])',
    'up + "a"',
    '"a" + 1',
    'up and 1',
    '1 or up',
    'up[5m] + 1',
    'sum(up[5m])',
    'up == bool up',
    'up + bool 1',
    '1 + on (job) 2',
    'up * on (job) group_left (job) up',
    'up * on (job) group_left up and up',
    'up and on (job) group_left up',
    'up{job="api"} offset 5m offset 5m',
    'up @ 1 @ 2',
    'up @ start() offset 1m @ end()',
    'max_over_time(up[5m:1m][5m:1m])',
    'label_replace(up, "instance", "x", "", "")',
    'abs(up) or abs(up)',
    'sum(up) == bool on (job) sum(up)',
    'ln(temperature_celsius) + ln(temperature_celsius)',
    'round(up, up)',
    'clamp(up)',
    'predict_linear(up[5m])',
    'quantile_over_time(up, up[5m])',
    'absent(up[5m])',
    'sort(up[5m])',
    'days_in_month(up[5m])',
    'irate(up[5m]) by (job)',
    'sum without',
    'rate(http_requests_total[5m] offset -1d @ 1)',
    'up / on (instance) up',
    'ratio_dup / on (instance, job) ratio',
    'ratio / on (instance, job) ratio_dup',
  ]) {
    add(e, true);
  }
  edgeClassExprs((expr, range = true) => add(expr, range && orderStableInRange(expr)));
  // Random compositions: at least 400, more to reach `opts.total` expressions in all.
  const total = Math.max(out.size + 400, opts.total ?? 0);
  const rnd = seededRandom(opts.seed ?? 7);
  for (let tries = 0; out.size < total && tries < total * 20; tries++) {
    const e = composedExpr(rnd);
    if (!determinedBy242(e)) continue;
    add(e, orderStableInRange(e));
  }
  return [...out.values()];
}

export interface GenOptions {
  /** Total number of expressions wanted (systematic ones plus random compositions). */
  total?: number;
  /** Seed of the random compositions. */
  seed?: number;
}

/** Options from the environment: CANOPY_DIFF_EXPRS (count) and CANOPY_DIFF_SEED. */
export function genOptionsFromEnv(defaultTotal: number): Required<GenOptions> {
  const total = Number(process.env.CANOPY_DIFF_EXPRS ?? defaultTotal);
  const seedEnv = process.env.CANOPY_DIFF_SEED;
  // A fixed seed by default (npm test is deterministic); a fresh one when a count is asked for.
  const seed =
    seedEnv !== undefined
      ? Number(seedEnv)
      : process.env.CANOPY_DIFF_EXPRS !== undefined
        ? Math.floor(Math.random() * 2 ** 31)
        : 7;
  if (!Number.isInteger(total) || total < 0)
    throw new Error(`CANOPY_DIFF_EXPRS must be a non-negative integer, not ${process.env.CANOPY_DIFF_EXPRS}`);
  if (!Number.isInteger(seed)) throw new Error(`CANOPY_DIFF_SEED must be an integer, not ${seedEnv}`);
  return { total, seed };
}

/**
 * The classes where Canopy once differed from Prometheus 2.42 (issue 12): binary operators with
 * an empty side (no many-to-many error then), predict_linear/deriv with @ and over counter
 * resets, avg and friends over ±MaxFloat64, absent() with repeated matchers, histogram_quantile
 * on odd bucket sets, timestamp() with offset and @, count_values over values one bit apart.
 */
function edgeClassExprs(add: (expr: string, range?: boolean) => void): void {
  for (const op of [...ARITH, ...CMP, 'and', 'or', 'unless']) {
    add(`ratio_dup ${op} nonexistent_metric`, true);
    add(`nonexistent_metric ${op} ratio_dup`, true);
    add(`ratio_dup ${op} on (instance) ratio_dup{shard="9"}`, true);
    add(`up{job="zzz"} ${op} on (instance) ratio_dup`, true);
    add(`(ratio_dup > 3) ${op} on (instance) ratio_dup`, true);
    add(`ratio_dup ${op} ignoring (shard) (ratio_dup > 100)`, true);
    add(`sparse_gauge ${op} on () ratio_dup`, true);
    if (!['and', 'or', 'unless'].includes(op)) {
      add(`ratio_dup ${op} on (instance) group_left nonexistent_metric`, true);
      add(`nonexistent_metric ${op} on (instance) group_right ratio_dup`, true);
      add(`ratio ${op} on (instance) group_left (ratio_dup > 2)`, true);
    }
  }
  for (const at of [
    '@ start()',
    '@ end()',
    '@ start() offset 5m',
    '@ end() offset -3m',
    'offset 10m @ start()',
    '@ end() offset 1h',
  ]) {
    add(`predict_linear(node_memory_active_bytes[10m] ${at}, 300)`, true);
    add(`predict_linear(http_requests_total{job="api"}[30m] ${at}, 600)`, true);
    add(`deriv(temperature_celsius[5m] ${at})`, true);
    add(`deriv(http_requests_total[20m] ${at})`, true);
    add(`rate(http_requests_total{job="web"}[5m] ${at})`, true);
    add(`timestamp(temperature_celsius ${at})`, true);
    add(`timestamp(sparse_gauge ${at})`, true);
    add(`timestamp(queue_depth ${at}) - time()`, true);
    add(`temperature_celsius ${at}`, true);
    add(`max_over_time(temperature_celsius[5m:1m] ${at})`, true);
    add(`timestamp(max_over_time(temperature_celsius[5m:1m] ${at}))`, true);
  }
  // An @ under a subquery with @ starting on its parent's first step: 2.42 reads it early
  // (docs/promql.md), often outside what it selected (root 5000, seed 1276489174).
  for (const at of ['@ end()', '@ start()']) {
    const early = `(last_over_time((max_over_time(ratio[1m] offset 1m ${at}))[10m:] ${at}))[10m:1m]`;
    const near = `(last_over_time((temperature_celsius ${at})[2m:] ${at}))[2m:1m]`;
    add(`quantile by (sign) (0.5, rate(${early}))`, true);
    add(`max_over_time(${early})`, true);
    add(`stddev(max_over_time(${near}))`, true);
    add(`topk(2, max_over_time(${near}))`, true);
    add(`count_values("v", max_over_time(${near}))`, true);
    add(
      `max_over_time((last_over_time((max_over_time(ratio[5m] ${at}))[2m:] offset 1m ${at}))[3m:1m])`,
      true,
    );
    add(`max_over_time((max_over_time((predict_linear(ratio[5m] ${at}, 60))[2m:] ${at}))[2m:1m])`, true);
    add(`max_over_time((max_over_time((timestamp(ratio ${at}))[2m:] ${at}))[2m:1m])`, true);
  }
  for (const t of ['-3600', '0', '60', '1e6']) {
    add(`predict_linear(http_requests_total[1h], ${t})`, true);
    add(`predict_linear(http_requests_total{job="web"}[15m], ${t})`, true);
  }
  add('deriv(http_requests_total[1h])', true);
  add('deriv(http_requests_total[3m])', true);
  add('timestamp(timestamp(up offset 1m))', true);
  add('timestamp(up{instance="i0"} offset -1m)', true);
  add('timestamp(sum by (job) (up))', true);
  add('timestamp(-up @ start())', true);
  for (const a of [
    'sum',
    'avg',
    'min',
    'max',
    'stddev',
    'stdvar',
    'count',
    'quantile(0.5,',
    'count_values("v",',
  ]) {
    const args = (grp: string, body: string): string =>
      a.endsWith(',')
        ? `${a.slice(0, a.indexOf('('))}${grp} (${a.slice(a.indexOf('(') + 1)} ${body})`
        : `${a}${grp} (${body})`;
    for (const g of ['', ' by (sign)', ' without (i)', ' by (job)']) {
      add(args(g, 'huge_values'), true);
      add(args(g, 'huge_values / 2'), true);
      add(args(g, 'huge_values{i=~"[0-3]"}'), true);
    }
  }
  for (const f of [
    'avg_over_time',
    'sum_over_time',
    'stddev_over_time',
    'stdvar_over_time',
    'min_over_time',
    'quantile_over_time(0.5,',
  ]) {
    const call = (r: string): string =>
      f.endsWith(',') ? `${f} huge_values[${r}])` : `${f}(huge_values[${r}])`;
    add(call('5m'), true);
    add(call('30m'), true);
  }
  add('avg(huge_values) * 2', true);
  add('avg(huge_values{i=~"0|1|2"})', true);
  add('avg(huge_values{i=~"0|2"} or huge_values{i="1"})', true);
  add('huge_values + huge_values', true);
  add('huge_values * -1 > 0', true);
  for (const m of [
    'nonexistent_metric{job="a",job="a"}',
    'nonexistent_metric{job="a",job="b"}',
    'nonexistent_metric{job="a",job=~"a"}',
    'nonexistent_metric{job="a",job!="b"}',
    'nonexistent_metric{job="a",instance="x",job="a"}',
    'nonexistent_metric{job="a",job="a",job="b"}',
    'nonexistent_metric{job=~"a",job="b"}',
    '{__name__="nonexistent_metric",__name__="nonexistent_metric"}',
    '{__name__="nonexistent_metric",job="x",job="x"}',
    'nonexistent_metric{__name__="nonexistent_metric"}',
    'nonexistent_metric{job=""}',
    'nonexistent_metric{job="",job="a"}',
    'up{job="api",job="web"}',
    'up{job="api",job="api"}',
  ]) {
    add(`absent(${m})`, true);
    add(`absent_over_time(${m}[5m])`, true);
    add(`absent(${m} offset 5m)`, true);
    add(`absent(${m} @ start())`, true);
    add(`absent(sum(${m}))`, true);
    add(`absent(rate(${m}[5m]))`, true);
    add(`absent(${m} + 1)`, true);
  }
  const odd = [
    'odd_bucket',
    'rate(odd_bucket[5m])',
    'sum by (le) (odd_bucket)',
    'sum by (le, kind) (odd_bucket)',
    'odd_bucket * 0',
    'odd_bucket{kind="nanle"}',
    'odd_bucket{kind=~"dupele|infle"}',
    'sum by (le) (rate(odd_bucket{kind!="badle"}[10m]))',
    'label_replace(odd_bucket, "le", "$1", "le", "(.*)0")',
    'max by (le) (odd_bucket)',
  ];
  for (const q of ['0', '0.1', '0.25', '0.5', '0.75', '0.9', '0.99', '1', 'NaN', '-0.1'])
    for (const x of odd) add(`histogram_quantile(${q}, ${x})`, true);
  add('histogram_quantile(0.5, odd_bucket @ start())', true);
  add('histogram_quantile(scalar(ratio{instance="i0"}), odd_bucket)', true);
  const nearArgs = [
    'near_equal',
    'near_equal * 3',
    'near_equal / 3',
    'near_equal + 0.2',
    '-near_equal',
    'huge_values',
    'huge_values / 1e300',
    'near_equal * 1e300',
    'near_equal * 1e-300',
    'odd_bucket',
    'rate(near_equal[5m])',
    'near_equal offset 2m',
    'sqrt(near_equal)',
    'exp(near_equal)',
  ];
  for (const x of nearArgs) {
    add(`count_values("value", ${x})`, true);
    add(`count_values by (job) ("v", ${x})`, true);
    add(`count_values without (i) ("v", ${x})`, true);
    add(`sum(count_values("value", ${x}))`, true);
  }
  add('count_values("i", near_equal)', true);
  add('count_values("le", odd_bucket)', true);
  add('count_values("job", near_equal)', true);
}

/**
 * False for expressions whose range-query answer Prometheus 2.42 itself does not determine
 * (and for count_values over float aggregations, see floatOrderLabels):
 * its range evaluation gathers intermediate series through a Go map, so their order is random,
 * and results that depend on input order then vary from run to run — sums that overflow
 * (huge values) and histogram_quantile over a NaN `le` (the sort is not total). Such
 * expressions run as instant queries only (a single step keeps the order).
 */
function orderStableInRange(expr: string): boolean {
  if (floatOrderLabels(expr)) return false;
  if (!/huge_values|big_values|odd_bucket|near_equal/.test(expr)) return true;
  // A plain selector, optionally under one function, keeps the selector's sorted order.
  return /^([a-z_]+\()?[a-z_]+(\{[^}]*\})?(\[\w+\])?( offset -?\w+| @ \w+\(\))*\)?$/.test(expr);
}

/**
 * False for random compositions whose exact answer 2.42 itself does not pin down, or that
 * compare bit patterns Canopy cannot reproduce:
 * - count_values turns values into label text, exact to the last bit; over Go's transcendental
 *   functions (Exp, Pow, trigonometry, which are not correctly rounded and differ from
 *   JavaScript's in the last bits) the labels then differ where the values agree to 1e-15;
 * - order-sensitive inputs (see orderStableInRange) under a subquery: the subquery's inner
 *   range evaluation orders series through a Go map, at random, even in an instant query.
 * (Which duplicate pair a many-to-many error names is random in 2.42 too: compare.ts.)
 */
function determinedBy242(expr: string): boolean {
  if (
    /count_values/.test(expr) &&
    /\^|atan2|\b(exp|ln|log2|log10|a?(sin|cos|tan)h?|holt_winters)\(/.test(expr)
  )
    return false;
  if (/huge_values|big_values|odd_bucket|near_equal/.test(expr) && /\[\w+:\w*\]/.test(expr)) return false;
  if (floatOrderLabels(expr) && /\[\w+:\w*\]/.test(expr)) return false;
  return true;
}

/**
 * count_values over a float aggregation (sum, avg, stddev, stdvar), whose last bits depend on
 * the order of its inputs: that order is random in 2.42's range evaluation (subqueries, range
 * queries), and count_values makes the last bits label text.
 */
function floatOrderLabels(expr: string): boolean {
  // The aggregation after count_values in the text: inside it (or right of it, to be safe).
  return /count_values[^]*\b(sum|avg|stddev|stdvar)\b/.test(expr);
}

function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 4294967296;
}

/**
 * One random (seeded, so deterministic) composition of selectors with modifiers, range
 * functions, instant functions, aggregations, binary operators and subqueries, up to four
 * levels deep; leaves include the edge-class metrics above.
 */
function composedExpr(rnd: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const sels = [
    'http_requests_total',
    'node_cpu_seconds_total',
    'temperature_celsius',
    'queue_depth',
    'up',
    'request_duration_seconds_sum',
    'flaky_gauge',
    'sparse_gauge',
    'node_load1',
    'huge_values',
    'near_equal',
    'odd_bucket',
    'nonexistent_metric',
    'up{job="zzz"}',
    'ratio_dup',
    'ratio',
    'big_values',
    'http_requests_total{job="api",job="api"}',
    'temperature_celsius{room="a",room=~"a|b"}',
    'request_duration_seconds_bucket',
    'build_info',
  ];
  const mod = (): string => {
    const r = rnd();
    if (r < 0.55) return '';
    return pick([
      ' offset 3m',
      ' offset -2m',
      ' @ start()',
      ' @ end()',
      ' @ start() offset 5m',
      ' @ end() offset 2m',
      ' offset 1m @ end()',
      ' @ start() offset -1m',
    ]);
  };
  const grouping = (): string =>
    pick([...GROUPINGS, ' by (le)', ' by (sign)', ' without (i)', ' by (kind, le)']);
  const vector = (depth: number): string => {
    const r = depth <= 0 ? Math.floor(rnd() * 2) * 7 : Math.floor(rnd() * 12);
    switch (r) {
      case 0:
        return `${pick(RANGE_FUNCS.filter((f) => f !== 'absent_over_time'))}(${pick(sels)}[${pick(RANGES)}]${mod()})`;
      case 1:
        return `${pick(AGGS)}${grouping()} (${vector(depth - 1)})`;
      case 2:
        return `${pick([...MATH_FUNCS, 'sort', 'sort_desc', 'abs', 'clamp_min', 'timestamp', 'absent'])}(${vector(depth - 1)})`.replace(
          /clamp_min\((.*)\)$/,
          'clamp_min($1, 1)',
        );
      case 3: {
        const op = pick([...ARITH, ...CMP, 'and', 'or', 'unless']);
        const set = op === 'and' || op === 'or' || op === 'unless';
        const matching =
          rnd() < 0.3
            ? pick([' on (instance)', ' ignoring (job)', ' on ()', ' on (job, instance)', ' ignoring (le)'])
            : '';
        const group = !set && matching && rnd() < 0.4 ? pick([' group_left', ' group_right']) : '';
        const bool = !set && CMP.includes(op) && rnd() < 0.3 ? ' bool' : '';
        const rhs = !set && rnd() < 0.4 ? pick(['0', '2', '-1', '1e308', 'NaN', '0.1']) : vector(depth - 1);
        return `${vector(depth - 1)} ${op}${bool}${/^[-\dN]/.test(rhs) ? '' : matching + group} ${rhs}`;
      }
      case 4:
        return `${pick(['max_over_time', 'avg_over_time', 'rate', 'deriv', 'stddev_over_time', 'last_over_time'])}((${vector(depth - 1)})[${pick(['5m', '10m', '16m'])}:${pick(['', '1m', '45s'])}]${mod()})`;
      case 5:
        return `quantile${grouping()} (${pick(['0.1', '0.5', '0.95'])}, ${vector(depth - 1)})`;
      case 6: {
        const range = `${pick(sels)}[${pick(['5m', '10m', '30m'])}]${mod()}`;
        return rnd() < 0.5 ? `deriv(${range})` : `predict_linear(${range}, ${pick(['0', '300', '-600'])})`;
      }
      case 7:
        return `${pick(sels)}${mod()}`;
      case 8: {
        const b = pick(['odd_bucket', 'request_duration_seconds_bucket', 'odd_bucket{kind=~"n.*"}']) + mod();
        const arg = pick([
          b,
          `rate(${b.replace(/( offset| @|$)/, '[5m]$1')})`,
          `sum by (le) (${b})`,
          `sum by (le) (${vector(depth - 1)})`,
          vector(depth - 1),
        ]);
        return `histogram_quantile(${pick(['0', '0.5', '0.9', '1'])}, ${arg})`;
      }
      case 9:
        return `count_values${pick(['', ' by (job)', ' without (instance)'])} ("cv", ${vector(depth - 1)})`;
      case 10:
        return `label_replace(${vector(depth - 1)}, "${pick(['x', 'le', 'instance'])}", "$1", "${pick(['instance', 'job', 'i'])}", "(.*)")`;
      default:
        return `(${vector(depth - 1)})`;
    }
  };
  return vector(1 + Math.floor(rnd() * 4));
}
