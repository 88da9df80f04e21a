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

const KEYWORDS = new Set(['offset', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'start', 'end']);
const WORD_OPS = new Set(['and', 'or', 'unless', 'atan2']);
export const AGGREGATORS = new Set([
  'sum', 'avg', 'count', 'min', 'max', 'group', 'stddev', 'stdvar', 'topk', 'bottomk', 'count_values', 'quantile',
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
    case '@':
      return `<op:${t.val}>`;
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
  const out: Token[] = [];
  let pos = 0;
  let parenDepth = 0;
  let braceOpen = false;
  let bracketOpen = false;
  const emit = (type: TokenType, start: number, val = input.slice(start, pos)): void => {
    out.push({ type, val, pos: start, end: pos });
  };
  const fail = (msg: string, start: number): Token[] => {
    out.push({ type: 'ERROR', val: msg, pos: start, end: pos });
    return out;
  };
  const peek = (o = 0): string => input[pos + o] ?? '';
  const accept = (chars: string): boolean => {
    const c = peek();
    if (c !== '' && chars.includes(c)) {
      pos++;
      return true;
    }
    return false;
  };
  const acceptRun = (chars: string): void => {
    while (accept(chars));
  };

  while (true) {
    const start = pos;
    const c = peek();
    if (c === '') {
      if (braceOpen) return fail('unexpected end of input inside braces', start);
      if (parenDepth !== 0) return fail('unclosed left parenthesis', start);
      if (bracketOpen) return fail('unclosed left bracket', start);
      emit('EOF', start, '');
      return out;
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      pos++;
      continue;
    }
    if (c === '#') {
      while (pos < input.length && input[pos] !== '\n') pos++;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      pos++;
      let closed = false;
      while (pos < input.length) {
        const d = input[pos++]!;
        if (d === '\\' && c !== '`') {
          if (pos >= input.length) break;
          pos++;
          continue;
        }
        if (d === '\n' && c !== '`') break;
        if (d === c) {
          closed = true;
          break;
        }
      }
      if (!closed) return fail(c === '`' ? 'unterminated raw string' : 'unterminated quoted string', start);
      emit('STRING', start);
      continue;
    }
    if (braceOpen) {
      pos++;
      if (c === ',') emit(',', start);
      else if (c === '}') {
        braceOpen = false;
        emit('}', start);
      } else if (c === '=') {
        if (accept('~')) emit('=~', start);
        else emit('=', start);
      } else if (c === '!') {
        if (accept('~')) emit('!~', start);
        else if (accept('=')) emit('OP', start, '!=');
        else return fail(`unexpected character after '!' inside braces: ${goQuoteRune(peek())}`, start);
      } else if (isAlpha(c)) {
        while (isAlphaNumeric(peek())) pos++;
        emit('IDENTIFIER', start);
      } else if (c === '{') return fail(`unexpected left brace ${goQuoteRune(c)}`, start);
      else return fail(`unexpected character inside braces: ${goQuoteRune(c)}`, start);
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(peek(1)))) {
      // Number or duration: a number must not be followed by an alphanumeric character.
      let digits = '0123456789';
      if (accept('0') && accept('xX')) digits = '0123456789abcdefABCDEF';
      acceptRun(digits);
      if (accept('.')) acceptRun(digits);
      if (accept('eE')) {
        accept('+-');
        acceptRun('0123456789');
      }
      // Right after '[' Prometheus' lexer runs lexDuration, with its own messages.
      const last = out[out.length - 1];
      const rangeStart = last !== undefined && last.type === '[' && last.end === start;
      if (!isAlphaNumeric(peek())) {
        if (rangeStart) return fail('missing unit character in duration', start);
        emit('NUMBER', start);
        continue;
      }
      if (acceptDurationRest()) {
        emit('DURATION', start);
        continue;
      }
      return fail(`${rangeStart ? 'bad duration syntax' : 'bad number or duration syntax'}: ${goQuote(input.slice(start, pos))}`, start);
    }
    if (c === ':' && bracketOpen) {
      pos++;
      emit(':', start);
      continue;
    }
    if (isAlpha(c) || c === ':') {
      while (isAlphaNumeric(peek()) || peek() === ':') pos++;
      const word = input.slice(start, pos);
      const lower = word.toLowerCase();
      if (lower === 'inf' || lower === 'nan') emit('NUMBER', start);
      else if (KEYWORDS.has(lower)) emit('KEYWORD', start, lower);
      else if (WORD_OPS.has(lower)) emit('OP', start, lower);
      else if (AGGREGATORS.has(lower)) emit('AGGREGATOR', start, lower);
      else emit(word.includes(':') ? 'METRIC_IDENTIFIER' : 'IDENTIFIER', start);
      continue;
    }
    pos++;
    switch (c) {
      case ',':
        emit(',', start);
        break;
      case '(':
        parenDepth++;
        emit('(', start);
        break;
      case ')':
        parenDepth--;
        if (parenDepth < 0) return fail(`unexpected right parenthesis ${goQuoteRune(c)}`, pos);
        emit(')', start);
        break;
      case '{':
        braceOpen = true;
        emit('{', start);
        break;
      case '}':
        // Outside braces Prometheus' lexStatements has no case for '}'.
        return fail(`unexpected character: ${goQuoteRune(c)}`, start);
      case '[':
        if (bracketOpen) return fail(`unexpected left bracket ${goQuoteRune(c)}`, start);
        bracketOpen = true;
        emit('[', start);
        break;
      case ']':
        if (!bracketOpen) return fail(`unexpected right bracket ${goQuoteRune(c)}`, start);
        bracketOpen = false;
        emit(']', start);
        break;
      case ':':
        emit(':', start);
        break;
      case '@':
        emit('@', start);
        break;
      case '+':
      case '-':
      case '*':
      case '/':
      case '%':
      case '^':
        emit('OP', start);
        break;
      case '=':
        if (accept('=')) emit('OP', start);
        else if (peek() === '~') return fail(`unexpected character after '=': ${goQuoteRune('~')}`, start);
        else emit('=', start);
        break;
      case '!':
        if (accept('=')) emit('OP', start);
        else return fail(`unexpected character after '!': ${goQuoteRune(peek())}`, start);
        break;
      case '<':
      case '>':
        accept('=');
        emit('OP', start);
        break;
      default:
        return fail(`unexpected character: ${goQuoteRune(c)}`, start);
    }
  }

  function acceptDurationRest(): boolean {
    if (!accept('smhdwy')) return false;
    accept('s');
    while (accept('0123456789')) {
      acceptRun('0123456789');
      if (!accept('smhdw')) return false;
      accept('s');
    }
    if (isAlphaNumeric(peek())) {
      pos++; // Prometheus reports the offending character as part of the token
      return false;
    }
    return true;
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
      case 'a': out += '\x07'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'v': out += '\v'; break;
      case '\\': out += '\\'; break;
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
