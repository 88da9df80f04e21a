// Instant-vector functions: math, trigonometry, clamp/round, calendar, label_replace/join,
// sort, absent, scalar/vector/time, timestamp, histogram_quantile over classic buckets.
import { runScript } from './promqltest.ts';

runScript(
  'math',
  `
load 5m
  m{a="pos"} 2.5
  m{a="neg"} -2.5
  m{a="zero"} 0
  big 1e6
  nums{v="nan"} NaN
  nums{v="inf"} Inf

eval instant at 0 abs(m)
  {a="pos"} 2.5
  {a="neg"} 2.5
  {a="zero"} 0

eval instant at 0 ceil(m)
  {a="pos"} 3
  {a="neg"} -2
  {a="zero"} 0

eval instant at 0 floor(m)
  {a="pos"} 2
  {a="neg"} -3
  {a="zero"} 0

eval instant at 0 round(m)
  {a="pos"} 3
  {a="neg"} -2
  {a="zero"} 0

eval instant at 0 round(m, 2)
  {a="pos"} 2
  {a="neg"} -2
  {a="zero"} 0

eval instant at 0 round(big, 300)
  {} 999900

eval instant at 0 round(m{a="pos"}, 0.1)
  {a="pos"} 2.5

eval instant at 0 sgn(m)
  {a="pos"} 1
  {a="neg"} -1
  {a="zero"} 0

eval instant at 0 sqrt(big)
  {} 1000

eval instant at 0 exp(m{a="zero"})
  {a="zero"} 1

eval instant at 0 ln(big)
  {} 13.815510557964274

eval instant at 0 log2(big)
  {} 19.931568569324174

eval instant at 0 log10(big)
  {} 6

eval instant at 0 ln(m{a="neg"})
  {a="neg"} NaN

eval instant at 0 clamp(m, -1, 1)
  {a="pos"} 1
  {a="neg"} -1
  {a="zero"} 0

eval instant at 0 clamp(m, 1, -1)

eval instant at 0 clamp_max(m, 1)
  {a="pos"} 1
  {a="neg"} -2.5
  {a="zero"} 0

eval instant at 0 clamp_min(m, 1)
  {a="pos"} 2.5
  {a="neg"} 1
  {a="zero"} 1

eval instant at 0 clamp(nums, 0, 10)
  {v="nan"} NaN
  {v="inf"} 10

eval instant at 0 abs(nums)
  {v="nan"} NaN
  {v="inf"} +Inf
`,
);

runScript(
  'trigonometry',
  `
load 5m
  trig{l="x"} 10
  trig{l="y"} 20
  trig{l="NaN"} NaN
  one 1

eval instant at 0 sin(trig)
  {l="x"} -0.5440211108893699
  {l="y"} 0.9129452507276277
  {l="NaN"} NaN

eval instant at 0 cos(trig)
  {l="x"} -0.8390715290764524
  {l="y"} 0.40808206181339196
  {l="NaN"} NaN

eval instant at 0 tan(trig)
  {l="x"} 0.6483608274590867
  {l="y"} 2.2371609442247427
  {l="NaN"} NaN

eval instant at 0 asin(trig - 10.1)
  {l="x"} -0.10016742116155944
  {l="y"} NaN
  {l="NaN"} NaN

eval instant at 0 acos(one)
  {} 0

eval instant at 0 atan(one)
  {} 0.7853981633974483

eval instant at 0 sinh(one)
  {} 1.1752011936438014

eval instant at 0 cosh(one)
  {} 1.5430806348152437

eval instant at 0 tanh(one)
  {} 0.7615941559557649

eval instant at 0 asinh(one)
  {} 0.881373587019543

eval instant at 0 acosh(one)
  {} 0

eval instant at 0 atanh(one - 0.5)
  {} 0.5493061443340548

eval instant at 0 deg(one * pi())
  {} 180

eval instant at 0 rad(one * 180)
  {} 3.141592653589793

eval instant at 0 pi()
  3.141592653589793
`,
);

