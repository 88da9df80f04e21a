// Range queries: per-step semantics of matching, merging of series whose labels change,
// @ and subqueries across steps, absent and count_values over steps.
import { runScript } from './promqltest.ts';

runScript(
  'range semantics',
  `
load 1m
  a{job="x", k="1"} 1 2 3 4 5 6
  a{job="x", k="2"} _ _ _ 10 20 30
  b{job="x"} 10 10 _ _ _ _ _ _ _ _
  c_total{job="x"} 0
  d_total{job="x"} _ _ _ _ _ _ 50 60

eval range from 0 to 5m step 1m a{k="1"} * on(job) b
  {job="x"} 10 20 30 40 50 60

eval range from 0 to 5m step 1m a * on(job) group_left b
  {job="x", k="1"} 10 20 30 40 50 60
  {job="x", k="2"} _ _ _ 100 200 300

eval_fail range from 0 to 5m step 1m a + on(job) b
  expected_fail_message multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)

eval range from 0 to 2m step 1m a + on(job) b
  {job="x"} 11 12 13

eval_fail range from 0 to 5m step 1m label_replace(a, "k", "same", "k", ".*")
  expected_fail_message vector cannot contain metrics with the same labelset

eval range from 0 to 2m step 1m label_replace(a, "k", "same", "k", ".*")
  a{job="x", k="same"} 1 2 3

# Series that become identical after dropping the name merge when they never overlap in time.
eval range from 0 to 8m step 2m {__name__=~"c_total|d_total"} * 1
  {job="x"} 0 0 0 50 60

# Range-vector functions reject equal label sets even when they never overlap in time.
eval_fail range from 0 to 8m step 2m count_over_time({__name__=~"c_total|d_total"}[1m])
  expected_fail_message vector cannot contain metrics with the same labelset

eval range from 0 to 5m step 1m count_values("v", a{k="2"})
  {v="10"} _ _ _ 1 _ _
  {v="20"} _ _ _ _ 1 _
  {v="30"} _ _ _ _ _ 1

eval range from 0 to 5m step 1m absent(a{k="2"})
  {k="2"} 1 1 1 _ _ _

eval range from 0 to 5m step 1m max_over_time(a{k="1"}[2m:1m] @ 180)
  {job="x", k="1"} 4 4 4 4 4 4

eval range from 0 to 5m step 1m sum_over_time(a{k="1"}[2m:1m])
  {job="x", k="1"} 1 3 6 9 12 15

eval range from 0 to 5m step 1m a{k="1"} offset 2m
  a{job="x", k="1"} _ _ 1 2 3 4

eval range from 0 to 5m step 1m scalar(a{k="2"})
  {} NaN NaN NaN 10 20 30

eval range from 0 to 5m step 1m a{k="1"} > 2 < 5
  a{job="x", k="1"} _ _ 3 4 _ _

eval range from 0 to 5m step 1m a{k="1"} > bool 2
  {job="x", k="1"} 0 0 1 1 1 1

eval range from 0 to 5m step 2m topk(1, a)
  a{job="x", k="1"} 1 3 _
  a{job="x", k="2"} _ _ 20

eval range from 0 to 5m step 1m quantile(0.5, a)
  {} 1 2 3 7 12.5 18
`,
);
