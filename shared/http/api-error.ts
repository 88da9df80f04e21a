// Prometheus API error bodies, the one place every tier builds them:
//   {"status":"error","errorType":"<type>","error":"<message>"}
// with the status codes of Prometheus's API: 400 bad_data, 422 execution, 503 timeout /
// canceled / unavailable, 404 not_found, 500 internal. apiError maps a thrown error (its
// CanopyError code) to that pair; apiErrorResponse and apiErrorBody take the pair as given,
// for answers that are not a thrown error (admin APIs off, a push that rejected items).
import { errorMessage, isCanopyError, type ErrorCode } from '../errors.ts';
import type { HttpResponse } from './server.ts';

export type ApiErrorType =
  'bad_data' | 'execution' | 'timeout' | 'canceled' | 'unavailable' | 'not_found' | 'internal';

const STATUS: Partial<Record<ErrorCode, [number, ApiErrorType]>> = {
  bad_data: [400, 'bad_data'],
  parse_error: [400, 'bad_data'],
  flag_invalid: [400, 'bad_data'],
  execution: [422, 'execution'],
  too_many_samples: [422, 'execution'],
  too_many_series: [422, 'execution'],
  limit_exceeded: [422, 'execution'],
  timeout: [503, 'timeout'],
  canceled: [503, 'canceled'],
  unavailable: [503, 'unavailable'],
  not_found: [404, 'not_found'],
};

/** The JSON text of an error body. */
export function apiErrorBody(errorType: ApiErrorType, message: string): string {
  return JSON.stringify({ status: 'error', errorType, error: message });
}

/** An error answer with the given status and errorType. */
export function apiErrorResponse(status: number, errorType: ApiErrorType, message: string): HttpResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: apiErrorBody(errorType, message) };
}

/** The answer to a thrown error: status and errorType from its CanopyError code, else 500 internal. */
export function apiError(e: unknown): HttpResponse {
  const [status, errorType]: [number, ApiErrorType] = (isCanopyError(e) ? STATUS[e.code] : undefined) ?? [
    500,
    'internal',
  ];
  return apiErrorResponse(status, errorType, errorMessage(e));
}
