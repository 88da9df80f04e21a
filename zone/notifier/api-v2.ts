// Alertmanager API v2 over the zone's notifier, in Alertmanager 0.25's shapes, so amtool and
// Grafana's Alertmanager data source work against a zone:
//   GET  /api/v2/status                 cluster (disabled), versionInfo, config.original, uptime
//   GET  /api/v2/receivers              [{name}]
//   GET  /api/v2/alerts                 ?filter=<matcher>…&active&silenced&inhibited&unprocessed&receiver=<re>
//   POST /api/v2/alerts                 [{labels, annotations, startsAt, endsAt, generatorURL}]
//   GET  /api/v2/alerts/groups          alerts grouped as the routing tree groups them; ?filter=…&receiver=<re>
//   GET  /api/v2/silences               ?filter=<matcher>…
//   POST /api/v2/silences               {id?, matchers, startsAt, endsAt, createdBy, comment} → {silenceID}
//   GET|DELETE /api/v2/silence/{id}
// Errors are JSON strings with 400 (bad input) or 404 (unknown silence), as Alertmanager's.
import { isCanopyError, errorMessage } from '../../shared/errors.ts';
import { json, type HttpRequest, type HttpResponse, type HttpServer } from '../../shared/http/index.ts';
import type { Matcher } from '../../shared/matchers.ts';
import { compileAnchored, type Regexp } from '../../shared/regex/index.ts';
import { iso, isResolved, type NotifierAlert } from './alert.ts';
import { matchesAll, parseMatchers } from './label-matchers.ts';
import type { Notifier } from './notifier.ts';
import { silenceState, type Silence, type SilenceMatcher } from './silences.ts';

export interface ApiV2Options {
  buildInfo: Record<string, string>;
}

function fail(e: unknown): HttpResponse {
  const status = isCanopyError(e, 'not_found') ? 404 : isCanopyError(e) ? 400 : 500;
  return json(status, errorMessage(e));
}

function boolParam(p: URLSearchParams, name: string, def: boolean): boolean {
  const v = p.get(name);
  return v === null || v === '' ? def : v === 'true' || v === '1';
}

/** ?receiver=<re>, anchored RE2 as Alertmanager compiles it; a bad one is a 400 with Go's text. */
function receiverParam(req: HttpRequest): Regexp | undefined {
  const v = req.params.get('receiver');
  if (!v) return undefined;
  try {
    return compileAnchored(v);
  } catch (e) {
    throw new Error(`failed to parse receiver param: ${errorMessage(e)}`, { cause: e });
  }
}

function filterParam(req: HttpRequest): Matcher[] {
  return req.params.getAll('filter').flatMap((f) => parseMatchers(f, 'filter'));
}

export function silenceJson(s: Silence, nowMs: number): Record<string, unknown> {
  return {
    id: s.id,
    status: { state: silenceState(s, nowMs) },
    updatedAt: iso(s.updatedAtMs),
    comment: s.comment,
    createdBy: s.createdBy,
    endsAt: iso(s.endsAtMs),
    matchers: s.matchers,
    startsAt: iso(s.startsAtMs),
  };
}

function parseTime(v: unknown, what: string, def?: number): number {
  if ((v === undefined || v === null || v === '') && def !== undefined) return def;
  const t = typeof v === 'string' ? Date.parse(v) : NaN;
  if (Number.isNaN(t)) throw new Error(`${what}: expected an RFC 3339 time, got ${JSON.stringify(v)}`);
  return t;
}

function parseBody(req: HttpRequest): unknown {
  try {
    return JSON.parse(req.body.toString('utf8'));
  } catch (e) {
    throw new Error(`cannot parse JSON body: ${errorMessage(e)}`);
  }
}

function stringRecord(v: unknown, what: string): Record<string, string> {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new Error(`${what}: expected an object of strings`);
  for (const x of Object.values(v))
    if (typeof x !== 'string') throw new Error(`${what}: expected an object of strings`);
  return v as Record<string, string>;
}

