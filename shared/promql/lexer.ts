// PromQL lexer, following Prometheus's lexer states: statements, inside braces, inside
// brackets (durations). Produces the whole token list up front; a lexical error becomes an
// 'error' token carrying Prometheus's message, reported by the parser when it reaches it.

export type TokenType =
  | 'EOF'
  | 'ERROR'
  | 'IDENTIFIER'
  | 'METRIC_IDENTIFIER'
  | 'NUMBER'
  | 'STRING'
  | 'DURATION'
  | 'KEYWORD'
  | 'AGGREGATOR'
  | 'OP'
  | '('
  | ')'
  | '{'
  | '}'
  | '['
  | ']'
  | ','
  | ':'
  | '='
  | '=~'
  | '!~'
  | '@';

export interface Token {
  type: TokenType;
  /** Raw text (for KEYWORD/AGGREGATOR/OP lower-cased canonical text; for ERROR the message). */
  val: string;
  pos: number;
  end: number;
}

const KEYWORDS = new Set([
  'offset',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'start',
  'end',
]);
const WORD_OPS = new Set(['and', 'or', 'unless', 'atan2']);
export const AGGREGATORS = new Set([
  'sum',
  'avg',
  'count',
  'min',
  'max',
  'group',
  'stddev',
  'stdvar',
  'topk',
  'bottomk',
  'count_values',
  'quantile',
]);

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isAlpha = (c: string): boolean => c === '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
const isAlphaNumeric = (c: string): boolean => isAlpha(c) || isDigit(c);

/** Prometheus's description of a token in "unexpected ..." messages. */
export function describeToken(t: Token): string {
  switch (t.type) {
    case 'EOF':
      return 'end of input';
    case 'IDENTIFIER':
      return `identifier ${goQuote(t.val)}`;
    case 'METRIC_IDENTIFIER':
      return `metric identifier ${goQuote(t.val)}`;
    case 'NUMBER':
      return `number ${goQuote(t.val)}`;
    case 'STRING':
      return `string ${goQuote(t.val)}`;
    case 'DURATION':
      return `duration ${goQuote(t.val)}`;
    case 'KEYWORD':
      return `<${t.val}>`;
    case 'AGGREGATOR':
      return `<aggr:${t.val}>`;
    case 'OP':
      return `<op:${t.val}>`;
    case '=~':
    case '!~':
      // Go counts the regex match operators among its operators.
      return `<op:${t.val}>`;
    case '@':
      // Go's Item.desc(): AT has no entry in ItemTypeStr, so its type prints as its yacc
      // number (57385 in 2.42's generated parser) before the item.
      return `"<Item 57385>" <op:@>`;
    case 'ERROR':
      return t.val;
    default:
      return goQuote(t.val);
  }
}

export function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** Go's %q of a rune: '.', '\n', '\''. */
export function goQuoteRune(c: string): string {
  if (c === '') return "'\\x00'";
  if (c === "'") return "'\\''";
  const j = JSON.stringify(c);
  return `'${j.slice(1, -1).replace(/\\"/g, '"')}'`;
}

export function lex(input: string): Token[] {
  return new Scanner(input).run();
}

/**
 * One pass over the input, one method per token class. State follows Prometheus's lexer:
 * parentheses open, inside braces (label matchers), inside brackets (range or subquery).
 * The first error token ends the list.
 */
class Scanner {
  private readonly out: Token[] = [];
  private pos = 0;
  private parenDepth = 0;
  private braceOpen = false;
  private bracketOpen = false;
  /** Inside brackets every letter lexes as a colon, and only one colon may come. */
  private gotColon = false;
  /** Right after '[' (and any blanks) a duration is scanned whatever comes. */
  private durationNext = false;
  private finished = false;

  constructor(private readonly input: string) {}

  run(): Token[] {
    while (!this.finished) this.step();
    return this.out;
  }

