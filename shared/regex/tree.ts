// The small syntax tree syntax.ts builds (Go's regexp/syntax shapes, as far as its checks and
// the fast paths need them): node kinds, concatenation/alternation building, and Go's three
// tree checks (nested repeat counts, nesting height, program size).

export const enum Op {
  NoMatch,
  EmptyMatch,
  Literal,
  CharClass,
  AnyCharNotNL,
  AnyChar,
  BeginLine,
  EndLine,
  BeginText,
  EndText,
  WordBoundary,
  NoWordBoundary,
  Capture,
  Star,
  Plus,
  Quest,
  Repeat,
  Concat,
  Alternate,
  // Parse-stack markers, never in a finished tree.
  LeftParen,
  VerticalBar,
}

export interface Node {
  op: Op;
  /** Literal text (Op.Literal). */
  text: string;
  /** Literal is case-insensitive. */
  fold: boolean;
  min: number;
  max: number;
  subs: Node[];
  /** Capture index (Op.Capture / LeftParen; 0 for a non-capturing LeftParen). */
  cap: number;
  /** Flags in force before the group opened (LeftParen). */
  flags: number;
}

/** Go: 128 MB of 40-byte instructions. */
export const MAX_SIZE = Math.floor((128 << 20) / 40);

export function node(op: Op, flags = 0): Node {
  return { op, text: '', fold: false, min: 0, max: 0, subs: [], cap: 0, flags };
}

/** Concatenation or alternation of subs: nested ones of the same op are flattened, adjacent literals with the same case rule merged. */
export function collapse(subs: Node[], op: Op.Concat | Op.Alternate): Node {
  if (subs.length === 1) return subs[0]!;
  const re = node(op);
  for (const sub of subs) {
    const parts = sub.op === op ? sub.subs : [sub];
    for (const p of parts) {
      const last = re.subs[re.subs.length - 1];
      if (
        op === Op.Concat &&
        p.op === Op.Literal &&
        last !== undefined &&
        last.op === Op.Literal &&
        last.fold === p.fold
      ) {
        const merged = node(Op.Literal);
        merged.text = last.text + p.text;
        merged.fold = p.fold;
        re.subs[re.subs.length - 1] = merged;
      } else re.subs.push(p);
    }
  }
  return re.subs.length === 1 ? re.subs[0]! : re;
}

/** Go's rule: nested counted repetitions may not multiply past n copies of the innermost thing. */
export function repeatIsValid(re: Node, n: number): boolean {
  if (re.op === Op.Repeat) {
    let m = re.max;
    if (m === 0) return true;
    if (m < 0) m = re.min;
    if (m > n) return false;
    if (m > 0) n = Math.trunc(n / m);
  }
  for (const sub of re.subs) if (!repeatIsValid(sub, n)) return false;
  return true;
}

export function height(re: Node): number {
  let h = 1;
  for (const sub of re.subs) h = Math.max(h, 1 + height(sub));
  return h;
}

/** Go's estimate of the compiled program size in instructions. */
export function size(re: Node): number {
  let n = 0;
  switch (re.op) {
    case Op.Literal:
      n = [...re.text].length;
      break;
    case Op.Capture:
    case Op.Star:
      n = 2 + size(re.subs[0]!);
      break;
    case Op.Plus:
    case Op.Quest:
      n = 1 + size(re.subs[0]!);
      break;
    case Op.Concat:
      for (const sub of re.subs) n += size(sub);
      break;
    case Op.Alternate:
      for (const sub of re.subs) n += size(sub);
      n += re.subs.length - 1;
      break;
    case Op.Repeat: {
      const sub = size(re.subs[0]!);
      if (re.max === -1) n = re.min === 0 ? 2 + sub : 1 + re.min * sub;
      else n = re.max * sub + (re.max - re.min);
      break;
    }
    default:
      break;
  }
  return Math.max(1, n);
}
