// The one builder of Prometheus API error bodies: fixed bytes, and the status/errorType pair
// for each CanopyError code (Prometheus's API: 400 bad_data, 422 execution, 503 timeout/
// canceled/unavailable, 404 not_found, 500 internal).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CanopyError } from '../../../shared/errors.ts';
import { apiError, apiErrorBody, apiErrorResponse } from '../../../shared/http/index.ts';

test('body bytes and response of a given pair', () => {
  assert.equal(
    apiErrorBody('bad_data', 'x "y"'),
    '{"status":"error","errorType":"bad_data","error":"x \\"y\\""}',
  );
  assert.deepEqual(apiErrorResponse(503, 'unavailable', 'admin APIs disabled'), {
    status: 503,
    headers: { 'content-type': 'application/json' },
    body: '{"status":"error","errorType":"unavailable","error":"admin APIs disabled"}',
  });
});

test('a thrown error maps to the Prometheus status and errorType of its code', () => {
  const cases: [unknown, number, string][] = [
    [new CanopyError('bad_data', 'b'), 400, 'bad_data'],
    [new CanopyError('parse_error', 'p'), 400, 'bad_data'],
    [new CanopyError('too_many_samples', 's'), 422, 'execution'],
    [new CanopyError('timeout', 't'), 503, 'timeout'],
    [new CanopyError('canceled', 'c'), 503, 'canceled'],
    [new CanopyError('unavailable', 'u'), 503, 'unavailable'],
    [new CanopyError('not_found', 'n'), 404, 'not_found'],
    [new CanopyError('corrupt', 'k'), 500, 'internal'],
    [new Error('plain'), 500, 'internal'],
  ];
  for (const [e, status, errorType] of cases) {
    const r = apiError(e);
    assert.equal(r.status, status, String(e));
    assert.deepEqual(JSON.parse(r.body as string), {
      status: 'error',
      errorType,
      error: (e as Error).message,
    });
  }
});
