// Go's number formatting as rule templates print it: %v / %g of a float64 (shortest
// representation, e-notation when the exponent is < -4 or >= 6, as strconv does), %.Ng,
// %.Nf, %d, and Prometheus's humanize family (template.go in Prometheus).

/** Go's %e exponent: sign and at least two digits ("1e+06"). */
function goExp(s: string): string {
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

/** strconv.FormatFloat(v, 'g', prec, 64); prec < 0 means shortest (what %v prints). */
export function formatG(v: number, prec = -1): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  let digits: string;
  let exp: number;
  if (prec < 0) {
    const e = v.toExponential();
    const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(e)!;
    digits = m[2]! + (m[3] ?? '');
    exp = Number(m[4]);
  } else {
    const p = Math.max(prec, 1);
    const e = v.toExponential(p - 1);
    const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(e)!;
    digits = (m[2]! + (m[3] ?? '')).replace(/0+$/, '') || '0';
    exp = Number(m[4]);
  }
  const sign = v < 0 ? '-' : '';
  const eprec = prec < 0 ? 6 : Math.max(prec, 1);
  if (exp < -4 || exp >= eprec) {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return goExp(`${sign}${mant}e${exp < 0 ? '-' : '+'}${Math.abs(exp)}`);
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return `${sign}${digits}${'0'.repeat(exp + 1 - digits.length)}`;
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/** Go's %v of a float64 (strconv 'g', shortest: 1e+06, 123456, 0.0001, 1e-05). */
export function formatValue(v: number): string {
  return formatG(v, -1);
}

/** A small printf: %s %v %d %f %.Nf %g %.Ng %e %q %%. */
export function sprintf(format: string, args: readonly unknown[]): string {
  let i = 0;
  return format.replace(
    /%(-?\d*)(?:\.(\d+))?([svdfgeq%])/g,
    (_m, width: string, precStr: string | undefined, verb: string) => {
      if (verb === '%') return '%';
      const a = args[i++];
      const prec = precStr === undefined ? undefined : Number(precStr);
      let out: string;
      switch (verb) {
        case 'd':
          out = typeof a === 'number' ? String(Math.trunc(a)) : `%!d(${String(a)})`;
          break;
        case 'f':
          out = typeof a === 'number' ? a.toFixed(prec ?? 6) : `%!f(${String(a)})`;
          break;
        case 'e':
          out = typeof a === 'number' ? goExp(a.toExponential(prec ?? 6)) : `%!e(${String(a)})`;
          break;
        case 'g':
          out = typeof a === 'number' ? formatG(a, prec ?? -1) : `%!g(${String(a)})`;
          break;
        case 'q':
          out = JSON.stringify(String(a));
          break;
        default:
          out = typeof a === 'number' ? formatValue(a) : String(a ?? '<nil>');
      }
      const w = Number(width);
      if (w) out = w < 0 ? out.padEnd(-w) : out.padStart(w);
      return out;
    },
  );
}

const BIG = ['k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];
const SMALL = ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y'];

export function humanize(v: number): string {
  if (v === 0 || !Number.isFinite(v)) return formatG(v, 4);
  let prefix = '';
  if (Math.abs(v) >= 1) {
    for (const p of BIG) {
      if (Math.abs(v) < 1000) break;
      prefix = p;
      v /= 1000;
    }
  } else {
    for (const p of SMALL) {
      if (Math.abs(v) >= 1) break;
      prefix = p;
      v *= 1000;
    }
  }
  return formatG(v, 4) + prefix;
}

export function humanize1024(v: number): string {
  if (Math.abs(v) <= 1 || !Number.isFinite(v)) return formatG(v, 4);
  let prefix = '';
  for (const p of ['ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'Zi', 'Yi']) {
    if (Math.abs(v) < 1024) break;
    prefix = p;
    v /= 1024;
  }
  return formatG(v, 4) + prefix;
}

export function humanizeDuration(v: number): string {
  if (!Number.isFinite(v)) return formatG(v, 4);
  if (v === 0) return '0s';
  if (Math.abs(v) < 1) {
    let p = '';
    for (const unit of ['ms', 'us', 'ns']) {
      if (Math.abs(v) >= 1) break;
      v *= 1000;
      p = unit;
    }
    return formatG(v, 4) + p;
  }
  const sign = v < 0 ? '-' : '';
  v = Math.abs(v);
  const seconds = Math.trunc(v) % 60;
  const minutes = Math.trunc(v / 60) % 60;
  const hours = Math.trunc(v / 3600) % 24;
  const days = Math.trunc(v / 86400);
  if (days !== 0) return `${sign}${days}d ${hours}h ${minutes}m ${seconds}s`;
  if (hours !== 0) return `${sign}${hours}h ${minutes}m ${seconds}s`;
  if (minutes !== 0) return `${sign}${minutes}m ${seconds}s`;
  return `${sign}${formatG(v, 4)}s`;
}

export function humanizePercentage(v: number): string {
  return `${formatG(v * 100, 4)}%`;
}

export function humanizeTimestamp(v: number): string {
  if (!Number.isFinite(v)) return formatG(v, 4);
  // Go prints time.Time as "2006-01-02 15:04:05.999999999 -0700 MST".
  const iso = new Date(v * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${iso.slice(19, 23) === '.000' ? '' : iso.slice(19, 23).replace(/0+$/, '')} +0000 UTC`;
}
