// Range-vector functions: resets, changes, rate/increase/delta (extrapolation, counter
// resets), irate/idelta, deriv, predict_linear, holt_winters and the *_over_time family.
import { runScript } from './promqltest.ts';

runScript(
  'resets changes',
  `
load 5m
  http_requests{path="/foo"} 1 2 3 0 1 0 0 1 2 0
  http_requests{path="/bar"} 1 2 3 4 5 1 2 3 4 5
  http_requests{path="/biz"} 0 0 0 0 0 1 1 1 1 1
  nan_series NaN NaN 1 NaN

eval instant at 50m resets(http_requests[5m])
  {path="/foo"} 0
  {path="/bar"} 0
  {path="/biz"} 0

eval instant at 50m resets(http_requests[20m])
  {path="/foo"} 1
  {path="/bar"} 0
  {path="/biz"} 0

eval instant at 50m resets(http_requests[30m])
  {path="/foo"} 2
  {path="/bar"} 1
  {path="/biz"} 0

eval instant at 50m resets(http_requests[50m])
  {path="/foo"} 3
  {path="/bar"} 1
  {path="/biz"} 0

eval instant at 50m resets(nonexistent_metric[50m])

eval instant at 50m changes(http_requests[5m])
  {path="/foo"} 0
  {path="/bar"} 0
  {path="/biz"} 0

eval instant at 50m changes(http_requests[20m])
  {path="/foo"} 3
  {path="/bar"} 3
  {path="/biz"} 0

eval instant at 50m changes(http_requests[30m])
  {path="/foo"} 4
  {path="/bar"} 5
  {path="/biz"} 1

eval instant at 50m changes(http_requests[50m])
  {path="/foo"} 8
  {path="/bar"} 9
  {path="/biz"} 1

eval instant at 15m changes(nan_series[20m])
  {} 2
`,
);

runScript(
  'rate increase delta',
  `
load 5m
  http_requests{path="/foo"} 0+10x10
  http_requests{path="/bar"} 0+10x5 0+10x5
  http_requests{path="/baz"} 0 _ _ _ _ _ _ _ _ _ 100
  gauge 10 20 5 30

eval instant at 50m increase(http_requests[50m])
  {path="/foo"} 100
  {path="/bar"} 90
  {path="/baz"} 100

eval instant at 51m increase(http_requests[50m])
  {path="/foo"} 100
  {path="/bar"} 88.88888888888889

eval instant at 50m rate(http_requests[50m])
  {path="/foo"} 0.03333333333333333
  {path="/bar"} 0.03
  {path="/baz"} 0.03333333333333333

eval instant at 50m rate(http_requests{path="/foo"}[5m])
  {path="/foo"} 0.03333333333333333

eval instant at 52m increase(http_requests{path="/foo"}[10m])
  {path="/foo"} 20

eval instant at 50m rate(http_requests{path="/foo"}[1m])

eval instant at 15m delta(gauge[15m])
  {} 20

eval instant at 15m increase(gauge[15m])
  {} 40

eval instant at 15m idelta(gauge[15m])
  {} 25

eval instant at 10m idelta(gauge[15m])
  {} -15

eval instant at 50m irate(http_requests{path=~"/foo|/bar"}[50m])
  {path="/foo"} .03333333333333333
  {path="/bar"} .03333333333333333

eval instant at 30m irate(http_requests{path=~"/foo|/bar"}[50m])
  {path="/foo"} .03333333333333333
  {path="/bar"} 0

eval range from 0 to 20m step 10m increase(http_requests{path="/foo"}[10m])
  {path="/foo"} _ 20 20

eval instant at 50m rate(http_requests{path="/foo"}[50m] offset 25m)
  {path="/foo"} 0.01666666666666667
`,
);

runScript(
  'counter start extrapolation',
  `
load 5m
  counter_from_zero 0 10 20
  counter_late_start 1 11 21

# The zero point limits extrapolation before the first sample.
eval instant at 12m30s increase(counter_from_zero[15m])
  {} 25

eval instant at 10m increase(counter_late_start[15m])
  {} 21
`,
);

