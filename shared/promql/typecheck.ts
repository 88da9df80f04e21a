// Static type checking of a parsed expression, with Prometheus's messages (parser.checkAST).
import { METRIC_NAME } from '../labels.ts';
import { documentedType, isComparisonOp, isSetOp, type Expr, type ValueType } from './ast.ts';
import { FUNCTIONS } from './functions/signatures.ts';
import { parseError } from './parse-error.ts';
import { bug } from '../errors.ts';

export function typeOf(e: Expr): ValueType {
  switch (e.kind) {
    case 'NumberLiteral':
      return 'scalar';
    case 'StringLiteral':
      return 'string';
    case 'VectorSelector':
    case 'AggregateExpr':
      return 'vector';
    case 'MatrixSelector':
    case 'SubqueryExpr':
      return 'matrix';
    case 'UnaryExpr':
    case 'ParenExpr':
      return typeOf(e.expr);
    case 'BinaryExpr':
      return typeOf(e.lhs) === 'scalar' && typeOf(e.rhs) === 'scalar' ? 'scalar' : 'vector';
    case 'Call': {
      const sig = FUNCTIONS.get(e.func);
      return sig ? sig.returnType : bug(`unknown function ${e.func}`);
    }
  }
}

export function checkAST(input: string, root: Expr): void {
  const fail = (pos: number, msg: string): never => {
    throw parseError(input, pos, msg);
  };
  const expectType = (e: Expr, want: ValueType, context: string): void => {
    const t = check(e);
    if (t !== want)
      fail(e.start, `expected type ${documentedType(want)} in ${context}, got ${documentedType(t)}`);
  };
  const check = (e: Expr): ValueType => {
    switch (e.kind) {
      case 'NumberLiteral':
      case 'StringLiteral':
        break;
      case 'VectorSelector': {
        if (e.name !== '') {
          for (const m of e.matchers.slice(0, -1)) {
            if (m.name === METRIC_NAME)
              fail(
                e.start,
                `metric name must not be set twice: ${JSON.stringify(e.name)} or ${JSON.stringify(m.value)}`,
              );
          }
          break;
        }
        if (!e.matchers.some((m) => !m.matchesEmpty()))
          fail(e.start, 'vector selector must contain at least one non-empty matcher');
        break;
      }
      case 'MatrixSelector':
        check(e.vs);
        break;
      case 'SubqueryExpr': {
        const t = check(e.expr);
        if (t !== 'vector') fail(e.start, `subquery is only allowed on instant vector, got ${t} instead`);
        break;
      }
      case 'ParenExpr':
        check(e.expr);
        break;
      case 'UnaryExpr': {
        const t = check(e.expr);
        if (t !== 'scalar' && t !== 'vector') {
          fail(
            e.start,
            `unary expression only allowed on expressions of type scalar or instant vector, got ${JSON.stringify(documentedType(t))}`,
          );
        }
        break;
      }
      case 'AggregateExpr':
        expectType(e.expr, 'vector', 'aggregation expression');
        if (e.op === 'topk' || e.op === 'bottomk' || e.op === 'quantile')
          expectType(e.param!, 'scalar', 'aggregation parameter');
        if (e.op === 'count_values') expectType(e.param!, 'string', 'aggregation parameter');
        break;
      case 'Call': {
        const sig = FUNCTIONS.get(e.func)!;
        const nargs = sig.argTypes.length;
        if (sig.variadic === 0) {
          if (nargs !== e.args.length)
            fail(
              e.start,
              `expected ${nargs} argument(s) in call to ${JSON.stringify(e.func)}, got ${e.args.length}`,
            );
        } else {
          const na = nargs - 1;
          if (na > e.args.length)
            fail(
              e.start,
              `expected at least ${na} argument(s) in call to ${JSON.stringify(e.func)}, got ${e.args.length}`,
            );
          else if (sig.variadic > 0 && na + sig.variadic < e.args.length) {
            fail(
              e.start,
              `expected at most ${na + sig.variadic} argument(s) in call to ${JSON.stringify(e.func)}, got ${e.args.length}`,
            );
          }
        }
        e.args.forEach((arg, i) => {
          if (i >= nargs) {
            if (sig.variadic === 0) return;
            i = nargs - 1;
          }
          expectType(arg, sig.argTypes[i]!, `call to function ${JSON.stringify(e.func)}`);
        });
        break;
      }
      case 'BinaryExpr': {
        const lt = check(e.lhs);
        const rt = check(e.rhs);
        let opPos = e.lhs.end;
        while (opPos < input.length && /\s/.test(input[opPos]!)) opPos++;
        if (e.returnBool && !isComparisonOp(e.op))
          fail(opPos, 'bool modifier can only be used on comparison operators');
        if (isComparisonOp(e.op) && !e.returnBool && lt === 'scalar' && rt === 'scalar') {
          fail(opPos, 'comparisons between scalars must use BOOL modifier');
        }
        const m = e.matching;
        if (m && m.on) {
          for (const l of m.labels) {
            if (m.include.includes(l))
              fail(opPos, `label ${JSON.stringify(l)} must not occur in ON and GROUP clause at once`);
          }
        }
        if (lt !== 'scalar' && lt !== 'vector')
          fail(e.lhs.start, 'binary expression must contain only scalar and instant vector types');
        if (rt !== 'scalar' && rt !== 'vector')
          fail(e.rhs.start, 'binary expression must contain only scalar and instant vector types');
        if ((lt !== 'vector' || rt !== 'vector') && m) {
          if (m.labels.length > 0) fail(e.start, 'vector matching only allowed between instant vectors');
          e.matching = null;
        } else if (isSetOp(e.op) && m) {
          if (m.card === 'one-to-many' || m.card === 'many-to-one')
            fail(e.start, `no grouping allowed for ${JSON.stringify(e.op)} operation`);
        }
        if ((lt === 'scalar' || rt === 'scalar') && isSetOp(e.op)) {
          fail(e.start, `set operator ${JSON.stringify(e.op)} not allowed in binary scalar expression`);
        }
        break;
      }
    }
    return typeOf(e);
  };
  check(root);
}