export function mountAlertmanagerApi(
  http: Pick<HttpServer, 'get' | 'route'>,
  n: Notifier,
  opts: ApiV2Options,
): void {
  const now = (): number => Date.now();
  const alertJson = (a: NotifierAlert, t: number): Record<string, unknown> => {
    const silencedBy = n.silencedBy(a);
    const inhibitedBy = n.inhibitedBy(a, t);
    return {
      annotations: a.annotations,
      endsAt: iso(a.endsAtMs),
      fingerprint: a.fingerprint,
      receivers: n.receiversFor(a.labels).map((name) => ({ name })),
      startsAt: iso(a.startsAtMs),
      status: {
        inhibitedBy,
        silencedBy,
        state: silencedBy.length || inhibitedBy.length ? 'suppressed' : 'active',
      },
      updatedAt: iso(a.updatedAtMs),
      generatorURL: a.generatorURL,
      labels: a.labels,
    };
  };
  const selectAlerts = (req: HttpRequest): Record<string, unknown>[] => {
    const t = now();
    const ms = filterParam(req);
    const active = boolParam(req.params, 'active', true);
    const silenced = boolParam(req.params, 'silenced', true);
    const inhibited = boolParam(req.params, 'inhibited', true);
    const recvRe = receiverParam(req);
    const out: Record<string, unknown>[] = [];
    for (const a of n.alerts.values()) {
      if (isResolved(a, t) || !matchesAll(ms, a.labels)) continue;
      const j = alertJson(a, t);
      const st = j.status as { silencedBy: string[]; inhibitedBy: string[] };
      if (!silenced && st.silencedBy.length) continue;
      if (!inhibited && st.inhibitedBy.length) continue;
      if (!active && !st.silencedBy.length && !st.inhibitedBy.length) continue;
      if (recvRe && !(j.receivers as { name: string }[]).some((r) => recvRe.matches(r.name))) continue;
      out.push(j);
    }
    return out.sort((x, y) => ((x.fingerprint as string) < (y.fingerprint as string) ? -1 : 1));
  };

  http.get('/api/v2/status', () =>
    json(200, {
      cluster: { name: 'canopy', peers: [], status: 'disabled' },
      config: { original: n.config.original },
      uptime: iso(n.startedMs),
      versionInfo: {
        branch: opts.buildInfo.branch ?? '',
        buildDate: opts.buildInfo.buildDate ?? '',
        buildUser: opts.buildInfo.buildUser ?? '',
        goVersion: opts.buildInfo.goVersion ?? '',
        revision: opts.buildInfo.revision ?? '',
        version: '0.25.0',
      },
    }),
  );
  http.get('/api/v2/receivers', () =>
    json(
      200,
      [...n.config.receivers.keys()].map((name) => ({ name })),
    ),
  );
  http.get('/api/v2/alerts', (req) => {
    try {
      return json(200, selectAlerts(req));
    } catch (e) {
      return json(400, errorMessage(e));
    }
  });
  http.route(['POST'], '/api/v2/alerts', (req) => {
    try {
      const body = parseBody(req);
      if (!Array.isArray(body)) throw new Error('expected a JSON array of alerts');
      const t = now();
      const alerts = body.map((x: Record<string, unknown>, i) => {
        const labels = stringRecord(x.labels, `alert ${i}: labels`);
        if (Object.keys(labels).length === 0) throw new Error(`alert ${i}: at least one label pair required`);
        const startsAtMs = parseTime(x.startsAt, `alert ${i}: startsAt`, t);
        const endsAtMs = parseTime(x.endsAt, `alert ${i}: endsAt`, 0);
        if (endsAtMs && endsAtMs < startsAtMs)
          throw new Error(`alert ${i}: start time must be before end time`);
        return {
          labels,
          annotations: stringRecord(x.annotations, `alert ${i}: annotations`),
          startsAtMs,
          endsAtMs,
          generatorURL: typeof x.generatorURL === 'string' ? x.generatorURL : '',
        };
      });
      n.put(alerts);
      return json(200, '');
    } catch (e) {
      return json(400, errorMessage(e));
    }
  });
  http.get('/api/v2/alerts/groups', (req) => {
    try {
      const t = now();
      const ms = filterParam(req);
      const recvRe = receiverParam(req);
      return json(
        200,
        n
          .groups()
          .filter((g) => !recvRe || recvRe.matches(g.route.cfg.receiver))
          .map((g) => ({
            labels: g.groupLabels,
            receiver: { name: g.route.cfg.receiver },
            alerts: [...g.alerts.values()]
              .filter((a) => !isResolved(a, t) && matchesAll(ms, a.labels))
              .map((a) => alertJson(a, t)),
          })),
      );
    } catch (e) {
      return json(400, errorMessage(e));
    }
  });
  http.get('/api/v2/silences', (req) => {
    try {
      const t = now();
      const ms = filterParam(req);
      const order = { active: 0, pending: 1, expired: 2 };
      const list = n.silences
        .list()
        .filter((s) => ms.every((m) => s.matchers.some((x) => x.name === m.name && m.matches(x.value))))
        .sort((a, b) => order[silenceState(a, t)] - order[silenceState(b, t)] || a.endsAtMs - b.endsAtMs);
      return json(
        200,
        list.map((s) => silenceJson(s, t)),
      );
    } catch (e) {
      return json(400, errorMessage(e));
    }
  });
  http.route(['POST'], '/api/v2/silences', (req) => {
    try {
      const b = parseBody(req) as Record<string, unknown>;
      if (!b || typeof b !== 'object') throw new Error('expected a silence object');
      if (!Array.isArray(b.matchers)) throw new Error('matchers: required');
      const matchers: SilenceMatcher[] = b.matchers.map((m: Record<string, unknown>, i) => {
        if (typeof m?.name !== 'string' || typeof m.value !== 'string' || typeof m.isRegex !== 'boolean')
          throw new Error(`matchers[${i}]: name, value and isRegex are required`);
        return {
          name: m.name,
          value: m.value,
          isRegex: m.isRegex,
          isEqual: m.isEqual === undefined ? true : Boolean(m.isEqual),
        };
      });
      const t = now();
      const id = n.silences.set({
        id: typeof b.id === 'string' && b.id ? b.id : undefined,
        matchers,
        startsAtMs: parseTime(b.startsAt, 'startsAt', t),
        endsAtMs: parseTime(b.endsAt, 'endsAt'),
        createdBy: typeof b.createdBy === 'string' ? b.createdBy : '',
        comment: typeof b.comment === 'string' ? b.comment : '',
      });
      return json(200, { silenceID: id });
    } catch (e) {
      return isCanopyError(e) ? fail(e) : json(400, errorMessage(e));
    }
  });
  http.route(['GET', 'DELETE'], '/api/v2/silence/*', (req) => {
    const id = decodeURIComponent(req.path.slice('/api/v2/silence/'.length));
    if (req.method === 'GET') {
      const s = n.silences.get(id);
      return s ? json(200, silenceJson(s, now())) : json(404, `silence ${id} not found`);
    }
    try {
      n.silences.expire(id);
      return json(200, '');
    } catch (e) {
      return fail(e);
    }
  });
}
