// ZoneAlerts: the root's merged view of every zone's rules, alerts and silences, fetched over
// HTTP from the zones' URLs (the http_url each zone publishes in its NATS heartbeat, listed by
// ZoneDirectory). A plain fan-out: live zones are asked in parallel with a timeout; a zone that
// fails or times out is left out and logged (the merged answer is partial, never a hang).
//   /api/v1/rules   groups of all zones (each group's file is prefixed "<zone>:"), plus the
//                   root's own global groups
//   /api/v1/alerts  alerts of all zones (their labels carry zone/region external labels)
//   /api/v2/alerts, /api/v2/silences  concatenated, query string passed through
import { errorMessage } from '../shared/errors.ts';
import { json, type HttpServer } from '../shared/http/index.ts';
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

  /** GETs `path` from every zone; returns the answers of those that replied. */
  async gather<T>(path: string): Promise<{ zone: string; body: T }[]> {
    const zs = this.zones().filter((z) => z.httpUrl);
    const out = await Promise.all(
      zs.map(async (z) => {
        try {
          const r = await fetch(`${z.httpUrl}${path}`, { signal: AbortSignal.timeout(this.timeoutMs) });
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

  async rules(extra: unknown[] = []): Promise<unknown> {
    const got = await this.gather<{ data?: { groups?: { file?: string }[] } }>('/api/v1/rules');
    return {
      groups: [
        ...got.flatMap((g) =>
          (g.body.data?.groups ?? []).map((x) => ({ ...x, file: `${g.zone}:${x.file ?? ''}` })),
        ),
        ...extra,
      ],
    };
  }

  async alerts(extra: unknown[] = []): Promise<unknown> {
    const got = await this.gather<{ data?: { alerts?: unknown[] } }>('/api/v1/alerts');
    return { alerts: [...got.flatMap((g) => g.body.data?.alerts ?? []), ...extra] };
  }

  mount(http: HttpServer): void {
    for (const path of ['/api/v2/alerts', '/api/v2/silences']) {
      http.get(path, async (req) => {
        const qs = req.params.toString();
        const got = await this.gather<unknown[]>(`${path}${qs ? `?${qs}` : ''}`);
        return json(
          200,
          got.flatMap((g) => (Array.isArray(g.body) ? g.body : [])),
        );
      });
    }
  }
}
