// Zone pruning by external labels and field hints, with the reason for each skip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExpr, type VectorSelector } from '../../../shared/promql/index.ts';
import { canMatch, canMatchAny, type HintsView } from '../../../global/plan/index.ts';

const sel = (s: string): VectorSelector => parseExpr(s) as VectorSelector;
const ext = { zone: 'eu-1', region: 'eu' };
const hints: HintsView = {
  metricNames: new Set(['up', 'http_requests_total']),
  labels: new Map([
    ['job', { values: ['api', 'web'], complete: true }],
    ['instance', { values: ['h1'], complete: false }],
  ]),
};

test("matchers on external labels decide against the zone's values", () => {
  assert.equal(canMatch(sel('up{zone="eu-1"}'), ext, undefined), true);
  assert.equal(canMatch(sel('up{region=~"e.*"}'), ext, undefined), true);
  assert.match(
    String(canMatch(sel('up{zone="us-1"}'), ext, undefined)),
    /external label zone="eu-1" does not match zone="us-1"/,
  );
  assert.match(String(canMatch(sel('up{region!="eu"}'), ext, undefined)), /region/);
});

test('field hints: metric names and completely listed label values', () => {
  assert.equal(canMatch(sel('up'), ext, hints), true);
  assert.equal(canMatch(sel('{__name__=~"http_.*"}'), ext, hints), true);
  assert.match(String(canMatch(sel('nope'), ext, hints)), /no metric matching __name__="nope"/);
  assert.equal(canMatch(sel('up{job="api"}'), ext, hints), true);
  assert.match(String(canMatch(sel('up{job="db"}'), ext, hints)), /no job value/);
  // A sampled (incomplete) list cannot rule a value out; a matcher accepting "" cannot prune.
  assert.equal(canMatch(sel('up{instance="h9"}'), ext, hints), true);
  assert.equal(canMatch(sel('up{job=~"db|"}'), ext, hints), true);
  assert.match(String(canMatch(sel('up{team="x"}'), ext, hints)), /no label team/);
  // Without hints only external labels prune.
  assert.equal(canMatch(sel('nope'), ext, undefined), true);
});

test('a request is skipped only when none of its selectors can match', () => {
  assert.equal(canMatchAny([sel('nope'), sel('up')], ext, hints), true);
  assert.match(String(canMatchAny([sel('nope'), sel('up{zone="x"}')], ext, hints)), /nope/);
  assert.equal(canMatchAny([], ext, hints), true);
});

test('hints whose metric or label name lists are incomplete cannot rule a name out', () => {
  const partial: HintsView = { ...hints, metricNamesIncomplete: true, labelNamesIncomplete: true };
  assert.equal(canMatch(sel('nope'), ext, partial), true);
  assert.equal(canMatch(sel('up{team="x"}'), ext, partial), true);
  // Listed label values still prune.
  assert.match(String(canMatch(sel('up{job="db"}'), ext, partial)), /no job value/);
});
