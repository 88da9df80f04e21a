// The one regex engine for user-supplied patterns: Go/RE2 syntax checked by syntax.ts, matching
// by RE2 (the `re2` binding: linear time, no backtracking), string fast paths where the pattern
// is a plain test (fast-match.ts), compiled patterns kept in a bounded cache.
//
// Measured on this machine (npm run bench:regex): RE2 ~0.9 µs per test on a quiet machine (it
// converts each value to UTF-8), a fast path 12-110 ns even under load, JavaScript's RegExp
// ~0.07 µs but exponential on (.*a){12} (9 s on 31 characters; RE2 0.008 ms).
//
// Semantics are Go's (Prometheus 2.42): "." does not match "\n" unless (?s); [^a] and \s do;
// (?i) (?m) (?s) (?U) and their (?flags:re) groups; \pL \p{Greek} [[:alpha:]] \d \w \b; leftmost-
// first submatches. Known differences: RE2's program-size limit (8 MB) is lower than Go's, so
// huge patterns such as \pL{447} fail with "expression too large: `…` (over RE2's program size
// limit, …)" where Go accepts them (an error, never another answer); and RE2's Unicode tables are
// newer than Go 1.19's 13.0, so a character assigned since can match \pL or fold under (?i).
import RE2 from 're2';
import { analyzeAnchored, fastMatches, FastKind, requiredAffixes, type FastMatch } from './fast-match.ts';
import { RegexpSyntaxError, parseRegexp } from './syntax.ts';
import { Op, type Node } from './tree.ts';

/** A match and its submatches: m[0] the whole match, m[i] group i, undefined when it did not take part. */
export type Submatches = ArrayLike<string | undefined>;

export class Regexp {
  /** The pattern as the user wrote it. */
  readonly source: string;
  /** names[i] is the name of group i ('' for unnamed ones). */
  readonly names: readonly string[];
  private readonly re: RE2;
  private global: RE2 | undefined;
  private readonly fast: FastMatch | null;
  /** ^(?:(.*))$ and the like: group 1 is the whole value. */
  private readonly wholeCapture: boolean;
  /** Literals every match of an anchored pattern starts / ends with ('' when none), checked before RE2. */
  private readonly prefix: string;
  private readonly suffix: string;
  /** Every value an anchored pattern matches, when they are a few literals (a|b|c); else null. */
  readonly literals: readonly string[] | null;

  constructor(source: string, compiled: string, anchored: boolean) {
    const p = parseRegexp(compiled);
    this.source = source;
    this.names = p.names;
    try {
      this.re = new RE2(p.re2Source, 'u');
    } catch (e) {
      // Go accepted it; RE2 can only refuse on its program-size limit.
      const msg = e instanceof Error ? e.message : String(e);
      if (/too large|too big/i.test(msg))
        throw new RegexpSyntaxError(
          'expression too large',
          compiled,
          " (over RE2's program size limit, which is below Go's)",
        );
      throw new Error(`BUG: RE2 rejects a pattern Go accepts: ${compiled}: ${msg}`, { cause: e });
    }
    this.fast = anchored ? analyzeAnchored(p.tree) : null;
    this.wholeCapture = anchored && this.fast !== null && isWholeCapture(p.tree);
    const affixes = anchored && this.fast === null ? requiredAffixes(p.tree) : { prefix: '', suffix: '' };
    this.prefix = affixes.prefix;
    this.suffix = affixes.suffix;
    const f = this.fast;
    this.literals =
      f === null ? null : f.kind === FastKind.Equal ? [f.a] : f.kind === FastKind.Set ? [...f.set!] : null;
  }

  /** The value matches (the whole value for anchored patterns, anywhere otherwise). */
  matches(v: string): boolean {
    if (this.fast !== null) return fastMatches(this.fast, v);
    if (this.prefix !== '' && !v.startsWith(this.prefix)) return false;
    if (this.suffix !== '' && !v.endsWith(this.suffix)) return false;
    return this.re.test(v);
  }

  /** The leftmost-first match and its submatches, or null. */
  exec(v: string): Submatches | null {
    if (this.wholeCapture) return fastMatches(this.fast!, v) ? [v, v] : null;
    return this.re.exec(v);
  }

  /** Go's ReplaceAllString: every non-overlapping match replaced by expand(template). */
  replaceAll(
    v: string,
    template: string,
    expand: (template: string, m: Submatches, names: readonly string[]) => string,
  ): string {
    this.global ??= new RE2(this.re.source, 'gu');
    const re = this.global;
    re.lastIndex = 0;
    let out = '';
    let lastEnd = 0;
    let pos = 0;
    while (pos <= v.length) {
      re.lastIndex = pos;
      const m = re.exec(v);
      if (m === null) break;
      const start = m.index;
      const end = start + m[0].length;
      out += v.slice(lastEnd, start);
      // Go: no replacement for an empty match right after the previous match.
      if (end > lastEnd || start === 0) out += expand(template, m, this.names);
      lastEnd = end;
      // Advance past the match, at least one character (a whole surrogate pair).
      const cp = v.codePointAt(pos);
      const w = cp === undefined ? 1 : cp > 0xffff ? 2 : 1;
      pos = pos + w > end ? pos + w : end;
    }
    return out + v.slice(lastEnd);
  }
}

function isWholeCapture(tree: Node): boolean {
  const s = tree.subs;
  return tree.op === Op.Concat && s.length === 3 && s[1]!.op === Op.Capture && s[1]!.subs[0]!.op === Op.Star;
}

/**
 * Bounded cache in two generations: a hit in `young` costs one Map lookup; a hit in `old` moves
 * the entry to `young`; when `young` is full it becomes `old` and the previous `old` is dropped.
 * At most 2 × GENERATION patterns are held; patterns in use survive each swap.
 */
class Cache {
  private static readonly GENERATION = 512;
  private young = new Map<string, Regexp>();
  private old = new Map<string, Regexp>();

  get(src: string, make: (src: string) => Regexp): Regexp {
    let re = this.young.get(src);
    if (re !== undefined) return re;
    re = this.old.get(src) ?? make(src);
    if (this.young.size >= Cache.GENERATION) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(src, re);
    return re;
  }
}

const anchoredCache = new Cache();
const matcherCache = new Cache();
const unanchoredCache = new Cache();

const makeAnchored = (src: string): Regexp => new Regexp(src, `^(?:${src})$`, true);
const makeMatcher = (src: string): Regexp => {
  const re = new Regexp(src, `^(?:${src})$`, true);
  parseRegexp(src);
  return re;
};
const makeUnanchored = (src: string): Regexp => new Regexp(src, src, false);

/**
 * The pattern as Prometheus compiles label_replace, relabel and Alertmanager regexes:
 * "^(?:" + src + ")$", whole-value matches. Throws RegexpSyntaxError (Go's text) when invalid.
 */
export function compileAnchored(src: string): Regexp {
  return anchoredCache.get(src, makeAnchored);
}

/**
 * A PromQL label matcher's regex, as Prometheus 2.42's NewFastRegexMatcher: anchored, and `src`
 * must also parse on its own (so "a)(b", valid once wrapped, is rejected with "unexpected )").
 */
export function compileMatcher(src: string): Regexp {
  return matcherCache.get(src, makeMatcher);
}

/** An unanchored pattern (template functions `match`, `reReplaceAll`). */
export function compileUnanchored(src: string): Regexp {
  return unanchoredCache.get(src, makeUnanchored);
}
