// Go regexp/syntax (Go 1.19, Perl flags) as a checker: accepts exactly what Prometheus 2.42's
// regexp.Compile accepts, fails with Go's error text, and hands RE2 an equivalent pattern.
//
// Why a parser of our own: RE2-C++ (the `re2` binding) accepts things Go rejects ((?<name>…),
// \C, \p{Kawi}, the binding's JavaScript escapes \uXXXX and \cX) and words its errors differently
// ("missing ): (a" vs Go's "missing closing ): `(a`"). Only the syntax is checked here; matching is
// RE2's. The tree built on the way (tree.ts) is small: it serves Go's repeat-count and size checks and the
// fast paths (fast-match.ts), not matching.
//
// Error text: "error parsing regexp: <code>: `<expr>`", <expr> chosen as Go chooses it (the
// whole pattern for parentheses, the offending piece otherwise). Positions are UTF-16 indexes;
// slices of a valid string equal Go's byte slices. Invalid UTF-8 cannot reach us (JavaScript
// strings), so ErrInvalidUTF8 never occurs.
//
// Pattern handed to RE2 (`re2Source`): the input with three rewrites, each keeping Go's meaning:
//   (?P<name>  → (            names are kept in `names` (Go allows duplicates, RE2 does not)
//   \Q…\E      → \x{…} runes  (the binding would otherwise rewrite \u… inside it)
//   < in […]   → \x{3c}       (the binding rewrites a literal "(?<" to "(?P<", even in a class)
import { MAX_SIZE, Op, collapse, height, node, repeatIsValid, size, type Node } from './tree.ts';
import { POSIX_CLASS_NAMES, UNICODE_CLASS_NAMES } from './unicode-names.ts';

export type SyntaxErrorCode =
  | 'invalid character class range'
  | 'invalid escape sequence'
  | 'invalid named capture'
  | 'invalid or unsupported Perl syntax'
  | 'invalid nested repetition operator'
  | 'invalid repeat count'
  | 'missing closing ]'
  | 'missing closing )'
  | 'missing argument to repetition operator'
  | 'trailing backslash at end of expression'
  | 'unexpected )'
  | 'expression nests too deeply'
  | 'expression too large'
  | 'regexp/syntax: internal error';

/** A pattern Go's regexp would reject; `message` is Go's text. */
export class RegexpSyntaxError extends Error {
  readonly syntaxCode: SyntaxErrorCode;
  readonly expr: string;
  constructor(code: SyntaxErrorCode, expr: string, note = '') {
    super(`error parsing regexp: ${code}: \`${expr}\`${note}`);
    this.name = 'RegexpSyntaxError';
    this.syntaxCode = code;
    this.expr = expr;
  }
}

export interface ParsedRegexp {
  readonly tree: Node;
  /** names[i] is the name of capture group i ('' when unnamed); names[0] is ''. */
  readonly names: readonly string[];
  readonly re2Source: string;
}

const FOLD = 1;
const DOT_NL = 2;
const ONE_LINE = 4;
const NON_GREEDY = 8;

const MAX_REPEAT = 1000;
const MAX_HEIGHT = 1000;

const isOctal = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '7';
const isAlnum = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
function unhex(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}
const width = (cp: number): number => (cp > 0xffff ? 2 : 1);
const hexRune = (cp: number): string => `\\x{${cp.toString(16)}}`;

/** Parses `s` with Go's rules; throws RegexpSyntaxError with Go's message. */
export function parseRegexp(s: string): ParsedRegexp {
  try {
    return new Parser(s).parse();
  } catch (e) {
    // The tree walks recurse per level; a tree deep enough to exhaust the stack is far past
    // Go's 1000-level limit.
    if (e instanceof RangeError) throw new RegexpSyntaxError('expression nests too deeply', s);
    throw e;
  }
}

class Parser {
  private readonly s: string;
  private readonly n: number;
  private stack: Node[] = [];
  private flags = ONE_LINE;
  private numCap = 0;
  private readonly names: string[] = [''];
  private readonly edits: [number, number, string][] = [];