runScript(
  'calendar',
  `
load 5m
  t{a="leap"} 1583020800
  t{a="y2k"} 946684799
  t{a="2020-12-31"} 1609372800

eval instant at 0 year(t)
  {a="leap"} 2020
  {a="y2k"} 1999
  {a="2020-12-31"} 2020

eval instant at 0 month(t)
  {a="leap"} 3
  {a="y2k"} 12
  {a="2020-12-31"} 12

eval instant at 0 day_of_month(t)
  {a="leap"} 1
  {a="y2k"} 31
  {a="2020-12-31"} 31

eval instant at 0 day_of_week(t)
  {a="leap"} 0
  {a="y2k"} 5
  {a="2020-12-31"} 4

eval instant at 0 day_of_year(t)
  {a="leap"} 61
  {a="y2k"} 365
  {a="2020-12-31"} 366

eval instant at 0 days_in_month(t - 86400)
  {a="leap"} 29
  {a="y2k"} 31
  {a="2020-12-31"} 31

eval instant at 0 hour(t)
  {a="leap"} 0
  {a="y2k"} 23
  {a="2020-12-31"} 0

eval instant at 0 minute(t)
  {a="leap"} 0
  {a="y2k"} 59
  {a="2020-12-31"} 0

eval instant at 0 year()
  {} 1970

eval instant at 50m minute()
  {} 50

eval instant at 30h hour()
  {} 6

eval instant at 0 month()
  {} 1

eval instant at 0 day_of_week()
  {} 4

eval instant at 0 days_in_month()
  {} 31
`,
);

runScript(
  'labels',
  `
load 5m
  testmetric{src="source-value-10",dst="original-destination-value"} 0
  testmetric{src="source-value-20",dst="original-destination-value"} 1
  joinmetric{src="a",src1="b",src2="c",dst="original-destination-value"} 0
  joinmetric{src="d",src1="e",src2="f",dst="original-destination-value"} 1

eval instant at 0m label_replace(testmetric, "dst", "destination-value-$1", "src", "source-value-(.*)")
  testmetric{src="source-value-10",dst="destination-value-10"} 0
  testmetric{src="source-value-20",dst="destination-value-20"} 1

eval instant at 0m label_replace(testmetric, "dst", "destination-value-$1", "src", "value-(.*)")
  testmetric{src="source-value-10",dst="original-destination-value"} 0
  testmetric{src="source-value-20",dst="original-destination-value"} 1

eval instant at 0m label_replace(testmetric, "dst", "$1-value-$2", "src", "(.*)-value-(.*)")
  testmetric{src="source-value-10",dst="source-value-10"} 0
  testmetric{src="source-value-20",dst="source-value-20"} 1

eval instant at 0m label_replace(testmetric, "dst", "\${1}x", "src", "source-value-(.*)")
  testmetric{src="source-value-10",dst="10x"} 0
  testmetric{src="source-value-20",dst="20x"} 1

eval instant at 0m label_replace(testmetric, "dst", "$1x", "src", "source-value-(.*)")
  testmetric{src="source-value-10"} 0
  testmetric{src="source-value-20"} 1

eval instant at 0m label_replace(testmetric, "dst", "$name", "src", "source-value-(?P<name>.*)")
  testmetric{src="source-value-10",dst="10"} 0
  testmetric{src="source-value-20",dst="20"} 1

eval instant at 0m label_replace(testmetric, "dst", "value-$1", "nonexistent-src", "source-value-(.*)")
  testmetric{src="source-value-10",dst="original-destination-value"} 0
  testmetric{src="source-value-20",dst="original-destination-value"} 1

eval instant at 0m label_replace(testmetric, "dst", "value-$1", "nonexistent-src", "(.*)")
  testmetric{src="source-value-10",dst="value-"} 0
  testmetric{src="source-value-20",dst="value-"} 1

eval instant at 0m label_replace(testmetric, "dst", "", "dst", ".*")
  testmetric{src="source-value-10"} 0
  testmetric{src="source-value-20"} 1

eval_fail instant at 0m label_replace(testmetric, "dst", "value-$1", "src", "(.*")

eval_fail instant at 0m label_replace(testmetric, "invalid-label-name", "", "src", "(.*)")
  expected_fail_message invalid destination label name in label_replace(): invalid-label-name

eval_fail instant at 0m label_replace(testmetric, "src", "", "", "")
  expected_fail_message vector cannot contain metrics with the same labelset

eval instant at 0m label_join(joinmetric, "dst", "-", "src", "src1", "src2")
  joinmetric{src="a",src1="b",src2="c",dst="a-b-c"} 0
  joinmetric{src="d",src1="e",src2="f",dst="d-e-f"} 1

eval instant at 0m label_join(joinmetric, "dst", "", "src", "src1", "missing")
  joinmetric{src="a",src1="b",src2="c",dst="ab"} 0
  joinmetric{src="d",src1="e",src2="f",dst="de"} 1

eval instant at 0m label_join(joinmetric, "dst", ",")
  joinmetric{src="a",src1="b",src2="c"} 0
  joinmetric{src="d",src1="e",src2="f"} 1

eval instant at 0m label_join(joinmetric, "label", "-", "__name__", "src")
  joinmetric{src="a",src1="b",src2="c",dst="original-destination-value",label="joinmetric-a"} 0
  joinmetric{src="d",src1="e",src2="f",dst="original-destination-value",label="joinmetric-d"} 1

eval_fail instant at 0m label_join(joinmetric, "bad-dst", "-", "src")
  expected_fail_message invalid destination label name in label_join(): bad-dst
`,
);