runScript(
  'deriv predict_linear holt_winters',
  `
load 5m
  testcounter_reset_middle 0+10x4 0+10x5
  http_requests{job="app-server", instance="1", group="canary"} 0+80x10
  const 7 7 7 7

eval instant at 50m rate(http_requests{group="canary", instance="1", job="app-server"}[50m])
  {group="canary", instance="1", job="app-server"} 0.26666666666666666

eval instant at 50m deriv(http_requests{group="canary", instance="1", job="app-server"}[50m])
  {group="canary", instance="1", job="app-server"} 0.26666666666666666

eval instant at 50m deriv(testcounter_reset_middle[100m])
  {} 0.010606060606060607

# slope 0.010606…/s; least-squares intercept at t=50m is 38.636…
eval instant at 50m predict_linear(testcounter_reset_middle[100m], 3600)
  {} 76.81818181818181

eval instant at 50m predict_linear(http_requests[50m], 3600) - (http_requests + deriv(http_requests[50m]) * 3600)
  {group="canary", instance="1", job="app-server"} 0

eval instant at 50m predict_linear(testcounter_reset_middle[100m], 0)
  {} 38.63636363636364

eval instant at 15m deriv(const[15m])
  {} 0

eval instant at 15m predict_linear(const[15m], 100)
  {} 7

eval instant at 50m holt_winters(http_requests[50m], 0.5, 0.5)
  {group="canary", instance="1", job="app-server"} 800

eval instant at 15m holt_winters(const[15m], 0.1, 0.9)
  {} 7

eval_fail instant at 50m holt_winters(http_requests[50m], 1, 0.5)
  expected_fail_message invalid smoothing factor. Expected: 0 < sf < 1, got: 1.000000

eval_fail instant at 50m holt_winters(http_requests[50m], 0.5, 0)
  expected_fail_message invalid trend factor. Expected: 0 < tf < 1, got: 0.000000
`,
);

runScript(
  'over_time',
  `
load 10s
  metric 1 2 3 4 5
  metric_nan{a="1"} 1 NaN 3
  metric_inf Inf 1 -Inf
  metric_neg -1 -2 -3
  metric_var 2 4 4 4 5 5 7 9

eval instant at 1m sum_over_time(metric[2m])
  {} 15

eval instant at 1m avg_over_time(metric[2m])
  {} 3

eval instant at 1m count_over_time(metric[2m])
  {} 5

eval instant at 1m min_over_time(metric[2m])
  {} 1

eval instant at 1m max_over_time(metric[2m])
  {} 5

eval instant at 1m last_over_time(metric[2m])
  metric 5

eval instant at 1m present_over_time(metric[2m])
  {} 1

eval instant at 1m quantile_over_time(0.5, metric[2m])
  {} 3

eval instant at 1m quantile_over_time(0.25, metric[2m])
  {} 2

eval instant at 1m quantile_over_time(2, metric[2m])
  {} +Inf

eval instant at 70s stdvar_over_time(metric_var[70s])
  {} 4

eval instant at 70s stddev_over_time(metric_var[70s])
  {} 2

eval instant at 1m min_over_time(metric_nan[2m])
  {a="1"} 1

eval instant at 1m max_over_time(metric_nan[2m])
  {a="1"} 3

eval instant at 1m avg_over_time(metric_nan[2m])
  {a="1"} NaN

eval instant at 1m avg_over_time(metric_inf[2m])
  {} NaN

eval instant at 1m max_over_time(metric_neg[2m])
  {} -1

eval instant at 25s sum_over_time(metric[10s])
  {} 3

eval instant at 5m count_over_time(metric[1m])

eval instant at 1m absent_over_time(metric[2m])

eval instant at 5m absent_over_time(metric{job="x", instance=~"a.*"}[1m])
  {job="x"} 1

eval range from 30s to 2m step 30s present_over_time(metric[30s])
  {} 1 1 _ _

eval range from 30s to 2m step 30s absent_over_time(metric[30s])
  {} _ _ 1 1
`,
);

runScript(
  'hand-computed windows',
  `
load 10s
  w 1 3 2 5

eval instant at 30s holt_winters(w[30s], 0.5, 0.5)
  {} 4.875

eval instant at 30s deriv(w[30s])
  {} 0.11

eval instant at 30s quantile_over_time(0.9, w[30s])
  {} 4.4

eval instant at 30s stddev_over_time(w[30s])
  {} 1.479019945774904

eval instant at 30s stdvar_over_time(w[30s])
  {} 2.1875

eval instant at 30s changes(w[30s])
  {} 3

eval instant at 30s resets(w[30s])
  {} 1

eval instant at 30s increase(w[30s])
  {} 7

eval instant at 30s rate(w[30s])
  {} 0.23333333333333334

eval instant at 30s delta(w[30s])
  {} 4

eval instant at 30s irate(w[30s])
  {} 0.3

eval instant at 30s idelta(w[30s])
  {} 3

eval instant at 30s avg_over_time(w[30s])
  {} 2.75

eval instant at 30s last_over_time(w[30s])
  w 5

# intercept at 30s: 2.75 + 0.11·15 = 4.4, plus 10 s of slope.
eval instant at 30s predict_linear(w[30s], 10)
  {} 5.5

eval range from 0 to 30s step 10s last_over_time(w[10s])
  w 1 3 2 5

eval range from 0 to 30s step 10s count_over_time(w[15s])
  {} 1 2 2 2
`,
);
