// Dates as the engine reads them: epoch milliseconds, or ISO-8601 strings. Parsed by hand rather
// than with Date.parse, which reads a date-time without an offset in the process's own time zone:
// the same definition must give the same answer on every machine.

const DATE = String.raw`(\d{4})-(\d{2})-(\d{2})`;
const TIME = String.raw`(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?`;
const ZONE = String.raw`(?:([Zz])|([+-])(\d{2}):?(\d{2}))`;
/** Groups: 1–3 date, 4–7 time (hour, minute, second, fraction), 8 Z, 9–11 offset. */
const ISO = new RegExp(`^${DATE}(?:[Tt ]${TIME}${ZONE}?)?$`);

/** A parsed date: its first instant, and whether it named a whole day rather than an instant. */
export interface ParsedDate {
  time: number;
  dateOnly: boolean;
}

/**
 * An ISO-8601 date (`2024-05-01`) or date-time (`2024-05-01T08:30:00+08:00`). A date, or a
 * date-time without an offset, is read in the deployment's local time (`offsetMs` east of UTC),
 * the same local time that cuts day buckets. Impossible dates (`2024-02-30`) are rejected.
 */
export function parseIsoDate(text: string, offsetMs: number): ParsedDate | undefined {
  const m = ISO.exec(text);
  if (!m) return undefined;
  const part = (index: number) => Number(m[index] ?? 0);
  const [year, month, day, hour, minute, second] = [
    part(1),
    part(2),
    part(3),
    part(4),
    part(5),
    part(6),
  ];
  const millis = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  const rolledOver = date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day;
  if (rolledOver || hour > 23 || minute > 59 || second > 59) return undefined;
  let shift = offsetMs;
  if (m[8]) shift = 0;
  else if (m[9]) shift = (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11])) * 60_000;
  return { time: date.getTime() - shift, dateOnly: m[4] === undefined };
}

/**
 * The instant a value stands for: a finite number is epoch milliseconds (what first_time and
 * last_time tags hold), a string is parsed as ISO-8601. Anything else has no time.
 */
export function toTime(value: unknown, offsetMs: number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string') return parseIsoDate(value, offsetMs)?.time;
  return undefined;
}