runScript(
  'sort absent scalar vector timestamp',
  `
load 5m
  http_requests{job="api-server", instance="0", group="production"} 0+10x10
  http_requests{job="api-server", instance="1", group="production"} 0+20x10
  http_requests{job="api-server", instance="0", group="canary"} 0+30x10
  http_requests{job="api-server", instance="1", group="canary"} 0+40x10
  http_requests{job="api-server", instance="2", group="canary"} NaN NaN NaN NaN NaN NaN NaN NaN NaN NaN NaN
  single 42+0x10
load 7m
  sparse 1 2 3

eval_ordered instant at 50m sort(http_requests)
  http_requests{group="production", instance="0", job="api-server"} 100
  http_requests{group="production", instance="1", job="api-server"} 200
  http_requests{group="canary", instance="0", job="api-server"} 300
  http_requests{group="canary", instance="1", job="api-server"} 400
  http_requests{group="canary", instance="2", job="api-server"} NaN

eval_ordered instant at 50m sort_desc(http_requests)
  http_requests{group="canary", instance="1", job="api-server"} 400
  http_requests{group="canary", instance="0", job="api-server"} 300
  http_requests{group="production", instance="1", job="api-server"} 200
  http_requests{group="production", instance="0", job="api-server"} 100
  http_requests{group="canary", instance="2", job="api-server"} NaN

eval instant at 50m absent(nonexistent)
  {} 1

eval instant at 50m absent(nonexistent{job="testjob", instance="testinstance", method=~".x"})
  {instance="testinstance", job="testjob"} 1

eval instant at 50m absent(nonexistent{job="testjob",job="testjob2",foo="bar"})
  {foo="bar"} 1

eval instant at 50m absent(sum(nonexistent{job="testjob", instance="testinstance"}))
  {} 1

eval instant at 50m absent(http_requests)

eval instant at 50m absent(sum(http_requests))

eval instant at 50m absent(rate(nonexistent[5m]))
  {} 1

eval instant at 50m absent({__name__=~"a.*", job="x"})
  {job="x"} 1

eval instant at 50m scalar(single)
  42

eval instant at 50m scalar(http_requests)
  NaN

eval instant at 50m scalar(nonexistent)
  NaN

eval instant at 50m vector(1)
  {} 1

eval instant at 60m vector(time())
  {} 3600

eval instant at 50m single + scalar(single)
  {} 84

eval instant at 10m timestamp(single)
  {} 600

eval instant at 16m timestamp(sparse)
  {} 840

eval instant at 16m timestamp(sparse offset 2m)
  {} 840

eval instant at 16m timestamp(-sparse)
  {} 960

eval instant at 16m timestamp(sparse @ 500)
  {} 420

eval range from 0 to 20m step 5m timestamp(sparse)
  {} 0 0 420 840 _
`,
);

