// Small formatting helpers shared by function error messages.

/** Go's fmt %f: six decimals. */
export function formatGoFloat6(v: number): string {
  if (v !== v) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return v.toFixed(6);
}
