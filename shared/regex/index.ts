// User-supplied regular expressions: Go/RE2 syntax and semantics, linear-time matching (RE2),
// Prometheus's anchoring and error texts. See regexp.ts and docs/ARCHITECTURE.md.
export { Regexp, compileAnchored, compileMatcher, compileUnanchored, type Submatches } from './regexp.ts';
export { RegexpSyntaxError, type SyntaxErrorCode } from './syntax.ts';
export { expand } from './expand.ts';
export { compileGlob, isGlob } from './glob.ts';
