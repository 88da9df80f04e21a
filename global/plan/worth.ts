// Worth pushing down: given a subtree that can be pushed (analysis.ts), is sending it to the
// zones better than evaluating it at the root? A constant (no selector) is evaluated where it
// is needed; a matrix-valued subtree (x[5m], a subquery) only makes sense inside the function
// that reads it; everything else that reads data is pushed — a zone's answer is never larger
// than the raw series it reads for it.
import { typeOf, type Expr } from '../../shared/promql/index.ts';
import type { Facts } from './analysis.ts';

export function worthPushing(e: Expr, f: Facts): boolean {
  return f.local && f.hasSelector && typeOf(e) === 'vector';
}
