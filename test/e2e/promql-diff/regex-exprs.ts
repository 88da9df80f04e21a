// Regex expressions for the differential test (issue 12): RE2/Go syntax in label matchers and
// label_replace (inline flags, Unicode and POSIX classes, anchoring, "." and newlines, $
// expansion) and invalid patterns, whose error texts must equal Prometheus 2.42's.
// Written with String.raw where possible (the text is the PromQL as typed, so a regex "\pL" is
// "\\pL" inside PromQL's double quotes); entries holding "${" are plain strings.
import type { GenExpr } from './exprs.ts';

const r = String.raw;

/** Valid selectors; each is also run as a range query. */
const SELECTORS = [
  r`up{job=~"(?i)API"}`,
  r`up{job=~"(?i:A)pi"}`,
  r`up{job=~"(?i:WE).*"}`,
  r`up{job=~"a((?i)P)i"}`,
  r`up{job=~"((?i)NODE)"}`,
  r`up{job=~"(?i)node|(?-i)API"}`,
  r`up{job=~"(?i)w(?-i:E)b"}`,
  r`{__name__=~"(?i)UP"}`,
  r`{__name__=~"(?i:NODE)_.*",instance="i1"}`,
  r`up{job=~"(?s)n.de"}`,
  r`up{instance=~"\\pL\\d"}`,
  r`up{instance=~"\\p{Latin}[[:digit:]]"}`,
  r`up{instance=~"\\p{Greek}\\d"}`,
  r`up{instance=~"[^\\d]+"}`,
  r`up{instance=~"i[[:^alpha:]]"}`,
  r`up{instance=~"\\PN\\pN"}`,
  r`up{job=~"\\w+"}`,
  r`up{job=~"\\Qapi\\E|web"}`,
  r`up{job=~"a.+"}`,
  r`up{job=~".*e.*"}`,
  r`up{job=~".*b"}`,
  r`up{job=~"w.*b"}`,
  r`up{job=~"api|web|"}`,
  r`up{job!~"api|web"}`,
  r`up{job!~"(?i)API"}`,
  r`up{job!~"(?i:n)ode"}`,
  r`up{job=~"x*"}`,
  r`up{job=~"(?U)a.+?i"}`,
  r`up{job=~"\\x61pi"}`,
  r`up{job=~"\\141pi"}`,
  r`up{job=~"\\x{77}eb"}`,
  r`up{job=~"(?P<j>api)"}`,
  r`up{job=~"a{1}p{1,}i{0,1}"}`,
  r`up{job=~"[a-c]pi"}`,
  r`up{job=~"\\bapi\\b"}`,
  r`up{job=~"^api$"}`,
  r`up{job=~"(?m)^api$"}`,
  r`up{job=~"\\Aapi\\z"}`,
  r`up{instance=~"i[0-9]{1}"}`,
  r`up{job=~"a{,2}"}`,
  r`up{job=~"(|api)"}`,
  r`up{job=~"[]a]pi"}`,
  r`http_requests_total{code=~"5\\d{2}",method=~"(?i)get"}`,
  r`count(up{job=~"(?i)[A-Z]+"})`,
  r`count by (job) (up{job=~"(?i)[[:upper:]]+"})`,
];

/** label_replace: matching, submatches and Go's $ expansion; instant and range. */
const LABEL_REPLACE = [
  r`label_replace(up, "x", "$1", "job", "(?i)(A)PI")`,
  'label_replace(up, "x", "${1}-$2", "instance", "(i)(\\\\d)")',
  r`label_replace(up, "x", "$name", "job", "(?P<name>.+)i")`,
  'label_replace(up, "x", "${name}!", "job", "(?P<name>a)(?P<name>p)i")',
  r`label_replace(up, "x", "cost $", "job", ".*")`,
  r`label_replace(up, "x", "$$1", "job", "(.*)")`,
  r`label_replace(up, "x", "$1x", "job", "(.*)")`,
  'label_replace(up, "x", "${1", "job", "(.*)")',
  r`label_replace(up, "x", "$01", "job", "(.*)")`,
  r`label_replace(up, "x", "$-", "job", "(.*)")`,
  r`label_replace(up, "x", "$2", "job", "(a)|(w)eb")`,
  r`label_replace(up, "x", "$1", "job", "(.*a){12}")`,
  r`label_replace(up, "x", "$1", "job", "(a+)+$")`,
  r`label_replace(up, "x", "[$1]", "job", "a)(b")`,
  r`label_replace(up, "x", "$1", "job", "(?U)(a.*)")`,
  r`label_replace(up, "x", "$1", "job", "(a*?)(.*)")`,
  r`label_replace(label_replace(up{instance="i0"}, "nl", "a\nb", "", ""), "y", "[$1]", "nl", "(.*)")`,
  r`label_replace(label_replace(up{instance="i0"}, "nl", "a\nb", "", ""), "y", "[$1]", "nl", "(?s)(.*)")`,
  r`label_replace(label_replace(up{instance="i0"}, "nl", "a\nb", "", ""), "y", "yes", "nl", "a.b")`,
  r`label_replace(label_replace(up{instance="i0"}, "nl", "a\nb", "", ""), "y", "yes", "nl", "a\\sb")`,
  r`label_replace(label_replace(up{instance="i0"}, "nl", "a\nb", "", ""), "y", "yes", "nl", "a[^x]b")`,
  r`label_replace(label_replace(up{instance="i0"}, "u", "héllo wörld", "", ""), "y", "$1", "u", "(\\pL+) .*")`,
  r`label_replace(label_replace(up{instance="i0"}, "u", "ΑΒΓ", "", ""), "y", "$1", "u", "(?i)(αβ).")`,
  r`label_replace(label_replace(up{instance="i0"}, "u", "a😀b", "", ""), "y", "$1", "u", "a(.)b")`,
];

