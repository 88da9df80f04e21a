// RuleSet: the zone's rule groups, loaded from rule files, evaluated locally, reloadable.
// Reload (SIGHUP, POST /-/reload) parses every file first; on any error the old groups keep
// running and the error is returned. Groups whose file+name survive keep their alert state.
// Groups named "global:…" are skipped here: the root evaluates them over the hierarchy.
// Serves the Prometheus /api/v1/rules and /api/v1/alerts data objects (shared/rules renders them).
// The groups run on shared/rules' RuleGroup, writing into the zone's storage.
import { errorMessage } from '../../shared/errors.ts';
import type { Logger } from '../../shared/log.ts';
import { loadRuleFiles, type RuleGroupSpec } from '../../shared/rulefmt/index.ts';
import { alertsData, RuleGroup, ruleGroupsData, type RuleGroupDeps } from '../../shared/rules/index.ts';

export class RuleSet {
  private groups: RuleGroup[] = [];
  /** The "global:" groups of the rule files: served to the root, never evaluated here. */
  private globalGroups: RuleGroupSpec[] = [];
  private started = false;
  private reloading: Promise<void> = Promise.resolve();

  constructor(
    private files: readonly string[],
    private readonly deps: RuleGroupDeps,
    private readonly log: Logger,
  ) {}

  /** Loads the files (throws on invalid files; call once at start). */
  load(): void {
    const specs = loadRuleFiles(this.files);
    this.globalGroups = specs.filter((s) => s.global);
    this.groups = this.build(specs);
    this.deps.store?.retain(new Set(this.groups.map((g) => g.key)));
  }

  private build(specs: RuleGroupSpec[]): RuleGroup[] {
    return specs.filter((s) => !s.global).map((s) => new RuleGroup(s, this.deps));
  }

  start(): void {
    this.started = true;
    for (const g of this.groups) g.start();
    this.log.info(
      {
        groups: this.groups.length,
        rules: this.groups.reduce((n, g) => n + g.rules.length, 0),
        files: this.files,
      },
      'rule groups started',
    );
  }

  async stop(): Promise<void> {
    this.started = false;
    await Promise.all(this.groups.map((g) => g.stop()));
  }

  /** The rule files this set evaluates. */
  get ruleFiles(): readonly string[] {
    return this.files;
  }

  /**
   * Re-reads the files (or `files`, which replace them when they all load); returns an error
   * message (old groups and files kept) or undefined.
   */
  async reload(files?: readonly string[]): Promise<string | undefined> {
    let result: string | undefined;
    this.reloading = this.reloading.then(async () => {
      let specs: RuleGroupSpec[];
      try {
        specs = loadRuleFiles(files ?? this.files);
        if (files) this.files = files;
      } catch (e) {
        result = errorMessage(e);
        this.log.error({ err: result }, 'rule reload failed; keeping the previous rules');
        return;
      }
      this.globalGroups = specs.filter((s) => s.global);
      const old = new Map(this.groups.map((g) => [g.key, g]));
      await Promise.all(this.groups.map((g) => g.stop()));
      const next = this.build(specs);
      for (const g of next) {
        const o = old.get(g.key);
        if (o) g.adopt(o);
      }
      this.groups = next;
      this.deps.store?.retain(new Set(next.map((g) => g.key)));
      if (this.started) for (const g of next) g.start();
      this.log.info({ groups: next.length }, 'rules reloaded');
    });
    await this.reloading;
    return result;
  }

  /** Global groups in rule-file form (JSON is YAML), per file, for the root to evaluate. */
  globalRuleFiles(): { file: string; content: unknown }[] {
    const byFile = new Map<string, unknown[]>();
    for (const g of this.globalGroups) {
      const list = byFile.get(g.file) ?? [];
      list.push({
        name: g.name,
        ...(g.intervalMs ? { interval: `${g.intervalMs}ms` } : {}),
        ...(g.limit ? { limit: g.limit } : {}),
        rules: g.rules.map((r) => ({
          [r.kind === 'alerting' ? 'alert' : 'record']: r.name,
          expr: r.expr,
          ...(r.forMs ? { for: `${r.forMs}ms` } : {}),
          ...(r.keepFiringForMs ? { keep_firing_for: `${r.keepFiringForMs}ms` } : {}),
          ...(Object.keys(r.labels).length ? { labels: r.labels } : {}),
          ...(Object.keys(r.annotations).length ? { annotations: r.annotations } : {}),
        })),
      });
      byFile.set(g.file, list);
    }
    return [...byFile].map(([file, groups]) => ({ file, content: { groups } }));
  }

  list(): readonly RuleGroup[] {
    return this.groups;
  }

  /** Prometheus GET /api/v1/rules data; type filter "alert" | "record". */
  rulesData(type?: string): unknown {
    return { groups: ruleGroupsData(this.groups, { type, externalLabels: this.deps.externalLabels }) };
  }

  /** Prometheus GET /api/v1/alerts data. */
  alertsData(): unknown {
    return { alerts: alertsData(this.groups, this.deps.externalLabels) };
  }
}
