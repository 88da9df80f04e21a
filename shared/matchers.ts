// Label matchers with Prometheus semantics: a regex is fully anchored (^(?:re)$), RE2 syntax
// and linear-time matching (shared/regex), and a matcher on an absent label sees the empty string.
import { CanopyError } from './errors.ts';
import type { Labels } from './labels.ts';
import { compileAnchored, compileMatcher, type Regexp } from './regex/index.ts';

export type MatchType = '=' | '!=' | '=~' | '!~';

export class Matcher {
  readonly type: MatchType;
  readonly name: string;
  readonly value: string;
  private readonly re: Regexp | undefined;

  /**
   * `flavour` picks whose checks a regex value gets: Prometheus 2.42 also parses the value
   * unwrapped (so "a)(b" is rejected); Alertmanager only compiles "^(?:" + value + ")$".
   * An invalid regex throws bad_data with Go's text ("error parsing regexp: …").
   */
  constructor(
    type: MatchType,
    name: string,
    value: string,
    flavour: 'prometheus' | 'alertmanager' = 'prometheus',
  ) {
    this.type = type;
    this.name = name;
    this.value = value;
    if (type === '=~' || type === '!~') {
      try {
        this.re = flavour === 'prometheus' ? compileMatcher(value) : compileAnchored(value);
      } catch (e) {
        throw new CanopyError('bad_data', (e as Error).message, { cause: e });
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
        return this.re!.matches(v);
      case '!~':
        return !this.re!.matches(v);
    }
  }

  /**
   * For `=~` whose regex matches only a few literal values (`a|b|c`, `foo`): those values, so an
   * index can look them up instead of testing every value (Prometheus's setMatches). Else null.
   */
  setMatches(): readonly string[] | null {
    return this.type === '=~' ? this.re!.literals : null;
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