  constructor(s: string) {
    this.s = s;
    this.n = s.length;
  }

  private fail(code: SyntaxErrorCode, expr: string): never {
    throw new RegexpSyntaxError(code, expr);
  }

  parse(): ParsedRegexp {
    const s = this.s;
    let i = 0;
    let lastRepeat = -1;
    while (i < this.n) {
      let repeat = -1;
      const c = s[i]!;
      switch (c) {
        case '(':
          if (s[i + 1] === '?') i = this.parsePerlFlags(i);
          else {
            this.numCap++;
            this.names.push('');
            this.pushMarker(Op.LeftParen, this.numCap);
            i++;
          }
          break;
        case '|':
          this.concat();
          if (!this.swapVerticalBar()) this.pushMarker(Op.VerticalBar, 0);
          i++;
          break;
        case ')':
          this.parseRightParen();
          i++;
          break;
        case '^':
          this.stack.push(node(this.flags & ONE_LINE ? Op.BeginText : Op.BeginLine));
          i++;
          break;
        case '$':
          this.stack.push(node(this.flags & ONE_LINE ? Op.EndText : Op.EndLine));
          i++;
          break;
        case '.':
          this.stack.push(node(this.flags & DOT_NL ? Op.AnyChar : Op.AnyCharNotNL));
          i++;
          break;
        case '[':
          i = this.parseClass(i);
          break;
        case '*':
        case '+':
        case '?': {
          const op = c === '*' ? Op.Star : c === '+' ? Op.Plus : Op.Quest;
          const after = this.repeat(op, 0, 0, i, i + 1, lastRepeat);
          repeat = i;
          i = after;
          break;
        }
        case '{': {
          const r = this.parseRepeat(i);
          if (r === null) {
            this.literal(0x7b);
            i++;
            break;
          }
          const [min, max, end] = r;
          if (min < 0 || min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && min > max))
            this.fail('invalid repeat count', s.slice(i, end));
          const after = this.repeat(Op.Repeat, min, max, i, end, lastRepeat);
          repeat = i;
          i = after;
          break;
        }
        case '\\':
          i = this.parseBackslash(i);
          break;
        default: {
          const cp = s.codePointAt(i)!;
          this.literal(cp);
          i += width(cp);
        }
      }
      lastRepeat = repeat;
    }
    this.concat();
    if (this.swapVerticalBar()) this.stack.pop();
    this.alternate();
    if (this.stack.length !== 1) this.fail('missing closing )', s);
    const tree = this.stack[0]!;
    if (height(tree) > MAX_HEIGHT) this.fail('expression nests too deeply', s);
    // Go's ErrLarge; Prometheus 2.42's regexp fork (grafana/regexp) reports it as an internal error.
    if (size(tree) > MAX_SIZE) this.fail('regexp/syntax: internal error', s);
    return { tree, names: this.names, re2Source: this.applyEdits() };
  }

  private applyEdits(): string {
    if (this.edits.length === 0) return this.s;
    let out = '';
    let at = 0;
    for (const [from, to, text] of this.edits) {
      out += this.s.slice(at, from) + text;
      at = to;
    }
    return out + this.s.slice(at);
  }

  private literal(cp: number): void {
    const n = node(Op.Literal);
    n.text = String.fromCodePoint(cp);
    n.fold = (this.flags & FOLD) !== 0;
    this.stack.push(n);
  }

  private pushMarker(op: Op.LeftParen | Op.VerticalBar, cap: number): void {
    const n = node(op, this.flags);
    n.cap = cap;
    this.stack.push(n);
  }

  /** Applies a repetition to the top of the stack; returns the index after the operator. */
  private repeat(
    op: Op,
    min: number,
    max: number,
    before: number,
    after: number,
    lastRepeat: number,
  ): number {
    if (this.s[after] === '?') after++;
    if (lastRepeat >= 0) this.fail('invalid nested repetition operator', this.s.slice(lastRepeat, after));
    const top = this.stack[this.stack.length - 1];
    if (top === undefined || top.op >= Op.LeftParen)
      this.fail('missing argument to repetition operator', this.s.slice(before, after));
    const re = node(op);
    re.min = min;
    re.max = max;
    re.subs = [top];
    this.stack[this.stack.length - 1] = re;
    if (op === Op.Repeat && (min >= 2 || max >= 2) && !repeatIsValid(re, MAX_REPEAT))
      this.fail('invalid repeat count', this.s.slice(before, after));
    return after;
  }

  /** {min}, {min,} (max -1) or {min,max} at i; null when not of that form (then "{" is a literal). */
  private parseRepeat(i: number): [number, number, number] | null {
    const s = this.s;
    let j = i + 1;
    const a = this.parseInt(j);
    if (a === null) return null;
    let min = a[0];
    let max: number;
    j = a[1];
    if (j >= this.n) return null;
    if (s[j] !== ',') max = min;
    else {
      j++;
      if (j >= this.n) return null;
      if (s[j] === '}') max = -1;
      else {
        const b = this.parseInt(j);
        if (b === null) return null;
        max = b[0];
        j = b[1];
        if (max < 0) min = -1;
      }
    }
    if (j >= this.n || s[j] !== '}') return null;
    return [min, max, j + 1];
  }

  /** A decimal without leading zeros; -1 when it is 1e8 or more. */
  private parseInt(i: number): [number, number] | null {
    const s = this.s;
    if (i >= this.n || s[i]! < '0' || s[i]! > '9') return null;
    if (s[i] === '0' && i + 1 < this.n && s[i + 1]! >= '0' && s[i + 1]! <= '9') return null;
    let j = i;
    let v = 0;
    while (j < this.n && s[j]! >= '0' && s[j]! <= '9') {
      if (v >= 0) v = v >= 1e8 ? -1 : v * 10 + (s.charCodeAt(j) - 48);
      j++;
    }
    return [v, j];
  }

  /** "(?" at i: named group, flags, or a non-capturing group. Returns the index after it. */
  private parsePerlFlags(i: number): number {
    const s = this.s;
    if (this.n - i > 4 && s[i + 2] === 'P' && s[i + 3] === '<') {
      const end = s.indexOf('>', i);
      if (end < 0) this.fail('invalid named capture', s.slice(i));
      const name = s.slice(i + 4, end);
      if (!/^[A-Za-z0-9_]+$/.test(name)) this.fail('invalid named capture', s.slice(i, end + 1));
      this.numCap++;
      this.names.push(name);
      this.pushMarker(Op.LeftParen, this.numCap);
      this.edits.push([i, end + 1, '(']);
      return end + 1;
    }
    let j = i + 2;
    let flags = this.flags;
    let sign = 1;
    let sawFlag = false;
    loop: while (j < this.n) {
      const cp = s.codePointAt(j)!;
      j += width(cp);
      switch (cp) {
        case 0x69: // i
          flags |= FOLD;
          sawFlag = true;
          break;
        case 0x6d: // m
          flags &= ~ONE_LINE;
          sawFlag = true;
          break;
        case 0x73: // s
          flags |= DOT_NL;
          sawFlag = true;
          break;
        case 0x55: // U
          flags |= NON_GREEDY;
          sawFlag = true;
          break;
        case 0x2d: // -
          if (sign < 0) break loop;
          sign = -1;
          flags = ~flags;
          sawFlag = false;
          break;
        case 0x3a: // :
        case 0x29: // )
          if (sign < 0) {
            if (!sawFlag) break loop;
            flags = ~flags;
          }
          if (cp === 0x3a) this.pushMarker(Op.LeftParen, 0);
          this.flags = flags;
          return j;
        default:
          break loop;
      }
    }
    return this.fail('invalid or unsupported Perl syntax', s.slice(i, j));
  }

  private parseRightParen(): void {
    this.concat();
    if (this.swapVerticalBar()) this.stack.pop();
    this.alternate();
    const n = this.stack.length;
    if (n < 2) this.fail('unexpected )', this.s);
    const re1 = this.stack[n - 1]!;
    const re2 = this.stack[n - 2]!;
    this.stack.length = n - 2;
    if (re2.op !== Op.LeftParen) this.fail('unexpected )', this.s);
    this.flags = re2.flags;
    if (re2.cap === 0) this.stack.push(re1);
    else {
      const c = node(Op.Capture);
      c.cap = re2.cap;
      c.subs = [re1];
      this.stack.push(c);
    }
  }

  /** Moves the alternative on top below a VerticalBar marker directly beneath it. */
  private swapVerticalBar(): boolean {
    const st = this.stack;
    const n = st.length;
    if (n >= 2 && st[n - 2]!.op === Op.VerticalBar) {
      const re1 = st[n - 1]!;
      st[n - 1] = st[n - 2]!;
      st[n - 2] = re1;
      return true;
    }
    return false;
  }

  /** Replaces the nodes above the topmost marker with their concatenation. */
  private concat(): void {
    let i = this.stack.length;
    while (i > 0 && this.stack[i - 1]!.op < Op.LeftParen) i--;
    const subs = this.stack.splice(i);
    this.stack.push(subs.length === 0 ? node(Op.EmptyMatch) : collapse(subs, Op.Concat));
  }

  /** Replaces the alternatives above the topmost LeftParen with their alternation. */
  private alternate(): void {
    let i = this.stack.length;
    while (i > 0 && this.stack[i - 1]!.op < Op.LeftParen) i--;
    const subs = this.stack.splice(i);
    this.stack.push(subs.length === 0 ? node(Op.NoMatch) : collapse(subs, Op.Alternate));
  }

  private parseBackslash(i: number): number {
    const s = this.s;
    if (i + 1 < this.n) {
      switch (s[i + 1]) {
        case 'A':
          this.stack.push(node(Op.BeginText));
          return i + 2;
        case 'b':
          this.stack.push(node(Op.WordBoundary));
          return i + 2;
        case 'B':
          this.stack.push(node(Op.NoWordBoundary));
          return i + 2;
        case 'C':
          return this.fail('invalid escape sequence', '\\C');
        case 'z':
          this.stack.push(node(Op.EndText));
          return i + 2;
        case 'Q': {
          const e = s.indexOf('\\E', i + 2);
          const end = e < 0 ? this.n : e;
          let lit = '';
          for (let j = i + 2; j < end;) {
            const cp = s.codePointAt(j)!;
            this.literal(cp);
            lit += hexRune(cp);
            j += width(cp);
          }
          const next = e < 0 ? this.n : e + 2;
          this.edits.push([i, next, lit]);
          return next;
        }
      }
    }
    const u = this.parseUnicodeClass(i);
    if (u >= 0) {
      this.stack.push(node(Op.CharClass));
      return u;
    }
    if (isPerlClass(s, i)) {
      this.stack.push(node(Op.CharClass));
      return i + 2;
    }
    const [cp, next] = this.parseEscape(i);
    this.literal(cp);
    return next;
  }

  /** An escape at i ("\" included) standing for one rune: [rune, index after]. */
  private parseEscape(i: number): [number, number] {
    const s = this.s;
    let k = i + 1;
    if (k >= this.n) this.fail('trailing backslash at end of expression', '');
    const c = s.codePointAt(k)!;
    k += width(c);
    const bad = (): never => this.fail('invalid escape sequence', s.slice(i, k));
    if (c < 0x80 && !isAlnum(c)) return [c, k];
    switch (c) {
      case 0x30:
      case 0x31:
      case 0x32:
      case 0x33:
      case 0x34:
      case 0x35:
      case 0x36:
      case 0x37: {
        // \1-\7 alone would be a backreference (not supported); with more octal digits, or
        // after \0, up to three digits are an octal escape.
        if (c !== 0x30 && !isOctal(s[k])) return bad();
        let r = c - 48;
        for (let d = 1; d < 3 && isOctal(s[k]); d++) r = r * 8 + (s.charCodeAt(k++) - 48);
        return [r, k];
      }
      case 0x78: {
        // x
        if (k >= this.n) return bad();
        const c1 = s.codePointAt(k)!;
        k += width(c1);
        if (c1 === 0x7b) {
          let nhex = 0;
          let r = 0;
          for (;;) {
            if (k >= this.n) return bad();
            const c2 = s.codePointAt(k)!;
            k += width(c2);
            if (c2 === 0x7d) break;
            const v = unhex(c2);
            if (v < 0) return bad();
            r = r * 16 + v;
            if (r > 0x10ffff) return bad();
            nhex++;
          }
          if (nhex === 0) return bad();
          return [r, k];
        }
        const x = unhex(c1);
        let y = -1;
        if (k < this.n) {
          const c2 = s.codePointAt(k)!;
          k += width(c2);
          y = unhex(c2);
        }
        if (x < 0 || y < 0) return bad();
        return [x * 16 + y, k];
      }
      case 0x61:
        return [7, k];
      case 0x66:
        return [12, k];
      case 0x6e:
        return [10, k];
      case 0x72:
        return [13, k];
      case 0x74:
        return [9, k];
      case 0x76:
        return [11, k];
    }
    return bad();
  }

  /** \pN, \p{Name}, \PN, \P{^Name} at i: index after it, or -1 when i holds none. */
  private parseUnicodeClass(i: number): number {
    const s = this.s;
    if (s[i] !== '\\' || (s[i + 1] !== 'p' && s[i + 1] !== 'P')) return -1;
    const k = i + 2;
    let seq: string;
    let name: string;
    let next: number;
    if (k >= this.n) {
      seq = s.slice(i, k);
      name = '';
      next = k;
    } else if (s[k] !== '{') {
      const cp = s.codePointAt(k)!;
      next = k + width(cp);
      seq = s.slice(i, next);
      name = seq.slice(2);
    } else {
      const end = s.indexOf('}', i);
      if (end < 0) this.fail('invalid character class range', s.slice(i));
      seq = s.slice(i, end + 1);
      name = s.slice(i + 3, end);
      next = end + 1;
    }
    if (name.startsWith('^')) name = name.slice(1);
    if (!UNICODE_CLASS_NAMES.has(name)) this.fail('invalid character class range', seq);
    return next;
  }

  /** A bracketed class at i; returns the index after "]". */
  private parseClass(i: number): number {
    const s = this.s;
    let j = i + 1;
    if (s[j] === '^') j++;
    let first = true;
    while (j >= this.n || s[j] !== ']' || first) {
      first = false;
      if (this.n - j > 2 && s[j] === '[' && s[j + 1] === ':') {
        const close = s.indexOf(':]', j + 2);
        if (close >= 0) {
          const name = s.slice(j, close + 2);
          if (!POSIX_CLASS_NAMES.has(name)) this.fail('invalid character class range', name);
          j = close + 2;
          continue;
        }
      }
      const u = this.parseUnicodeClass(j);
      if (u >= 0) {
        j = u;
        continue;
      }
      if (isPerlClass(s, j)) {
        j += 2;
        continue;
      }
      const rng = j;
      const [lo, afterLo] = this.parseClassChar(j, i);
      j = afterLo;
      if (this.n - j >= 2 && s[j] === '-' && s[j + 1] !== ']') {
        const [hi, afterHi] = this.parseClassChar(j + 1, i);
        j = afterHi;
        if (hi < lo) this.fail('invalid character class range', s.slice(rng, j));
      }
    }
    this.stack.push(node(Op.CharClass));
    return j + 1;
  }

  private parseClassChar(j: number, classStart: number): [number, number] {
    const s = this.s;
    if (j >= this.n) this.fail('missing closing ]', s.slice(classStart));
    if (s[j] === '\\') return this.parseEscape(j);
    const cp = s.codePointAt(j)!;
    if (cp === 0x3c) this.edits.push([j, j + 1, hexRune(cp)]);
    return [cp, j + width(cp)];
  }
}

function isPerlClass(s: string, i: number): boolean {
  if (s[i] !== '\\') return false;
  const c = s[i + 1];
  return c === 'd' || c === 'D' || c === 's' || c === 'S' || c === 'w' || c === 'W';
}
