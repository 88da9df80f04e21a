// The PromQL classes where Canopy differed from Prometheus 2.42 (issue 12), one script each;
// expected values worked out from the 2.42 sources (promql/engine.go, functions.go,
// quantile.go). The differential tests (test/e2e/promql-prometheus.test.ts,
// test/e2e/global-prometheus.test.ts) check the same classes against a live Prometheus.
import { runScript } from './promqltest.ts';

runScript(
  'binary operators with an empty side short-circuit (no many-to-many error)',
  `
load 5m
  dup{a="1", b="x"} 1 1 5
  dup{a="1", b="y"} 2 2 2
  one{a="1"} 5 50 5

eval instant at 0m nonexistent * on (a) dup

eval instant at 0m dup * on (a) nonexistent

eval instant at 0m one{a="2"} + on (a) dup

eval instant at 0m (one > 10) == on (a) dup

eval_fail instant at 0m one + on (a) dup
  expected_fail_message found duplicate series for the match group {a="1"} on the right hand-side of the operation: [{__name__="dup", a="1", b="y"}, {__name__="dup", a="1", b="x"}];many-to-many matching not allowed: matching labels must be unique on one side

eval_fail range from 0 to 10m step 5m (one > 10) + on (a) dup
  expected_fail_code execution

eval range from 0 to 10m step 5m (one > 10) + on (a) (dup > 3)
`,
);

runScript(
  "avg is 2.42's incremental mean: huge values that cancel stay finite",
  `
load 5m
  huge{i="1"} 1.7976931348623157e308
  huge{i="2"} 1.7976931348623157e308
  huge{i="3"} -1.7976931348623157e308
  small{i="1"} 0.1
  small{i="2"} 0.2
  small{i="3"} 0.4

eval instant at 0m avg(huge)
  {} 5.992310449541053e307

eval instant at 0m sum(huge)
  {} +Inf

eval instant at 0m avg(small)
  {} 0.23333333333333334
`,
);

runScript(
  'absent() with repeated matchers on one label: built matcher by matcher as 2.42',
  `
load 5m
  up{job="x"} 1

eval instant at 0m absent(nonexistent{job=~"a",job="b"})
  {job="b"} 1

eval instant at 0m absent(nonexistent{job="",job="a"})
  {} 1

eval instant at 0m absent(nonexistent{job="a",job="a"})
  {} 1

eval instant at 0m absent(nonexistent{job="a",job!="b",instance="i"})
  {instance="i"} 1

eval instant at 0m absent_over_time(nonexistent{job=~"a",job="b"}[5m])
  {job="b"} 1
`,
);

runScript(
  'histogram_quantile on odd bucket sets',
  `
load 5m
  nanle{le="NaN"} 4
  nanle{le="0.5"} 2
  nanle{le="1"} 6
  nanle{le="+Inf"} 9
  noinf{le="0.1"} 1
  noinf{le="1"} 3
  single{le="+Inf"} 5
  dupe{le="0.5"} 1
  dupe{le="1"} 3
  dupe{le="1.0"} 2
  dupe{le="+Inf"} 10
  nonmono{le="0.1"} 5
  nonmono{le="0.5"} 3
  nonmono{le="1"} 8
  nonmono{le="+Inf"} 7
  badle{le="abc"} 100
  badle{le="1"} 1
  badle{le="+Inf"} 2

eval instant at 0m histogram_quantile(0.5, nanle)
  {} NaN

eval instant at 0m histogram_quantile(0.5, noinf)
  {} NaN

eval instant at 0m histogram_quantile(0.5, single)
  {} NaN

eval instant at 0m histogram_quantile(0.5, dupe)
  {} 1

eval instant at 0m histogram_quantile(0.5, nonmono)
  {} 0.08

eval instant at 0m histogram_quantile(0.75, badle)
  {} 1
`,
);

runScript(
  "count_values labels values one bit apart as Go's FormatFloat(v, 'f', -1, 64)",
  `
load 5m
  near{i="1"} 0.1
  near{i="2"} 0.10000000000000002
  near{i="3"} 1e21
  near{i="4"} 1e-7
  near{i="5"} 1000000000000000000000

eval instant at 0m count_values("v", near)
  {v="0.1"} 1
  {v="0.10000000000000002"} 1
  {v="1000000000000000000000"} 2
  {v="0.0000001"} 1
`,
);

