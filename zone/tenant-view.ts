// A tenant's view of the zone's storage: every read through it sees that tenant's series only,
// without the reserved tenant label (shared/tenant.ts). Enforcement is a matcher added to every
// select, label-name and label-value lookup:
// - tenant T ≠ anonymous: TENANT_LABEL="T" (postings intersection, as any equality matcher);
// - anonymous: TENANT_LABEL="" (series without the label), added only when the querier's range
//   holds any tenant-labelled series at all, so a single-tenant zone pays nothing.
// Matchers the query itself has on TENANT_LABEL are decided against the tenant's own value
// (as external labels are): a tenant can name only itself. The label never shows in results,
// label names or label values.
// Ingest does not write through a view (Admission sets the label); tenantStorage's appender,
// used by the tenant's rules, stamps every series with the tenant (replacing any tenant label a
// rule's result or `labels:` carries), so recorded series and ALERTS land in the tenant's data.
import { Matcher } from '../shared/matchers.ts';
import { withLabel, withoutLabels, type Labels } from '../shared/labels.ts';
import type {
  Appender,
  LabelHints,
  Querier,
  Queryable,
  SelectHints,
  SeriesSet,
  Storage,
} from '../shared/storage.ts';
import { mapSeriesLabels, stripExternalMatchers } from '../shared/external-labels.ts';
import { ANONYMOUS_TENANT, TENANT_LABEL } from '../shared/tenant.ts';

const EMPTY_SET: SeriesSet = {
  next: () => false,
  at: () => undefined as never,
  err: () => null,
  warnings: () => [],
};

function withoutTenantLabel(ls: Labels): Labels {
  for (let i = 0; i < ls.length; i++)
    if (ls[i]!.name === TENANT_LABEL) return [...ls.slice(0, i), ...ls.slice(i + 1)];
  return ls;
}

export function tenantQueryable(q: Queryable, tenant: string): Queryable {
  const own = new Map([[TENANT_LABEL, tenant === ANONYMOUS_TENANT ? '' : tenant]]);
  const anonymous = tenant === ANONYMOUS_TENANT;
  const fixed = new Matcher('=', TENANT_LABEL, anonymous ? '' : tenant);
  return {
    async querier(mint, maxt, hints): Promise<Querier> {
      // Selects as restrict() below will pass them, without the enforcing matcher (a superset).
      const selects = hints?.selects
        ?.map((ms) => stripExternalMatchers(ms, own))
        .filter((ms): ms is Matcher[] => ms !== undefined);
      const inner = await q.querier(mint, maxt, hints && { ...hints, selects });
      // Whether the enforcing matcher is needed: always for a named tenant; for anonymous only
      // when some tenant-labelled series exists in range.
      const enforce =
        !anonymous || inner.labelValues(TENANT_LABEL, { startMs: mint, endMs: maxt }).length > 0;
      const restrict = (ms: readonly Matcher[] | undefined): Matcher[] | undefined => {
        const rest = stripExternalMatchers(ms ?? [], own);
        if (rest === undefined) return undefined;
        if (enforce) rest.push(fixed);
        return rest;
      };
      const labelHints = (h: LabelHints): LabelHints | undefined => {
        const ms = restrict(h.matchers);
        if (ms === undefined) return undefined;
        return ms.length > 0 ? { ...h, matchers: ms } : { ...h, matchers: undefined };
      };
      return {
        select(ms: readonly Matcher[], hints: SelectHints): SeriesSet {
          const rest = restrict(ms);
          if (rest === undefined) return EMPTY_SET;
          const set = inner.select(rest, hints);
          // Anonymous series carry no tenant label.
          return anonymous ? set : mapSeriesLabels(set, withoutTenantLabel);
        },
        labelNames(h: LabelHints): string[] {
          const hh = labelHints(h);
          if (hh === undefined) return [];
          // One more than the limit: the tenant label may be among them and is removed.
          const names = inner
            .labelNames(hh.limit ? { ...hh, limit: hh.limit + 1 } : hh)
            .filter((n) => n !== TENANT_LABEL);
          return hh.limit ? names.slice(0, hh.limit) : names;
        },
        labelValues(name: string, h: LabelHints): string[] {
          if (name === TENANT_LABEL) return [];
          const hh = labelHints(h);
          return hh === undefined ? [] : inner.labelValues(name, hh);
        },
        // Rollup selects go through select() above: a tenant reads only its own rollups.
        rollupResolutions: () => inner.rollupResolutions?.() ?? [],
        close: () => inner.close(),
      };
    },
  };
}

const TENANT_LABEL_SET: ReadonlySet<string> = new Set([TENANT_LABEL]);

/** An appender that writes every series as the tenant's (see the header). */
export function tenantAppender(app: Appender, tenant: string): Appender {
  const own =
    tenant === ANONYMOUS_TENANT
      ? (ls: Labels) => (ls.some((l) => l.name === TENANT_LABEL) ? withoutLabels(ls, TENANT_LABEL_SET) : ls)
      : (ls: Labels) => withLabel(ls, TENANT_LABEL, tenant);
  return {
    append: (ls, tMs, v) => app.append(own(ls), tMs, v),
    appendDistribution: (ls, tMs, d) => app.appendDistribution(own(ls), tMs, d),
    commit: () => app.commit(),
    rollback: () => app.rollback(),
  };
}

/** A Storage whose reads are the tenant's view and whose appends are the tenant's series. */
export function tenantStorage(s: Storage, tenant: string): Storage {
  const view = tenantQueryable(s, tenant);
  return {
    querier: (mint, maxt, hints) => view.querier(mint, maxt, hints),
    appender: () => tenantAppender(s.appender(), tenant),
    seriesCount: () => s.seriesCount(),
    close: () => s.close(),
  };
}
