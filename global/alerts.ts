// ZoneAlerts: the root's merged view of every zone's rules, alerts and silences, fetched over
// HTTP from the zones' addresses in the topology (ZoneDirectory; never an address a heartbeat
// announces: a heartbeat could name any host, and the root would fetch it). Without a topology
// no zone has an address and these answers hold the root's own groups only. A plain fan-out: live zones are asked in parallel with a timeout; a zone that
// fails or times out is left out and logged (the merged answer is partial, never a hang).
//   /api/v1/rules   groups of all zones (each group's file is prefixed "<zone>:"), plus the
//                   root's own global groups
//   /api/v1/alerts  alerts of all zones (their labels carry zone/region external labels)
//   /api/v2/alerts, /api/v2/silences  concatenated, query string passed through
//   POST /api/v2/silences, DELETE /api/v2/silence/{id}  written to every live zone; with a web
//                   config file only by an authenticated user (403 otherwise)
// The request's tenant (X-Scope-OrgID) is forwarded to the zones, which answer for it only.
import { errorMessage, isCanopyError } from '../shared/errors.ts';
import { ANONYMOUS_TENANT, TENANT_HEADER, tenantFromHeaders } from '../shared/tenant.ts';
import {
  apiErrorResponse,
  HttpClient,
  json,
  requestErrorMessage,
  type HttpRequest,
  type HttpResponse,
  type HttpServer,
} from '../shared/http/index.ts';
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
    /** How to reach zones behind a web config (--zone.http-config.file). */
    private readonly http = new HttpClient(),
  ) {}

  /** GETs `path` from every zone for `tenant`; returns the answers of those that replied. */
  async gather<T>(path: string, tenant = ANONYMOUS_TENANT): Promise<{ zone: string; body: T }[]> {
    const zs = this.zones().filter((z) => z.httpUrl);
    const out = await Promise.all(
      zs.map(async (z) => {
        try {
          const r = await this.http.fetch(`${z.httpUrl}${path}`, {
            headers: tenantHeaders(tenant),
            signal: AbortSignal.timeout(this.timeoutMs),
          });
          if (!r.ok) throw new Error(`status ${r.status}`);
          return { zone: z.zone, body: (await r.json()) as T };
        } catch (e) {
          this.log.warn(
            { zone: z.zone, path, err: requestErrorMessage(e) },
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

  mount(http: HttpServer, o: { requireUser: boolean } = { requireUser: false }): void {
    const anonymous = (req: HttpRequest): HttpResponse | undefined =>
      o.requireUser && req.user === undefined
        ? json(
            403,
            'silence writes need an authenticated user: basic_auth_users or a verified client certificate in the web config file',
          )
        : undefined;
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
      const refused = anonymous(req);
      if (refused) return refused;
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
      if (ok.length === 0) {
        const first = got[0];
        if (!first) return json(503, 'no zone is available');
        // a zone refusing the root's own credentials is not the caller's 401/403
        if (first.status === 401 || first.status === 403) {
          return json(
            502,
            `zone ${first.zone} refused the root (HTTP ${first.status}): give the root credentials for the zones with --zone.http-config.file`,
          );
        }
        return json(first.status, first.text);
      }
      return json(200, {
        silenceID: ok.map((g) => (JSON.parse(g.text) as { silenceID: string }).silenceID).join(','),
      });
    });
    http.route(['DELETE'], '/api/v2/silence/*', async (req) => {
      const refused = anonymous(req);
      if (refused) return refused;
      const tenant = requestTenant(req.headers);
      if (typeof tenant !== 'string') return tenant;
      const ids = decodeURIComponent(req.path.slice('/api/v2/silence/'.length)).split(',');
      let expired = 0;
      for (const id of ids) {
        const got = await this.send(
          'DELETE',
          `/api/v2/silence/${encodeURIComponent(id)}`,
          tenant,
          () => undefined,
        );
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
          const r = await this.http.fetch(`${z.httpUrl}${path}`, {
            method,
            headers: { 'content-type': 'application/json', ...tenantHeaders(tenant) },
            body: body(z, i),
            signal: AbortSignal.timeout(this.timeoutMs),
          });
          return { zone: z.zone, status: r.status, text: await r.text() };
        } catch (e) {
          const err = requestErrorMessage(e);
          this.log.warn({ zone: z.zone, path, err }, 'zone did not answer a silence write');
          return { zone: z.zone, status: 503, text: JSON.stringify(`zone ${z.zone} did not answer: ${err}`) };
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
    if (isCanopyError(e, 'bad_data')) return apiErrorResponse(400, 'bad_data', e.message);
    throw e;
  }
}