runScript(
  "timestamp() of a selector with @ and offset: 2.42 drops the offset and sees only the querier's range",
  `
load 1m
  m 0+1x20

eval instant at 20m timestamp(m @ 600 offset 6m)

eval instant at 20m timestamp(m @ 600 offset -2m)
  {} 600

eval instant at 20m timestamp(m @ 600 offset 2m)
  {} 480

eval instant at 20m timestamp(m @ 600)
  {} 600

eval range from 10m to 20m step 5m timestamp(m @ 600 offset -2m)
  {} 600 600 600
`,
);

runScript(
  'predict_linear with an @ range in a range query: 2.42 slides the window from the query start',
  `
load 1m
  m 0+1x20

eval range from 10m to 20m step 5m predict_linear(m[10m] @ start(), 0)
  {} 10 15 _

eval instant at 10m predict_linear(m[10m] @ 600, 60)
  {} 11

eval range from 10m to 20m step 5m deriv(m[10m] @ start())
  {} 0.016666666666666666 0.016666666666666666 0.016666666666666666
`,
);

runScript(
  "ln, log10 and ^ of a subnormal value as Go's math on amd64 computes them (Log does not normalize it)",
  `
load 5m
  tiny 5e-324
  two 2

eval instant at 0m ln(tiny)
  {} -709.0895657128241

eval instant at 0m log2(tiny)
  {} -1074

eval instant at 0m tiny ^ 0.1
  {} 1.6018854016437714e-31

eval instant at 0m two ^ 0.5
  {} 1.4142135623730951

eval instant at 0m two ^ -3
  {} 0.125
`,
);

runScript(
  "exp, cosh and sinh overflow as Go's amd64 Exp does (from x ≈ 709.436, not 709.78)",
  `
load 5m
  x 709.45
  y 709.43

eval instant at 0m exp(x)
  {} +Inf

eval instant at 0m exp(y)
  {} 1.2633808701860083e308

eval instant at 0m cosh(x)
  {} +Inf

eval instant at 0m sinh(-x)
  {} -Inf
`,
);

runScript(
  "predict_linear with an @ range inside a subquery: 2.42 slides it from the subquery's first step",
  `
load 1m
  m 0+1x30

eval instant at 20m last_over_time(predict_linear(m[2m] @ 900, 0)[4m:2m])
  {} 16
`,
);

runScript(
  "an @ under a subquery with @ that starts on its parent's first step: 2.42 does not re-base the offsets and reads it early",
  `
load 1m
  m 0+1x60

# Both subqueries start at 20m: x is read at 20m − 1m instead of 29m, outside what 2.42 selected for it.
eval instant at 30m max_over_time((last_over_time((max_over_time(m[1m] offset 1m @ 1800))[10m:] @ 1800))[10m:1m])

eval instant at 30m quantile(0.5, rate((last_over_time((max_over_time(m[1m] offset 1m @ 1800))[10m:] @ 1800))[10m:1m]))

# Both start at 28m: the windows end 2m early, within the samples selected for [25m, 30m].
eval instant at 30m max_over_time((last_over_time((max_over_time(m[5m] @ 1800))[2m:] @ 1800))[2m:1m])
  {} 28

eval instant at 30m max_over_time((last_over_time((m @ 1800)[2m:] @ 1800))[2m:1m])
  {} 28

eval instant at 30m max_over_time((last_over_time((m @ 1800)[2m:] offset 1m @ 1800))[3m:1m])
  {} 28

eval range from 30m to 32m step 1m max_over_time((last_over_time((m @ 1800)[2m:] @ 1800))[2m:1m])
  {} 28 28 28

# The inner subquery starts at 28m, the outer at 27m: re-based, as written.
eval instant at 30m max_over_time((last_over_time((m @ 1800)[2m:] @ 1800))[3m:1m])
  {} 30

# timestamp() recomputes the offset at every step: never early.
eval instant at 30m max_over_time((max_over_time((timestamp(m @ 1800))[2m:] @ 1800))[2m:1m])
  {} 1800
`,
);

runScript(
  'a scalar side drops empty vector matching: on () / ignoring () / group_left are accepted (2.42 refuses only on (labels…))',
  `
load 5m
  x{a="1"} 3

eval instant at 0m 1 + on () vector(1)
  {} 2

eval instant at 0m -1 % on () group_left vector(1)
  {} -0

eval instant at 0m 1 + ignoring () x
  {a="1"} 4

eval instant at 0m 1 + on () group_left (a) x
  {a="1"} 4

eval_fail instant at 0m 1 + on (a) x
  expected_fail_message 1:1: parse error: vector matching only allowed between instant vectors
`,
);
