// Route: a node of the routing tree (Alertmanager dispatch/route.go). An alert matches a route
// when it matches the route's matchers; it then descends into the first matching child — and
// further children too while the matched child has `continue: true`. When no child matches,
// the route itself is the result. Each route's key names it by its matcher path
// ("{}/{severity=\"page\"}"), which prefixes the group keys of its aggregation groups; its id
// adds sibling indexes so two routes with equal matchers still group separately.
import type { RouteConfig } from './config.ts';
import { formatMatchers, matchesAll } from './label-matchers.ts';

export class Route {
  /** Alertmanager's Route.Key(): the matcher path; prefixes group keys (payloads, nflog). */
  readonly key: string;
  /** Unique among routes (sibling index added): aggregation groups are kept per route. */
  readonly id: string;
  readonly routes: Route[];

  constructor(
    readonly cfg: RouteConfig,
    parent?: Route,
    index = 0,
  ) {
    this.key = parent ? `${parent.key}/${formatMatchers(cfg.matchers)}` : formatMatchers(cfg.matchers);
    this.id = parent ? `${parent.id}/${formatMatchers(cfg.matchers)}/${index}` : this.key;
    this.routes = cfg.routes.map((c, i) => new Route(c, this, i));
  }

  match(labels: Readonly<Record<string, string>>): Route[] {
    if (!matchesAll(this.cfg.matchers, labels)) return [];
    const all: Route[] = [];
    for (const c of this.routes) {
      const m = c.match(labels);
      all.push(...m);
      if (m.length > 0 && !c.cfg.continue) break;
    }
    if (all.length === 0) all.push(this);
    return all;
  }

  /** The alert's group labels under this route (all labels for group_by '...'). */
  groupLabels(labels: Readonly<Record<string, string>>): Record<string, string> {
    if (this.cfg.groupBy === undefined) return { ...labels };
    const out: Record<string, string> = {};
    for (const n of this.cfg.groupBy) if (labels[n] !== undefined && labels[n] !== '') out[n] = labels[n]!;
    return out;
  }
}

/** Alertmanager's printed label set: {a="1", b="2"} sorted by name. */
export function formatLabelSet(ls: Readonly<Record<string, string>>): string {
  return `{${Object.keys(ls)
    .sort()
    .map((k) => `${k}=${JSON.stringify(ls[k])}`)
    .join(', ')}}`;
}