runScript(
  'histogram_quantile classic',
  `
load 5m
  testhistogram_bucket{le="0.1", start="positive"} 0+5x10
  testhistogram_bucket{le=".2", start="positive"} 0+7x10
  testhistogram_bucket{le="1e0", start="positive"} 0+11x10
  testhistogram_bucket{le="+Inf", start="positive"} 0+12x10
  testhistogram_bucket{le="-.2", start="negative"} 0+1x10
  testhistogram_bucket{le="-0.1", start="negative"} 0+2x10
  testhistogram_bucket{le="0.3", start="negative"} 0+2x10
  testhistogram_bucket{le="+Inf", start="negative"} 0+3x10
  request_duration_seconds_bucket{job="job1", instance="ins1", le="0.1"} 0+1x10
  request_duration_seconds_bucket{job="job1", instance="ins1", le="0.2"} 0+3x10
  request_duration_seconds_bucket{job="job1", instance="ins1", le="+Inf"} 0+4x10
  request_duration_seconds_bucket{job="job1", instance="ins2", le="0.1"} 0+2x10
  request_duration_seconds_bucket{job="job1", instance="ins2", le="0.2"} 0+5x10
  request_duration_seconds_bucket{job="job1", instance="ins2", le="+Inf"} 0+6x10
  nonmonotonic_bucket{le="0.1"} 0+2x10
  nonmonotonic_bucket{le="1"} 0+1x10
  nonmonotonic_bucket{le="10"} 0+5x10
  nonmonotonic_bucket{le="+Inf"} 0+5x10
  no_inf_bucket{le="1"} 5
  no_inf_bucket{le="2"} 10

eval instant at 50m histogram_quantile(0, testhistogram_bucket)
  {start="positive"} 0
  {start="negative"} -0.2

eval instant at 50m histogram_quantile(0.2, testhistogram_bucket)
  {start="positive"} 0.048
  {start="negative"} -0.2

eval instant at 50m histogram_quantile(0.5, testhistogram_bucket)
  {start="positive"} 0.15
  {start="negative"} -0.15

eval instant at 50m histogram_quantile(0.8, testhistogram_bucket)
  {start="positive"} 0.72
  {start="negative"} 0.3

eval instant at 50m histogram_quantile(1, testhistogram_bucket)
  {start="positive"} 1
  {start="negative"} 0.3

eval instant at 50m histogram_quantile(-0.1, testhistogram_bucket)
  {start="positive"} -Inf
  {start="negative"} -Inf

eval instant at 50m histogram_quantile(1.01, testhistogram_bucket)
  {start="positive"} +Inf
  {start="negative"} +Inf

eval instant at 50m histogram_quantile(0.3, rate(testhistogram_bucket[5m]))
  {start="positive"} 0.072
  {start="negative"} -0.2

eval instant at 50m histogram_quantile(0.3, sum(rate(request_duration_seconds_bucket[5m])) by (le))
  {} 0.1

eval instant at 50m histogram_quantile(0.5, sum(rate(request_duration_seconds_bucket[5m])) by (le, instance))
  {instance="ins1"} 0.15
  {instance="ins2"} 0.13333333333333333

eval instant at 50m histogram_quantile(0.5, rate(request_duration_seconds_bucket[5m]))
  {instance="ins1", job="job1"} 0.15
  {instance="ins2", job="job1"} 0.13333333333333333

eval instant at 50m histogram_quantile(0.5, nonmonotonic_bucket)
  {} 2.5

eval instant at 0m histogram_quantile(0.5, nonmonotonic_bucket)
  {} NaN

eval instant at 0m histogram_quantile(0.5, no_inf_bucket)
  {} NaN
`,
);

runScript(
  'histogram_quantile groups by name too',
  `
load 5m
  a_bucket{le="1", job="x"} 1
  a_bucket{le="+Inf", job="x"} 2
  b_bucket{le="1", job="x"} 3
  b_bucket{le="+Inf", job="x"} 4
  c_bucket{le="1", job="y"} 1
  c_bucket{le="+Inf", job="y"} 2

eval_fail instant at 0m histogram_quantile(0.5, {__name__=~"a_bucket|b_bucket"})
  expected_fail_message vector cannot contain metrics with the same labelset

eval instant at 0m histogram_quantile(0.5, {__name__=~"a_bucket|c_bucket"})
  {job="x"} 1
  {job="y"} 1
`,
);
