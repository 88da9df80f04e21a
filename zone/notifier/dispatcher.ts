// Dispatcher (Alertmanager dispatch.Dispatcher): sends each incoming alert down the routing
// tree and into the aggregation group of every matching route, one per route and group labels
// (group key "<route key>:<group labels>"). Empty groups are dropped after their flush.
import type { NotifierAlert } from './alert.ts';
import { AggregationGroup, type GroupDeps } from './aggregation-group.ts';
import { formatLabelSet, type Route } from './route.ts';

export class Dispatcher {
  private readonly groups = new Map<string, AggregationGroup>();

  constructor(
    readonly root: Route,
    private readonly deps: Omit<GroupDeps, 'onEmpty'>,
  ) {}

  dispatch(a: NotifierAlert): void {
    for (const route of this.root.match(a.labels)) {
      const gl = route.groupLabels(a.labels);
      const ls = formatLabelSet(gl);
      const id = `${route.id}:${ls}`;
      let g = this.groups.get(id);
      if (!g) {
        g = new AggregationGroup(route, gl, `${route.key}:${ls}`, {
          ...this.deps,
          onEmpty: (x) => this.groups.get(id) === x && this.groups.delete(id),
        });
        this.groups.set(id, g);
      }
      g.insert(a);
    }
  }

  /** Names of the receivers an alert with these labels routes to. */
  receivers(labels: Readonly<Record<string, string>>): string[] {
    return [...new Set(this.root.match(labels).map((r) => r.cfg.receiver))];
  }

  groupList(): AggregationGroup[] {
    return [...this.groups.values()];
  }

  async stop(): Promise<void> {
    await Promise.all([...this.groups.values()].map((g) => g.stop()));
    this.groups.clear();
  }
}
