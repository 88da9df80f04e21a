// Delivery: one HTTP POST of a JSON payload, with a timeout. Failures are DeliveryError with
// `retryable` set as Alertmanager decides it: network errors, 5xx and 429 are retried, other
// 4xx are not (the payload will not get better).
import { CanopyError, errorMessage } from '../../shared/errors.ts';

export class DeliveryError extends CanopyError {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super('unavailable', message, { fields: { status } });
    this.name = 'DeliveryError';
  }
}

export async function postJson(
  url: string,
  body: unknown,
  timeoutMs: number,
  headers: Record<string, string> = {},
): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Canopy-Notifier', ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    throw new DeliveryError(`cannot POST to ${redact(url)}: ${errorMessage((e as Error).cause ?? e)}`, true);
  }
  const text = await res.text().catch(() => '');
  if (res.status >= 200 && res.status < 300) return;
  throw new DeliveryError(
    `cannot POST to ${redact(url)}: status ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`,
    res.status >= 500 || res.status === 429,
    res.status,
  );
}

/** Drops credentials from a URL before it is logged. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    if (/hooks\.slack\.com/.test(u.host)) u.pathname = '/<secret>';
    return u.toString();
  } catch {
    return '<invalid url>';
  }
}