  /** Scans the token at pos, or skips the blank or comment there. */
  private step(): void {
    const start = this.pos;
    const c = this.peek();
    if (this.durationNext) {
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
        this.pos++;
        return;
      }
      this.durationNext = false;
      return this.rangeDuration(start);
    }
    if (c === '') return this.endOfInput(start);
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      this.pos++;
      return;
    }
    if (c === '#') return this.comment();
    if (c === '"' || c === "'" || c === '`') return this.string(c, start);
    if (this.braceOpen) return this.insideBraces(c, start);
    if (isDigit(c) || (c === '.' && isDigit(this.peek(1)))) return this.numberOrDuration(start);
    if ((isAlpha(c) || c === ':') && this.bracketOpen) {
      if (this.gotColon) return this.fail(`unexpected colon ${goQuoteRune(c)}`, start);
      this.pos++;
      this.gotColon = true;
      return this.emit(':', start);
    }
    if (isAlpha(c) || c === ':') return this.word(start);
    this.pos++;
    this.operatorOrPunctuation(c, start);
  }

  private endOfInput(start: number): void {
    if (this.braceOpen) return this.fail('unexpected end of input inside braces', start);
    if (this.parenDepth !== 0) return this.fail('unclosed left parenthesis', start);
    if (this.bracketOpen) return this.fail('unclosed left bracket', start);
    this.emit('EOF', start, '');
    this.finished = true;
  }

  private comment(): void {
    while (this.pos < this.input.length && this.input[this.pos] !== '\n') this.pos++;
  }

  /** A quoted ("…", '…': escapes, no newline) or raw (`…`) string. */
  private string(quote: string, start: number): void {
    const input = this.input;
    this.pos++;
    let closed = false;
    while (this.pos < input.length) {
      const d = input[this.pos++]!;
      if (d === '\\' && quote !== '`') {
        if (this.pos >= input.length) break;
        this.pos++;
        continue;
      }
      if (d === '\n' && quote !== '`') break;
      if (d === quote) {
        closed = true;
        break;
      }
    }
    if (!closed)
      return this.fail(quote === '`' ? 'unterminated raw string' : 'unterminated quoted string', start);
    this.emit('STRING', start);
  }

  /** Label matchers: names, =, !=, =~, !~, commas and the closing brace. */
  private insideBraces(c: string, start: number): void {
    this.pos++;
    if (c === ',') this.emit(',', start);
    else if (c === '}') {
      this.braceOpen = false;
      this.emit('}', start);
    } else if (c === '=') {
      if (this.accept('~')) this.emit('=~', start);
      else this.emit('=', start);
    } else if (c === '!') {
      if (this.accept('~')) this.emit('!~', start);
      else if (this.accept('=')) this.emit('OP', start, '!=');
      else
        return this.fail(`unexpected character after '!' inside braces: ${goQuoteRune(this.peek())}`, start);
    } else if (isAlpha(c)) {
      while (isAlphaNumeric(this.peek())) this.pos++;
      this.emit('IDENTIFIER', start);
    } else if (c === '{') return this.fail(`unexpected left brace ${goQuoteRune(c)}`, start);
    else return this.fail(`unexpected character inside braces: ${goQuoteRune(c)}`, start);
  }

  /** A number (decimal, hex, exponent) or a duration: a number must not run into a letter. */
  private numberOrDuration(start: number): void {
    this.scanNumber();
    if (!isAlphaNumeric(this.peek())) return this.emit('NUMBER', start);
    if (this.acceptDurationRest()) return this.emit('DURATION', start);
    this.fail(`bad number or duration syntax: ${goQuote(this.input.slice(start, this.pos))}`, start);
  }

  /**
   * What follows '[' (Go's lexDuration): a number that ends there lacks its unit, even an
   * empty one (`x[)]`); a letter that cannot start a unit is bad duration syntax.
   */
  private rangeDuration(start: number): void {
    this.scanNumber();
    if (!isAlphaNumeric(this.peek())) return this.fail('missing unit character in duration', start);
    if (this.acceptDurationRest()) return this.emit('DURATION', start);
    this.fail(`bad duration syntax: ${goQuote(this.input.slice(start, this.pos))}`, start);
  }

  /** The digits (decimal or hex), fraction and exponent of a number, possibly none. */
  private scanNumber(): void {
    let digits = '0123456789';
    if (this.accept('0') && this.accept('xX')) digits = '0123456789abcdefABCDEF';
    this.acceptRun(digits);
    if (this.accept('.')) this.acceptRun(digits);
    if (this.accept('eE')) {
      this.accept('+-');
      this.acceptRun('0123456789');
    }
  }

  /** The units after a duration's first number, and any further number-unit pairs (1h30m). */
  private acceptDurationRest(): boolean {
    if (!this.accept('smhdwy')) return false;
    this.accept('s');
    while (this.accept('0123456789')) {
      this.acceptRun('0123456789');
      if (!this.accept('smhdw')) return false;
      this.accept('s');
    }
    if (isAlphaNumeric(this.peek())) {
      this.pos++; // Prometheus reports the offending character as part of the token
      return false;
    }
    return true;
  }

  /** Identifier, metric identifier (with ':'), keyword, word operator, aggregator, Inf or NaN. */
  private word(start: number): void {
    while (isAlphaNumeric(this.peek()) || this.peek() === ':') this.pos++;
    const word = this.input.slice(start, this.pos);
    const lower = word.toLowerCase();
    if (lower === 'inf' || lower === 'nan') this.emit('NUMBER', start);
    else if (KEYWORDS.has(lower)) this.emit('KEYWORD', start, lower);
    else if (WORD_OPS.has(lower)) this.emit('OP', start, lower);
    else if (AGGREGATORS.has(lower)) this.emit('AGGREGATOR', start, lower);
    else this.emit(word.includes(':') ? 'METRIC_IDENTIFIER' : 'IDENTIFIER', start);
  }

  /** Outside braces: operators, parentheses, brackets, and the characters that open a state. */
  private operatorOrPunctuation(c: string, start: number): void {
    switch (c) {
      case ',':
        return this.emit(',', start);
      case '(':
        this.parenDepth++;
        return this.emit('(', start);
      case ')':
        this.parenDepth--;
        if (this.parenDepth < 0) return this.fail(`unexpected right parenthesis ${goQuoteRune(c)}`, this.pos);
        return this.emit(')', start);
      case '{':
        this.braceOpen = true;
        return this.emit('{', start);
      case '}':
        // Outside braces Prometheus' lexStatements has no case for '}'.
        return this.fail(`unexpected character: ${goQuoteRune(c)}`, start);
      case '[':
        if (this.bracketOpen) return this.fail(`unexpected left bracket ${goQuoteRune(c)}`, start);
        this.bracketOpen = true;
        this.gotColon = false;
        this.durationNext = true;
        return this.emit('[', start);
      case ']':
        if (!this.bracketOpen) return this.fail(`unexpected right bracket ${goQuoteRune(c)}`, start);
        this.bracketOpen = false;
        return this.emit(']', start);
      case ':':
        return this.emit(':', start);
      case '@':
        return this.emit('@', start);
      case '+':
      case '-':
      case '*':
      case '/':
      case '%':
      case '^':
        return this.emit('OP', start);
      case '=':
        if (this.accept('=')) return this.emit('OP', start);
        if (this.peek() === '~')
          return this.fail(`unexpected character after '=': ${goQuoteRune('~')}`, start);
        return this.emit('=', start);
      case '!':
        if (this.accept('=')) return this.emit('OP', start);
        return this.fail(`unexpected character after '!': ${goQuoteRune(this.peek())}`, start);
      case '<':
      case '>':
        this.accept('=');
        return this.emit('OP', start);
      default:
        return this.fail(`unexpected character: ${goQuoteRune(c)}`, start);
    }
  }

  private emit(type: TokenType, start: number, val = this.input.slice(start, this.pos)): void {
    this.out.push({ type, val, pos: start, end: this.pos });
  }

  /** Ends the list with an error token carrying Prometheus's message. */
  private fail(msg: string, start: number): void {
    this.out.push({ type: 'ERROR', val: msg, pos: start, end: this.pos });
    this.finished = true;
  }

  private peek(o = 0): string {
    return this.input[this.pos + o] ?? '';
  }

  private accept(chars: string): boolean {
    const c = this.peek();
    if (c !== '' && chars.includes(c)) {
      this.pos++;
      return true;
    }
    return false;
  }

  private acceptRun(chars: string): void {
    while (this.accept(chars));
  }
}

