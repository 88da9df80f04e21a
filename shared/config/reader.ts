// ConfigReader: reads a parsed YAML document key by key, validating as it goes, so that a bad
// file yields one message naming the file, the key path and what was expected. done() rejects
// keys nobody read (typos). Config is read once at start; nothing reads it lazily.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import { CanopyError } from '../errors.ts';
import { parseDurationMs, parseSizeBytes } from './duration.ts';

export class ConfigError extends CanopyError {
  constructor(message: string, fields: Record<string, unknown> = {}) {
    super('config_invalid', message, { fields });
    this.name = 'ConfigError';
  }
}

/** Reads and parses a YAML file; syntax errors name the file, line and column. */
export function loadYamlFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(
      `cannot read config file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      { file },
    );
  }
  return parseYaml(file, text);
}

let yamlModule: typeof Yaml | undefined;

/**
 * The YAML library, loaded on first use: a leaf started with flags only never reads YAML, and
 * not loading the library keeps about 2 MB out of its resident memory.
 */
export function yaml(): typeof Yaml {
  return (yamlModule ??= createRequire(import.meta.url)('yaml') as typeof Yaml);
}

export function parseYaml(file: string, text: string): unknown {
  const doc = yaml().parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    const pos = err.linePos?.[0];
    const where = pos ? `:${pos.line}:${pos.col}` : '';
    throw new ConfigError(
      `cannot parse config file ${file}${where}: ${err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
      { file },
    );
  }
  return doc.toJS() ?? {};
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}

export class ConfigReader {
  private readonly seen = new Set<string>();
  private readonly obj: Record<string, unknown>;

