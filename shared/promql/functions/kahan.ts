// Neumaier-compensated ("Kahan") summation, as Prometheus 2.42's kahanSumInc, used by
// sum/avg/stddev/stdvar_over_time and the linear regression of deriv/predict_linear.
// The step returns the new sum and leaves the new compensation in `kahan.c` (module state
// instead of a tuple: no allocation per sample). Callers read `kahan.c` right after each call.

export const kahan = { c: 0 };

export function kahanSumInc(inc: number, sum: number, c: number): number {
  const t = sum + inc;
  if (Math.abs(sum) >= Math.abs(inc)) c += sum - t + inc;
  else c += inc - t + sum;
  kahan.c = c;
  return t;
}