/** Unquotes a PromQL string literal ("…", '…' with Go escapes, `…` raw). Throws Error on bad escapes. */
export function unquote(raw: string): string {
  const q = raw[0]!;
  const body = raw.slice(1, -1);
  if (q === '`') return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      if (c === q) throw new Error('invalid syntax');
      out += c;
      continue;
    }
    const e = body[++i];
    switch (e) {
      case 'a':
        out += '\x07';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'v':
        out += '\v';
        break;
      case '\\':
        out += '\\';
        break;
      case "'":
      case '"':
        if (e !== q) throw new Error('invalid syntax');
        out += e;
        break;
      case 'x':
      case 'u':
      case 'U': {
        const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = body.slice(i + 1, i + 1 + n);
        if (hex.length !== n || !/^[0-9a-fA-F]+$/.test(hex)) throw new Error('invalid syntax');
        const cp = parseInt(hex, 16);
        if (e === 'x') out += String.fromCharCode(cp);
        else {
          if (cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000)) throw new Error('invalid syntax');
          out += String.fromCodePoint(cp);
        }
        i += n;
        break;
      }
      default: {
        if (e !== undefined && e >= '0' && e <= '7') {
          const oct = body.slice(i, i + 3);
          if (!/^[0-7]{3}$/.test(oct)) throw new Error('invalid syntax');
          const v = parseInt(oct, 8);
          if (v > 255) throw new Error('invalid syntax');
          out += String.fromCharCode(v);
          i += 2;
          break;
        }
        throw new Error('invalid syntax');
      }
    }
  }
  return out;
}