  constructor(
    readonly file: string,
    value: unknown,
    readonly path = '',
  ) {
    if (value === undefined || value === null) value = {};
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new ConfigError(`${file}: ${path || 'top level'}: expected a mapping, got ${describe(value)}`, {
        file,
        key: path,
      });
    }
    this.obj = value as Record<string, unknown>;
  }

  static fromFile(file: string): ConfigReader {
    return new ConfigReader(file, loadYamlFile(file));
  }

  keyPath(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }

  fail(key: string, expected: string, got?: unknown): never {
    const k = this.keyPath(key);
    const tail = arguments.length >= 3 ? `, got ${describe(got)}` : '';
    throw new ConfigError(`${this.file}: key "${k}": expected ${expected}${tail}`, {
      file: this.file,
      key: k,
    });
  }

  has(key: string): boolean {
    return this.obj[key] !== undefined && this.obj[key] !== null;
  }

  raw(key: string): unknown {
    this.seen.add(key);
    return this.obj[key];
  }

  string(
    key: string,
    def?: string,
    opts: { oneOf?: readonly string[]; pattern?: RegExp; what?: string } = {},
  ): string {
    const v = this.raw(key);
    if (v === undefined || v === null) {
      if (def !== undefined) return def;
      this.fail(key, opts.what ?? 'a string (required)');
    }
    if (typeof v !== 'string' && typeof v !== 'number') this.fail(key, opts.what ?? 'a string', v);
    const s = String(v);
    if (opts.oneOf && !opts.oneOf.includes(s)) this.fail(key, `one of ${opts.oneOf.join(', ')}`, v);
    if (opts.pattern && !opts.pattern.test(s))
      this.fail(key, opts.what ?? `a string matching ${opts.pattern}`, v);
    return s;
  }

  optionalString(key: string, opts: { pattern?: RegExp; what?: string } = {}): string | undefined {
    return this.has(key) ? this.string(key, undefined, opts) : (this.raw(key), undefined);
  }

  number(key: string, def?: number, opts: { min?: number; max?: number; integer?: boolean } = {}): number {
    const v = this.raw(key);
    if (v === undefined || v === null) {
      if (def !== undefined) return def;
      this.fail(key, 'a number (required)');
    }
    const what = `${opts.integer ? 'an integer' : 'a number'}${opts.min !== undefined ? ` >= ${opts.min}` : ''}${opts.max !== undefined ? ` <= ${opts.max}` : ''}`;
    if (typeof v !== 'number' || Number.isNaN(v)) this.fail(key, what, v);
    if (
      (opts.integer && !Number.isInteger(v)) ||
      (opts.min !== undefined && v < opts.min) ||
      (opts.max !== undefined && v > opts.max)
    ) {
      this.fail(key, what, v);
    }
    return v;
  }

  bool(key: string, def: boolean): boolean {
    const v = this.raw(key);
    if (v === undefined || v === null) return def;
    if (typeof v !== 'boolean') this.fail(key, 'true or false', v);
    return v;
  }

  durationMs(key: string, def: number, opts: { min?: number } = {}): number {
    const v = this.raw(key);
    if (v === undefined || v === null) return def;
    const ms = typeof v === 'string' || typeof v === 'number' ? parseDurationMs(String(v)) : undefined;
    if (ms === undefined) this.fail(key, 'a duration such as 15s, 1m or 2h', v);
    if (opts.min !== undefined && ms < opts.min) this.fail(key, `a duration of at least ${opts.min} ms`, v);
    return ms;
  }

  sizeBytes(key: string, def: number): number {
    const v = this.raw(key);
    if (v === undefined || v === null) return def;
    const n = typeof v === 'number' ? v : typeof v === 'string' ? parseSizeBytes(v) : undefined;
    if (n === undefined || n < 0) this.fail(key, 'a size such as 100MB or 512MiB', v);
    return n;
  }

  hostPort(key: string, def?: string): string {
    return this.string(key, def, {
      pattern: HOST_PORT_RE,
      what: 'an address HOST:PORT such as 127.0.0.1:9090',
    });
  }

  url(key: string, def?: string, protocols: readonly string[] = ['http:', 'https:']): string {
    const s = this.string(key, def, { what: `a URL (${protocols.join(' or ')})` });
    let u: URL | undefined;
    try {
      u = new URL(s);
    } catch {
      u = undefined;
    }
    // Credentials in a URL never reach an error message.
    if (!u || !protocols.includes(u.protocol))
      this.fail(
        key,
        `a URL (${protocols.map((p) => p + '//').join(' or ')}…)`,
        s.replace(/\/\/[^/@\s]+@/, '//***@'),
      );
    return s;
  }

  object(key: string): ConfigReader {
    return new ConfigReader(this.file, this.raw(key), this.keyPath(key));
  }

  list(key: string): ConfigReader[] {
    const v = this.raw(key);
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) this.fail(key, 'a list', v);
    return v.map((item, i) => new ConfigReader(this.file, item, `${this.keyPath(key)}[${i}]`));
  }

  strings(key: string, def: string[] = []): string[] {
    const v = this.raw(key);
    if (v === undefined || v === null) return def;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) this.fail(key, 'a list of strings', v);
    return v as string[];
  }

  stringMap(key: string): Record<string, string> {
    const v = this.raw(key);
    if (v === undefined || v === null) return {};
    if (typeof v !== 'object' || Array.isArray(v)) this.fail(key, 'a mapping of strings', v);
    const out: Record<string, string> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (typeof x !== 'string' && typeof x !== 'number') this.fail(`${key}.${k}`, 'a string', x);
      out[k] = String(x);
    }
    return out;
  }

  /** Rejects keys that were never read. Call after reading everything. */
  done(): void {
    for (const k of Object.keys(this.obj)) {
      if (!this.seen.has(k)) {
        const known = [...this.seen].sort().join(', ');
        throw new ConfigError(
          `${this.file}: key "${this.keyPath(k)}": unknown key${known ? ` (known keys here: ${known})` : ''}`,
          {
            file: this.file,
            key: this.keyPath(k),
          },
        );
      }
    }
  }
}

export const HOST_PORT_RE = /^(\[[0-9a-fA-F:]+\]|[a-zA-Z0-9.-]*):\d{1,5}$/;
