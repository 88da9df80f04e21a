// Selectors, lookback, staleness, offset, @, literals.
import { runScript } from './promqltest.ts';

runScript(
  'selectors',
  `
load 5m
  http_requests{job="api-server", instance="0", group="production"} 0+10x10
  http_requests{job="api-server", instance="1", group="production"} 0+20x10
  http_requests{job="api-server", instance="0", group="canary"} 0+30x10
  http_requests{job="app-server", instance="1", group="canary"} 0+80x10

eval instant at 50m http_requests{job="api-server", group="production"}
  http_requests{job="api-server", instance="0", group="production"} 100
  http_requests{job="api-server", instance="1", group="production"} 200

eval instant at 50m http_requests{job=~"app.*"}
  http_requests{job="app-server", instance="1", group="canary"} 800

eval instant at 50m http_requests{job!~"api.*|app-server"}

eval instant at 50m {__name__="http_requests", group!="production", instance="0"}
  http_requests{job="api-server", instance="0", group="canary"} 300

eval instant at 50m {__name__=~"http_req.*", job="app-server"}
  http_requests{job="app-server", instance="1", group="canary"} 800

# Lookback: the last sample is at 50m, visible until 55m inclusive.
eval instant at 55m http_requests{job="app-server"}
  http_requests{job="app-server", instance="1", group="canary"} 800

eval instant at 55m1s http_requests{job="app-server"}

eval instant at 3m http_requests{job="app-server"}
  http_requests{job="app-server", instance="1", group="canary"} 0

eval instant at 50m http_requests{job="app-server"} offset 10m
  http_requests{job="app-server", instance="1", group="canary"} 640

eval instant at 40m http_requests{job="app-server"} offset -10m
  http_requests{job="app-server", instance="1", group="canary"} 800

eval instant at 10m http_requests{job="app-server"} @ 3000
  http_requests{job="app-server", instance="1", group="canary"} 800

eval instant at 10m http_requests{job="app-server"} @ 1500 offset 5m
  http_requests{job="app-server", instance="1", group="canary"} 320

eval instant at 25m http_requests{job="app-server"} @ start()
  http_requests{job="app-server", instance="1", group="canary"} 400

eval instant at 50m nonexistent_metric

eval instant at 50m 1
  1

eval instant at 50m -0x10 + 1e1
  -6

eval instant at 50m Inf
  +Inf

eval instant at 50m "a string"
  "a string"

eval instant at 50m 'single\\'s'
  "single's"

eval instant at 50m \`raw\\n\`
  "raw\\\\n"

eval instant at 0 time()
  0

eval instant at 50m time()
  3000

eval range from 0 to 20m step 5m http_requests{job="app-server"}
  http_requests{job="app-server", instance="1", group="canary"} 0 80 160 240 320

eval range from 0 to 10m step 5m time()
  {} 0 300 600

eval range from 50m to 60m step 5m http_requests{job="app-server"}
  http_requests{job="app-server", instance="1", group="canary"} 800 800 _

eval range from 0 to 20m step 5m http_requests{job="app-server"} @ 1200
  http_requests{job="app-server", instance="1", group="canary"} 320 320 320 320 320

eval range from 10m to 20m step 5m http_requests{job="app-server"} @ end()
  http_requests{job="app-server", instance="1", group="canary"} 320 320 320
`,
);

runScript(
  'staleness',
  `
load 10s
  metric 0 1 stale 2 _ _ _ 3

eval instant at 0 metric
  metric 0

eval instant at 15s metric
  metric 1

# The stale marker at 20s ends the series.
eval instant at 25s metric

eval instant at 30s metric
  metric 2

# No stale marker: the value persists for the lookback.
eval instant at 60s metric
  metric 2

eval instant at 70s metric
  metric 3

eval range from 0 to 70s step 10s metric
  metric 0 1 _ 2 2 2 2 3

eval instant at 70s count_over_time(metric[70s])
  {} 4
`,
);

runScript(
  'matrix results',
  `
load 10s
  metric{a="1"} 1 2 3 4 5
  metric{a="2"} 10 20 30 40 50

eval instant at 40s count_over_time(metric[20s])
  {a="1"} 3
  {a="2"} 3

eval instant at 40s count_over_time(metric[20s] offset 10s)
  {a="1"} 3
  {a="2"} 3

eval instant at 40s sum_over_time(metric[15s] @ 20)
  {a="1"} 5
  {a="2"} 50

eval_fail range from 0 to 10s step 5s metric[1m]
  expected_fail_message invalid expression type "range vector" for range query, must be Scalar or instant Vector
`,
);
