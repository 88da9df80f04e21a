// Calendar fields of a sample value taken as Unix seconds, exactly as Prometheus 2.42's
// dateWrapper computes them: time.Unix(int64(v), 0).UTC(). Go truncates toward zero, and on
// amd64 converts NaN, ±Inf and values outside int64 to math.MinInt64; Go's calendar then runs on
// uint64 "absolute" seconds that wrap for such values (MinInt64 reads as year 292277026596).
// Plain Number arithmetic for |sec| ≤ 2^53; BigInt only for the rare values beyond.

const TWO63 = 9223372036854775808;
/** Go's unixToInternal + internalToAbsolute: seconds from the absolute zero year to 1970. */
const UNIX_TO_ABS_SEC = 9223372028715321600n;
const ABS_DAYS_AT_UNIX = UNIX_TO_ABS_SEC / 86400n;
const CUM_DAYS = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

/** Fields of the last breakdown() call (reused: no allocation per sample). */
export const cal = { year: 0, month: 0, day: 0, yday: 0, wday: 0, hour: 0, minute: 0, daysInMonth: 0 };

function isLeap(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

/** Fills `cal` for time.Unix(int64(v), 0).UTC(). */
export function breakdown(v: number): void {
  let days: number, secOfDay: number;
  const inRange = v === v && v < TWO63 && v >= -TWO63;
  const sec = inRange ? Math.trunc(v) : 0;
  if (inRange && Math.abs(sec) <= 2 ** 53) {
    days = Math.floor(sec / 86400);
    secOfDay = sec - days * 86400;
  } else {
    const abs = BigInt.asUintN(64, (inRange ? BigInt(sec) : -(2n ** 63n)) + UNIX_TO_ABS_SEC);
    days = Number(abs / 86400n - ABS_DAYS_AT_UNIX);
    secOfDay = Number(abs % 86400n);
  }
  // Proleptic Gregorian civil date from days since 1970-01-01 (H. Hinnant's algorithm).
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const leap = isLeap(year);
  cal.year = year;
  cal.month = month;
  cal.day = day;
  cal.yday = CUM_DAYS[month - 1]! + day + (leap && month > 2 ? 1 : 0);
  cal.wday = ((days % 7) + 7 + 4) % 7;
  cal.hour = Math.floor(secOfDay / 3600);
  cal.minute = Math.floor((secOfDay % 3600) / 60);
  cal.daysInMonth = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}
