// Fast paths for whole-value regexes whose meaning is a plain string test, after Prometheus's
// FastRegexMatcher (which pre-checks a literal prefix/suffix/contains). Here a recognised
// pattern replaces RE2 outright; anything else returns null and RE2 runs.
//
// Recognised, on the tree of ^(?:v)$ (captures ignored, case-sensitive literals only):
//   lit                 v === lit
//   a|b|c (literals)    set lookup
//   .*  .+              every value / non-empty (without "\n" unless (?s): Go's "." stops at "\n")
//   lit.*  .*lit  .*lit.*  lit.*lit   startsWith / endsWith / includes / both with a length check
// Literals holding "\n" or a lone surrogate are left to RE2 (the "\n" rule would get subtle).
// Each test below is a string op that allocates nothing.
import { Op, type Node } from './tree.ts';

export const enum FastKind {
  Equal,
  Set,
  Any,
  NonEmpty,
  Prefix,
  Suffix,
  Contains,
  PrefixSuffix,
}

export interface FastMatch {
  readonly kind: FastKind;
  /** Prefix, equal or contained literal. */
  readonly a: string;
  /** Suffix literal. */
  readonly b: string;
  readonly set: ReadonlySet<string> | null;
  /** The dots stop at "\n" (no (?s)): the value may not hold one. */
  readonly noNewline: boolean;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function plainLiteral(n: Node): string | null {
  if (n.op !== Op.Literal || n.fold || n.text.includes('\n') || LONE_SURROGATE.test(n.text)) return null;
  return n.text;
}

/** 0: not a dot-repeat; 1: .* ; 2: .+ ; the sign says whether the dot matches "\n" (negative: it does not). */
function dotRepeat(n: Node): number {
  if ((n.op !== Op.Star && n.op !== Op.Plus) || n.subs[0] === undefined) return 0;
  const d = n.subs[0].op;
  if (d !== Op.AnyChar && d !== Op.AnyCharNotNL) return 0;
  const k = n.op === Op.Star ? 1 : 2;
  return d === Op.AnyChar ? k : -k;
}

/** The items of a concatenation, captures and empty matches dropped. */
function items(n: Node, out: Node[]): void {
  if (n.op === Op.Capture) items(n.subs[0]!, out);
  else if (n.op === Op.Concat) for (const s of n.subs) items(s, out);
  else if (n.op !== Op.EmptyMatch) out.push(n);
}

function fm(
  kind: FastKind,
  a: string,
  b: string,
  noNewline: boolean,
  set: ReadonlySet<string> | null = null,
): FastMatch {
  return { kind, a, b, set, noNewline };
}

/** A fast path for the anchored tree (of "^(?:" + v + ")$"), or null. */
export function analyzeAnchored(tree: Node): FastMatch | null {
  if (tree.op !== Op.Concat) return null;
  const subs = tree.subs;
  if (subs.length < 2 || subs[0]!.op !== Op.BeginText || subs[subs.length - 1]!.op !== Op.EndText)
    return null;
  const it: Node[] = [];
  for (let i = 1; i < subs.length - 1; i++) items(subs[i]!, it);
  if (it.length === 0) return fm(FastKind.Equal, '', '', false);
  if (it.length === 1) {
    const n = it[0]!;
    const lit = plainLiteral(n);
    if (lit !== null) return fm(FastKind.Equal, lit, '', false);
    const d = dotRepeat(n);
    if (d !== 0) return fm(Math.abs(d) === 1 ? FastKind.Any : FastKind.NonEmpty, '', '', d < 0);
    if (n.op === Op.Alternate) {
      const set = new Set<string>();
      for (const alt of n.subs) {
        const x: Node[] = [];
        items(alt, x);
        if (x.length === 0) set.add('');
        else {
          const l = x.length === 1 ? plainLiteral(x[0]!) : null;
          if (l === null) return null;
          set.add(l);
        }
      }
      return fm(FastKind.Set, '', '', false, set);
    }
    return null;
  }
  const d0 = dotRepeat(it[0]!);
  const dl = dotRepeat(it[it.length - 1]!);
  if (it.length === 2) {
    const l0 = plainLiteral(it[0]!);
    const l1 = plainLiteral(it[1]!);
    if (l0 !== null && Math.abs(dl) === 1) return fm(FastKind.Prefix, l0, '', dl < 0);
    if (l1 !== null && Math.abs(d0) === 1) return fm(FastKind.Suffix, '', l1, d0 < 0);
    return null;
  }
  if (it.length === 3) {
    const mid = plainLiteral(it[1]!);
    const dm = dotRepeat(it[1]!);
    if (mid !== null && Math.abs(d0) === 1 && d0 === dl) return fm(FastKind.Contains, mid, '', d0 < 0);
    const l0 = plainLiteral(it[0]!);
    const l2 = plainLiteral(it[2]!);
    if (l0 !== null && l2 !== null && Math.abs(dm) === 1) return fm(FastKind.PrefixSuffix, l0, l2, dm < 0);
  }
  return null;
}

/**
 * For patterns left to RE2: a literal every match must start / end with (the first / last item of
 * the anchored concatenation), checked before RE2 as Prometheus 2.42's FastRegexMatcher does; a
 * failed check skips RE2's per-call UTF-8 conversion. Empty strings when there is none.
 */
export function requiredAffixes(tree: Node): { prefix: string; suffix: string } {
  const none = { prefix: '', suffix: '' };
  if (tree.op !== Op.Concat) return none;
  const subs = tree.subs;
  if (subs.length < 3 || subs[0]!.op !== Op.BeginText || subs[subs.length - 1]!.op !== Op.EndText)
    return none;
  const it: Node[] = [];
  for (let i = 1; i < subs.length - 1; i++) items(subs[i]!, it);
  if (it.length === 0) return none;
  const prefix = plainLiteral(it[0]!) ?? '';
  const suffix = it.length > 1 ? (plainLiteral(it[it.length - 1]!) ?? '') : '';
  return { prefix, suffix };
}

export function fastMatches(f: FastMatch, v: string): boolean {
  if (f.noNewline && v.indexOf('\n') >= 0) return false;
  switch (f.kind) {
    case FastKind.Equal:
      return v === f.a;
    case FastKind.Set:
      return f.set!.has(v);
    case FastKind.Any:
      return true;
    case FastKind.NonEmpty:
      return v.length > 0;
    case FastKind.Prefix:
      return v.startsWith(f.a);
    case FastKind.Suffix:
      return v.endsWith(f.b);
    case FastKind.Contains:
      return v.includes(f.a);
    case FastKind.PrefixSuffix:
      return v.length >= f.a.length + f.b.length && v.startsWith(f.a) && v.endsWith(f.b);
  }
}
