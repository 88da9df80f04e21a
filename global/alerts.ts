// ZoneAlerts: the root's merged view of every zone's rules, alerts and silences, fetched over
// HTTP from the zones' URLs (the http_url each zone publishes in its NATS heartbeat, listed by
// ZoneDirectory). A plain fan-out: live zones are asked in parallel with a timeout; a zone that
// fails or times out is left out and logged (the merged answer is partial, never a hang).
//   /api/v1/rules   groups of all zones (each group's file is prefixed "<zone>:"), plus the
//                   root's own global groups
//   /api/v1/alerts  alerts of all zones (their labels carry zone/region external labels)
//   /api/v2/alerts, /api/v2/silences  concatenated, query string passed through
//   POST /api/v2/silences, DELETE /api/v2/silence/{id}  written to every live zone
// The request's tenant (X-Scope-OrgID) is forwarded to the zones, which answer for it only.
import { errorMessage, isCanopyError } from '../shared/errors.ts';
import { ANONYMOUS_TENANT, TENANT_HEADER, tenantFromHeaders } from '../shared/tenant.ts';
import { json, type HttpResponse, type HttpServer } from '../shared/http/index.ts';
import type { Logger } from '../shared/log.ts';

export interface ZoneEndpoint {
  zone: string;
  httpUrl: string;
}

export class ZoneAlerts {
  constructor(
    private readonly zones: () => ZoneEndpoint[],
    private readonly log: Logger,
    private readonly timeoutMs = 5000,
  ) {}

  /** GETs `path` from every zone for `tenant`; returns the answers of those that replied. */
  async gather<T>(path: string, tenant = ANONYMOUS_TENANT): Promise<{ zone: string; body: T }[]> {
    const zs = this.zones().filter((z) => z.httpUrl);
    const out = await Promise.all(
      zs.map(async (z) => {
        try {
          const r = await fetch(`${z.httpUrl}${path}`, { headers: tenantHeaders(tenant), signal: AbortSignal.timeout(this.timeoutMs) });
          if (!r.ok) throw new Error(`status ${r.status}`);
          return { zone: z.zone, body: (await r.json()) as T };
        } catch (e) {
          this.log.warn(
            { zone: z.zone, path, err: errorMessage(e) },
            'zone left out of the merged alerting answer',
          );
          return undefined;
        }
      }),
    );
    return out.filter((x): x is { zone: string; body: T } => x !== undefined);
  }

  async rules(extra: unknown[] = [], tenant = ANONYMOUS_TENANT): Promise<unknown> {
    const got = await this.gather<{ data?: { groups?: { file?: string }[] } }>('/api/v1/rules', tenant);
    return {
      groups: [
        ...got.flatMap((g) =>
          (g.body.data?.groups ?? []).map((x) => ({ ...x, file: `${g.zone}:${x.file ?? ''}` })),
        ),
        ...extra,
      ],
    };
  }

  async alerts(extra: unknown[] = [], tenant = ANONYMOUS_TENANT): Promise<unknown> {
    const got = await this.gather<{ data?: { alerts?: unknown[] } }>('/api/v1/alerts', tenant);
    return { alerts: [...got.flatMap((g) => g.body.data?.alerts ?? []), ...extra] };
  }

  mount(http: HttpServer): void {
    for (const path of ['/api/v2/alerts', '/api/v2/silences']) {
      http.get(path, async (req) => {
        const tenant = requestTenant(req.headers);
        if (typeof tenant !== 'string') return tenant;
        const qs = req.params.toString();
        const got = await this.gather<unknown[]>(`${path}${qs ? `?${qs}` : ''}`, tenant);
        return json(
          200,
          got.flatMap((g) => (Array.isArray(g.body) ? g.body : [])),
        );
      });
    }
    // Silences written at the root go to every live zone (each zone mutes its own alerts). The
    // id returned is the zones' ids joined by ","; DELETE with it (or with any one zone's id)
    // expires the matching silences wherever they are. Stateless: nothing is kept at the root.
    http.route(['POST'], '/api/v2/silences', async (req) => {
      const tenant = requestTenant(req.headers);
      if (typeof tenant !== 'string') return tenant;
      let body: { id?: string };
      try {
        body = JSON.parse(req.body.toString('utf8') || '{}') as { id?: string };
      } catch (e) {
        return json(400, `cannot parse JSON body: ${errorMessage(e)}`);
      }
      const ids = typeof body.id === 'string' && body.id ? body.id.split(',') : [];
      const got = await this.send('POST', '/api/v2/silences', tenant, (z, i) =>
        JSON.stringify(ids.length ? { ...body, id: ids[i] ?? '' } : body),
      );
      const ok = got.filter((g) => g.status === 200);
      if (ok.length === 0) return json(got[0]?.status ?? 503, got[0]?.text ?? 'no zone is available');
      return json(200, {
        silenceID: ok.map((g) => (JSON.parse(g.text) as { silenceID: string }).silenceID).join(','),
      });
    });
    http.route(['DELETE'], '/api/v2/silence/*', async (req) => {
      const tenant = requestTenant(req.headers);
      if (typeof tenant !== 'string') return tenant;
      const ids = decodeURIComponent(req.path.slice('/api/v2/silence/'.length)).split(',');
      let expired = 0;
      for (const id of ids) {
        const got = await this.send('DELETE', `/api/v2/silence/${encodeURIComponent(id)}`, tenant, () => undefined);
        expired += got.filter((g) => g.status === 200).length;
      }
      return expired > 0 ? json(200, '') : json(404, `silence ${ids.join(',')} not found in any zone`);
    });
  }

  /** Sends one request per live zone (in name order); returns each zone's status and body. */
  private async send(
    method: string,
    path: string,
    tenant: string,
    body: (z: ZoneEndpoint, i: number) => string | undefined,
  ): Promise<{ zone: string; status: number; text: string }[]> {
    const zs = this.zones()
      .filter((z) => z.httpUrl)
      .sort((a, b) => (a.zone < b.zone ? -1 : 1));
    return Promise.all(
      zs.map(async (z, i) => {
        try {
          const r = await fetch(`${z.httpUrl}${path}`, {
            method,
            headers: { 'content-type': 'application/json', ...tenantHeaders(tenant) },
            body: body(z, i),
            signal: AbortSignal.timeout(this.timeoutMs),
          });
          return { zone: z.zone, status: r.status, text: await r.text() };
        } catch (e) {
          this.log.warn({ zone: z.zone, path, err: errorMessage(e) }, 'zone did not answer a silence write');
          return { zone: z.zone, status: 503, text: JSON.stringify(errorMessage(e)) };
        }
      }),
    );
  }
}

function tenantHeaders(tenant: string): Record<string, string> {
  return tenant === ANONYMOUS_TENANT ? {} : { [TENANT_HEADER]: tenant };
}

/** The request's tenant, or the 400 answer for an invalid X-Scope-OrgID. */
function requestTenant(headers: Parameters<typeof tenantFromHeaders>[0]): string | HttpResponse {
  try {
    return tenantFromHeaders(headers);
  } catch (e) {
    if (isCanopyError(e, 'bad_data')) return json(400, { status: 'error', errorType: 'bad_data', error: e.message });
    throw e;
  }
}
