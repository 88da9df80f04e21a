// Label matchers with Prometheus semantics: a regex is fully anchored (^(?:re)$), and a
// matcher on an absent label sees the empty string.
import { CanopyError } from './errors.ts';
import type { Labels } from './labels.ts';

export type MatchType = '=' | '!=' | '=~' | '!~';

export class Matcher {
  readonly type: MatchType;
  readonly name: string;
  readonly value: string;
  private readonly re: RegExp | undefined;

  constructor(type: MatchType, name: string, value: string) {
    this.type = type;
    this.name = name;
    this.value = value;
    if (type === '=~' || type === '!~') {
      try {
        this.re = new RegExp(`^(?:${value})$`);
      } catch (e) {
        throw new CanopyError('bad_data', `invalid regular expression ${JSON.stringify(value)}: ${(e as Error).message}`);
      }
    }
  }

  matches(v: string): boolean {
    switch (this.type) {
      case '=':
        return v === this.value;
      case '!=':
        return v !== this.value;
      case '=~':
        return this.re!.test(v);
      case '!~':
        return !this.re!.test(v);
    }
  }

  /** True when this matcher accepts the empty string (so it also matches series without the label). */
  matchesEmpty(): boolean {
    return this.matches('');
  }

  toString(): string {
    return `${this.name}${this.type}${JSON.stringify(this.value)}`;
  }
}

export function matchLabels(ms: readonly Matcher[], ls: Labels): boolean {
  outer: for (const m of ms) {
    for (const l of ls) {
      if (l.name === m.name) {
        if (!m.matches(l.value)) return false;
        continue outer;
      }
    }
    if (!m.matches('')) return false;
  }
  return true;
}
