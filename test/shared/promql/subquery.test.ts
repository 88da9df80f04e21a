// Subqueries: step alignment, default step, offsets, @, nesting, range queries over them.
import { runScript } from './promqltest.ts';

runScript(
  'subqueries',
  `
load 10s
  metric 1 2

eval instant at 10s sum_over_time(metric[50s:10s])
  {} 3

eval instant at 10s sum_over_time(metric[50s:5s])
  {} 4

eval instant at 5m sum_over_time(metric[50s:10s])
  {} 12

# The last sample stays visible until 5m10s, so only the step at 5m10s sees it.
eval instant at 6m sum_over_time(metric[50s:10s])
  {} 2

eval instant at 10s rate(metric[20s:10s])
  {} 0.1

eval instant at 20s rate(metric[20s:5s])
  {} 0.05

eval instant at 20s count_over_time(metric[20s:5s] offset 5s)
  {} 4

eval instant at 5m count_over_time(metric[20s:5s] @ 15)
  {} 4

eval instant at 2m count_over_time(metric[2m:])
  {} 3

eval instant at 20s max_over_time((metric * 2)[20s:10s])
  {} 4

eval range from 0 to 20s step 10s sum_over_time(metric[10s:5s])
  {} 1 4 6

eval instant at 30s max_over_time(rate(metric[20s:10s])[20s:10s])
  {} 0.1
`,
);

runScript(
  'nested subqueries',
  `
load 10s
  http_requests{job="api-server", instance="1", group="production"} 0+20x1000 200+30x1000
  http_requests{job="api-server", instance="0", group="production"} 0+10x1000 100+30x1000

eval instant at 8000s rate(http_requests[10m])
  {job="api-server", instance="1", group="production"} 2
  {job="api-server", instance="0", group="production"} 1

eval instant at 8000s rate(http_requests[10m:10s])
  {job="api-server", instance="1", group="production"} 2
  {job="api-server", instance="0", group="production"} 1

eval instant at 8000s sum(rate(http_requests[10m:1m]))
  {} 3

eval instant at 8000s min_over_time(sum(rate(http_requests[1m:30s]))[5m:1m])
  {} 3

# After the series switch to +30 per 10s (at 10010s) the rate is 3/s for both.
eval instant at 15000s rate(http_requests[10m:10s])
  {job="api-server", instance="1", group="production"} 3
  {job="api-server", instance="0", group="production"} 3

eval instant at 20000s max_over_time(deriv(rate(http_requests[2m])[5m:1m])[10m:])
  {job="api-server", instance="1", group="production"} 0
  {job="api-server", instance="0", group="production"} 0
`,
);
