// Typed errors. Every failure Canopy reports carries a stable literal `code` that callers
// branch on (never the message), structured fields, and an optional `cause`.
// Two kinds of failure: bad input → CanopyError (and a reason-labelled counter where samples
// are dropped); a broken invariant → bug(), which throws "BUG: …" and must fail tests.

export type ErrorCode =
  | 'config_invalid'
  | 'flag_invalid'
  | 'bad_data'
  | 'parse_error'
  | 'execution'
  | 'timeout'
  | 'canceled'
  | 'too_many_samples'
  | 'too_many_series'
  | 'unavailable'
  | 'not_found'
  | 'out_of_order'
  | 'out_of_bounds'
  | 'duplicate_sample'
  | 'limit_exceeded'
  | 'corrupt'
  | 'io'
  | 'internal';

export class CanopyError extends Error {
  readonly code: ErrorCode;
  readonly fields: Readonly<Record<string, unknown>>;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { cause?: unknown; fields?: Record<string, unknown> } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'CanopyError';
    this.code = code;
    this.fields = opts.fields ?? {};
  }
}

export function isCanopyError(e: unknown, code?: ErrorCode): e is CanopyError {
  return e instanceof CanopyError && (code === undefined || e.code === code);
}

/** A broken invariant: never caused by input. */
export function bug(message: string): never {
  throw new Error(`BUG: ${message}`);
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
