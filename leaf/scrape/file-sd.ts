// file_sd_configs: target groups read from JSON or YAML files, re-read when they change.
//
// Config: { files: [path or glob], refresh_interval: duration (default 5m) }. As in Prometheus,
// a glob may use '*' / '?' in the last path element only; files ending .json are JSON, .yml /
// .yaml are YAML; each file holds a list of { targets: ["host:port", …], labels: {…} }.
// Every group gets the label __meta_filepath = the file's path.
// Change detection: fs.watch on each directory (debounced 100 ms) plus a full re-read every
// refresh_interval (watchers miss events on some filesystems). A file that fails to read or
// parse keeps its previous groups; the error is counted and reported through onError.
// onUpdate is called with all groups whenever the combined result changes.
import { readdirSync, readFileSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CanopyError } from '../../shared/errors.ts';
import { yaml } from '../../shared/config/index.ts';
import { parseDurationMs } from '../../shared/promql/index.ts';
import { compileGlob, isGlob } from '../../shared/regex/index.ts';
import { parseTargetGroup, type TargetGroup } from './target.ts';

export interface FileSDConfig {
  readonly files: readonly string[];
  readonly refreshIntervalMs: number;
}

export function parseFileSDConfigs(raw: unknown, where = 'file_sd_configs'): FileSDConfig[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new CanopyError('config_invalid', `${where}: expected a list`);
  return raw.map((r, i) => {
    const w = `${where}[${i}]`;
    if (typeof r !== 'object' || r === null || Array.isArray(r))
      throw new CanopyError('config_invalid', `${w}: expected a mapping`);
    const o = r as Record<string, unknown>;
    for (const k of Object.keys(o))
      if (k !== 'files' && k !== 'refresh_interval')
        throw new CanopyError('config_invalid', `${w}: unknown key ${JSON.stringify(k)}`);
    if (!Array.isArray(o.files) || o.files.length === 0 || o.files.some((f) => typeof f !== 'string'))
      throw new CanopyError('config_invalid', `${w}.files: expected a non-empty list of paths`);
    for (const f of o.files as string[]) {
      if (isGlob(dirname(f)))
        throw new CanopyError(
          'config_invalid',
          `${w}.files: ${JSON.stringify(f)}: patterns are allowed in the last path element only`,
        );
      if (isGlob(basename(f))) compileGlob(basename(f)); // a bad pattern fails at start
      if (!/\.(json|ya?ml)$/.test(f))
        throw new CanopyError(
          'config_invalid',
          `${w}.files: ${JSON.stringify(f)} must end in .json, .yml or .yaml`,
        );
    }
    let refreshIntervalMs = 300_000;
    if (o.refresh_interval !== undefined) {
      try {
        refreshIntervalMs = parseDurationMs(String(o.refresh_interval));
      } catch (e) {
        throw new CanopyError('config_invalid', `${w}.refresh_interval: ${(e as Error).message}`);
      }
    }
    return { files: o.files as string[], refreshIntervalMs };
  });
}

/** Reads one file's groups; throws CanopyError('config_invalid') naming the file. */
export function readTargetFile(path: string): TargetGroup[] {
  let raw: unknown;
  try {
    const text = readFileSync(path, 'utf8');
    raw = path.endsWith('.json') ? JSON.parse(text) : yaml().parse(text);
  } catch (e) {
    throw new CanopyError('config_invalid', `cannot read target file ${path}: ${(e as Error).message}`, {
      cause: e,
    });
  }
  if (raw === null || raw === undefined) return [];
  if (!Array.isArray(raw))
    throw new CanopyError('config_invalid', `${path}: expected a list of target groups`);
  return raw.map((g, i) => {
    const tg = parseTargetGroup(g, `${path}[${i}]`);
    return { targets: tg.targets, labels: { ...tg.labels, __meta_filepath: path }, source: `${path}[${i}]` };
  });
}

export class FileSD {
  private readonly cfg: FileSDConfig;
  private readonly onUpdate: (groups: TargetGroup[]) => void;
  private readonly onError: (e: CanopyError) => void;
  private readonly byFile = new Map<string, TargetGroup[]>();
  private watchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private lastJson = '';
  readErrors = 0;

  constructor(
    cfg: FileSDConfig,
    onUpdate: (groups: TargetGroup[]) => void,
    onError: (e: CanopyError) => void = () => {},
  ) {
    this.cfg = cfg;
    this.onUpdate = onUpdate;
    this.onError = onError;
  }

  /** The files the patterns currently match. */
  private listFiles(): string[] {
    const out: string[] = [];
    for (const pat of this.cfg.files) {
      const dir = dirname(pat);
      const base = basename(pat);
      if (!isGlob(base)) {
        out.push(pat);
        continue;
      }
      const re = compileGlob(base);
      let names: string[] = [];
      try {
        names = readdirSync(dir);
      } catch {
        continue;
      }
      for (const n of names.sort()) if (re.matches(n)) out.push(join(dir, n));
    }
    return out;
  }

  /** Re-reads every file and calls onUpdate if the groups changed. */
  refresh(): void {
    const files = this.listFiles();
    const present = new Set(files);
    for (const f of [...this.byFile.keys()]) if (!present.has(f)) this.byFile.delete(f);
    for (const f of files) {
      try {
        this.byFile.set(f, readTargetFile(f));
      } catch (e) {
        // a vanished file means "no targets"; a broken one keeps its last good groups
        if ((e as { cause?: { code?: string } }).cause?.code === 'ENOENT') this.byFile.delete(f);
        else {
          this.readErrors++;
          this.onError(e as CanopyError);
        }
      }
    }
    const groups = [...this.byFile.keys()].sort().flatMap((f) => this.byFile.get(f)!);
    const j = JSON.stringify(groups);
    if (j !== this.lastJson) {
      this.lastJson = j;
      this.onUpdate(groups);
    }
  }

  start(): void {
    this.refresh();
    const dirs = new Set(this.cfg.files.map((f) => dirname(f)));
    for (const d of dirs) {
      try {
        const w = watch(d, () => this.schedule());
        w.on('error', () => {});
        w.unref();
        this.watchers.push(w);
      } catch {
        // directory missing or not watchable: the periodic refresh still applies
      }
    }
    this.timer = setInterval(() => this.refresh(), this.cfg.refreshIntervalMs);
    this.timer.unref();
  }

  private schedule(): void {
    if (this.debounce) return;
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      this.refresh();
    }, 100);
    this.debounce.unref();
  }

  stop(): void {
    for (const w of this.watchers) w.close();
    this.watchers = [];
    if (this.timer) clearInterval(this.timer);
    if (this.debounce) clearTimeout(this.debounce);
    this.timer = this.debounce = undefined;
  }
}
