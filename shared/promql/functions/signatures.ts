// Type signatures of the PromQL functions of Prometheus 2.42 (used by the type checker).
import type { ValueType } from '../ast.ts';

export interface FunctionSignature {
  name: string;
  argTypes: ValueType[];
  /** 0: exact arity; n > 0: up to n trailing optional args of the last type; -1: unlimited. */
  variadic: number;
  returnType: ValueType;
}

const S: ValueType = 'scalar',
  V: ValueType = 'vector',
  M: ValueType = 'matrix',
  STR: ValueType = 'string';

function sig(name: string, argTypes: ValueType[], returnType: ValueType, variadic = 0): FunctionSignature {
  return { name, argTypes, variadic, returnType };
}

const list: FunctionSignature[] = [
  sig('abs', [V], V),
  sig('absent', [V], V),
  sig('absent_over_time', [M], V),
  sig('avg_over_time', [M], V),
  sig('ceil', [V], V),
  sig('changes', [M], V),
  sig('clamp', [V, S, S], V),
  sig('clamp_max', [V, S], V),
  sig('clamp_min', [V, S], V),
  sig('count_over_time', [M], V),
  sig('days_in_month', [V], V, 1),
  sig('day_of_month', [V], V, 1),
  sig('day_of_week', [V], V, 1),
  sig('day_of_year', [V], V, 1),
  sig('delta', [M], V),
  sig('deriv', [M], V),
  sig('exp', [V], V),
  sig('floor', [V], V),
  sig('histogram_count', [V], V),
  sig('histogram_sum', [V], V),
  sig('histogram_fraction', [S, S, V], V),
  sig('histogram_quantile', [S, V], V),
  sig('holt_winters', [M, S, S], V),
  sig('hour', [V], V, 1),
  sig('idelta', [M], V),
  sig('increase', [M], V),
  sig('irate', [M], V),
  sig('label_replace', [V, STR, STR, STR, STR], V),
  sig('label_join', [V, STR, STR, STR], V, -1),
  sig('last_over_time', [M], V),
  sig('ln', [V], V),
  sig('log10', [V], V),
  sig('log2', [V], V),
  sig('max_over_time', [M], V),
  sig('min_over_time', [M], V),
  sig('minute', [V], V, 1),
  sig('month', [V], V, 1),
  sig('pi', [], S),
  sig('predict_linear', [M, S], V),
  sig('present_over_time', [M], V),
  sig('quantile_over_time', [S, M], V),
  sig('rate', [M], V),
  sig('resets', [M], V),
  sig('round', [V, S], V, 1),
  sig('scalar', [V], S),
  sig('sgn', [V], V),
  sig('sort', [V], V),
  sig('sort_desc', [V], V),
  sig('sqrt', [V], V),
  sig('stddev_over_time', [M], V),
  sig('stdvar_over_time', [M], V),
  sig('sum_over_time', [M], V),
  sig('time', [], S),
  sig('timestamp', [V], V),
  sig('vector', [S], V),
  sig('year', [V], V, 1),
];
for (const trig of [
  'acos',
  'acosh',
  'asin',
  'asinh',
  'atan',
  'atanh',
  'cos',
  'cosh',
  'sin',
  'sinh',
  'tan',
  'tanh',
  'deg',
  'rad',
]) {
  list.push(sig(trig, [V], V));
}

export const FUNCTIONS: ReadonlyMap<string, FunctionSignature> = new Map(list.map((f) => [f.name, f]));