/** Invalid patterns: status, errorType and the error text must all agree. */
const INVALID = [
  r`up{job=~"(a"}`,
  r`up{job=~"a)"}`,
  r`up{job=~"a)(b"}`,
  r`up{job=~"*"}`,
  r`up{job=~"a**"}`,
  r`up{job=~"a{2}{3}"}`,
  r`up{job=~"a{1001}"}`,
  r`up{job=~"(a{500}){500}"}`,
  r`up{job=~"[z-a]"}`,
  r`up{job=~"\\q"}`,
  r`up{job=~"\\1"}`,
  r`up{job=~"\\C"}`,
  r`up{job=~"\\Z"}`,
  r`up{job=~"\\u0041"}`,
  r`up{job=~"\\x{110000}"}`,
  r`up{job=~"(?<n>a)"}`,
  r`up{job=~"(?P<>a)"}`,
  r`up{job=~"(?P<n"}`,
  r`up{job=~"(?x)a"}`,
  r`up{job=~"(?i-)a"}`,
  r`up{job=~"[[:foo:]]"}`,
  r`up{job=~"\\p{Foo}"}`,
  r`up{job=~"\\p{Kawi}"}`,
  r`up{job=~"[a"}`,
  r`up{job!~"[]"}`,
  r`up{job!~"a\\"}`,
  r`{__name__=~"(a"}`,
  r`label_replace(up, "x", "$1", "job", "(?<n>a)")`,
  r`label_replace(up, "x", "$1", "job", "a**")`,
  r`label_replace(up, "x", "$1", "job", "\\p{Letter}")`,
  r`label_replace(up, "0bad", "$1", "job", "(")`,
];

// Generated cases (seeded, so the set is fixed): random syntax-heavy patterns as matchers, whose
// acceptance and error text must agree; and random patterns over letters, classes, flags and
// quantifiers applied by label_replace to random values (case folding: ß ẞ K k \u212a ſ s S;
// Unicode: é α Ω 中 😀; newlines), whose matches and submatches must agree.
function generated(): string[] {
  let seed = 12;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  const out: string[] = [];
  const q = (s: string): string => JSON.stringify(s);
  const TOK = [
    '(',
    ')',
    '[',
    ']',
    '{',
    '}',
    '*',
    '+',
    '?',
    '|',
    '\\',
    '^',
    '$',
    '.',
    '-',
    ':',
    '<',
    '>',
    'P',
    'i',
    's',
    'U',
    'x',
    '0',
    '1',
    ',',
    'a',
    'd',
    'p',
    '(?',
    '(?P<',
    '\\p{',
    '[:',
    ':]',
    '{2}',
    '{1,',
    '\\x',
    '\\Q',
    '\\E',
    'é',
    'L',
  ];
  for (let i = 0; i < 150; i++)
    out.push(`{__name__=~${q(Array.from({ length: 1 + Math.floor(rnd() * 7) }, () => pick(TOK)).join(''))}}`);
  const ATOMS = [
    'a',
    'b',
    'A',
    'é',
    'ß',
    'k',
    'K',
    '\\n',
    '😀',
    'α',
    '.',
    '[a-c]',
    '[^a]',
    '\\pL',
    '\\p{Greek}',
    '\\PL',
    '\\d',
    '\\s',
    '\\w',
    '\\W',
    '[[:upper:]]',
    '[[:^alpha:]]',
    '\\x{212a}',
    'ſ',
    's',
    '\\b',
    '[é-ë]',
    '(?i:k)',
    '(?i:ß)',
    '(?i:s)',
    '\\p{Lu}',
    '\\p{Han}',
    '[^\\n]',
  ];
  const QUANT = ['', '', '', '*', '+', '?', '{1,2}', '*?', '+?', '{0}', '{2}'];
  const pattern = (depth: number): string => {
    let p = '';
    for (let n = 1 + Math.floor(rnd() * 3); n > 0; n--) {
      let a = pick(ATOMS);
      if (depth < 2 && rnd() < 0.2)
        a =
          pick(['(', '(', '(?:', '(?i)(?:', '(?s:', '(?U:', '(?P<g>']) +
          pattern(depth + 1) +
          (rnd() < 0.3 ? `|${pattern(depth + 1)}` : '') +
          ')';
      p += a + pick(QUANT);
    }
    return depth === 0 && rnd() < 0.25 ? pick(['(?i)', '(?s)', '(?U)', '(?is)']) + p : p;
  };
  const CH = [
    'a',
    'b',
    'A',
    'é',
    'É',
    'ß',
    'ẞ',
    'K',
    'k',
    '\u212a',
    '\n',
    '😀',
    '1',
    ' ',
    'α',
    'Ω',
    'ſ',
    's',
    'S',
    '中',
  ];
  for (let i = 0; i < 80; i++) {
    const p = pattern(0);
    const values = Array.from(
      { length: 6 },
      (_, k) =>
        `label_replace(vector(${k}), "v", ${q(Array.from({ length: Math.floor(rnd() * 5) }, () => pick(CH)).join(''))}, "", "")`,
    );
    out.push(`label_replace(${values.join(' or ')}, "m", "[$0]($1)($2)($g)", "v", ${q(p)})`);
  }
  return out;
}

export function regexExprs(): GenExpr[] {
  return [
    ...SELECTORS.map((expr) => ({ expr, range: true })),
    ...LABEL_REPLACE.map((expr) => ({ expr, range: true })),
    ...INVALID.map((expr) => ({ expr, range: false })),
    ...generated().map((expr) => ({ expr, range: false })),
  ];
}
