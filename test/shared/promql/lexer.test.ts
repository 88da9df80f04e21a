// The lexer's tokens (type, text, start, end) for inputs chosen to cover every token kind, every
// pair of adjacent kinds and every error message the PromQL tests reach, recorded from the lexer
// before it became a scanner class (issue 17): the rewrite must give the same tokens, errors and
// positions. Regenerate only for an intended change of behaviour.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { lex } from '../../../shared/promql/lexer.ts';

type Recorded = [input: string, tokens: [type: string, val: string, pos: number, end: number][]];
const cases = JSON.parse(readFileSync(new URL('./lexer-golden.json', import.meta.url), 'utf8')) as Recorded[];

test('lexer golden: the recorded tokens for every input', () => {
  assert.ok(cases.length > 200);
  for (const [input, tokens] of cases) {
    assert.deepEqual(
      lex(input).map((t) => [t.type, t.val, t.pos, t.end]),
      tokens,
      `lex(${JSON.stringify(input)})`,
    );
  }
});

test('lexer: an error token ends the list and carries the message', () => {
  const ts = lex('a{b!c}');
  assert.deepEqual(ts.at(-1), {
    type: 'ERROR',
    val: "unexpected character after '!' inside braces: 'c'",
    pos: 3,
    end: 4,
  });
  assert.deepEqual(lex('x[5'), [
    { type: 'IDENTIFIER', val: 'x', pos: 0, end: 1 },
    { type: '[', val: '[', pos: 1, end: 2 },
    { type: 'ERROR', val: 'missing unit character in duration', pos: 2, end: 3 },
  ]);
});
