// Display formats: dates in Vietnam time (UTC+7, no daylight saving) whatever the browser's zone,
// money in VND, and the accent-insensitive matching used by the catalogue search.
//
// Choices (same in both languages, so a receipt reads the same as its paper twin):
//   - dates dd/mm/yyyy, date-times dd/mm/yyyy HH:mm (24 h);
//   - money: integer VND grouped by "." with " ₫" after: 1250000 → "1.250.000 ₫". English keeps the
//     Vietnamese grouping too, because amounts are quoted from Vietnamese fee schedules and the
//     rules of the project fix one money format; a mixed "1,250,000" would look like a different
//     figure next to the printed receipt.
import { t } from '../i18n';

const VN_OFFSET_MS = 7 * 60 * 60 * 1000;

function toDate(v: string | number | Date): Date | null {
  const d = v instanceof Date ? v : new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Calendar fields of the instant in Vietnam time. */
export function vietnamParts(v: string | number | Date): {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
} | null {
  const d = toDate(v);
  if (!d) return null;
  const local = new Date(d.getTime() + VN_OFFSET_MS);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
  };
}

/** "dd/mm/yyyy" in Vietnam time; "" for a missing or invalid value. A bare "yyyy-mm-dd" is a
 *  calendar day and is shown as such. */
export function formatDate(v: string | number | Date | null | undefined): string {
  if (v === null || v === undefined || v === '') return '';
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) {
    const [y, m, d] = v.split('-');
    return `${d}/${m}/${y}`;
  }
  const p = vietnamParts(v);
  return p ? `${pad(p.day)}/${pad(p.month)}/${pad(p.year, 4)}` : '';
}

/** "dd/mm/yyyy HH:mm" in Vietnam time; "" for a missing or invalid value. */
export function formatDateTime(v: string | number | Date | null | undefined): string {
  if (v === null || v === undefined || v === '') return '';
  const p = vietnamParts(v);
  return p
    ? `${pad(p.day)}/${pad(p.month)}/${pad(p.year, 4)} ${pad(p.hour)}:${pad(p.minute)}`
    : '';
}

/** Integer with "." between groups of three: 1250000 → "1.250.000". */
export function formatInteger(n: number): string {
  const neg = n < 0;
  const digits = String(Math.round(Math.abs(n)));
  const groups: string[] = [];
  for (let end = digits.length; end > 0; end -= 3) groups.unshift(digits.slice(Math.max(0, end - 3), end));
  return (neg ? '-' : '') + groups.join('.');
}

/** VND: 1250000 → "1.250.000 ₫". */
export function formatMoney(amount: number): string {
  return `${formatInteger(amount)} ₫`;
}

/** File size for people: "850 KB", "2,4 MB" (vi) / "2.4 MB" (en handled by caller's lang). */
export function formatSize(bytes: number, lang: 'vi' | 'en' = 'vi'): string {
  if (bytes < 1024) return `${bytes} B`;
  const kb = bytes / 1024;
  if (kb < 1024) return `${Math.round(kb)} KB`;
  const mb = (kb / 1024).toFixed(1);
  return `${lang === 'vi' ? mb.replace('.', ',') : mb} MB`;
}

/**
 * Lower case, Vietnamese diacritics removed, đ → d, runs of space collapsed:
 * "Đăng ký  khai sinh" → "dang ky khai sinh".
 */
export function foldVietnamese(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** True when every word of query occurs in one of the texts, ignoring case and diacritics.
 *  An empty query matches everything. */
export function matchesQuery(query: string, ...texts: (string | null | undefined)[]): boolean {
  const words = foldVietnamese(query).split(' ').filter(Boolean);
  if (words.length === 0) return true;
  const hay = texts.filter(Boolean).map((s) => foldVietnamese(s as string)).join(' \u0000 ');
  return words.every((w) => hay.includes(w));
}

export interface TimeLimit {
  unit: 'working_days' | 'working_hours' | 'calendar_days' | 'same_day' | string;
  value: number;
  hours?: number;
}

/** "3 ngày làm việc", "Trong ngày", "30 ngày"… */
export function formatTimeLimit(tl: TimeLimit | null | undefined): string {
  if (!tl) return '';
  switch (tl.unit) {
    case 'same_day':
      return t('timeLimit.same_day');
    case 'working_days':
      return tl.hours
        ? t('timeLimit.working_days_hours', { n: tl.value, h: tl.hours })
        : t('timeLimit.working_days', { n: tl.value });
    case 'working_hours':
      return t('timeLimit.working_hours', { n: tl.value });
    case 'calendar_days':
      return t('timeLimit.calendar_days', { n: tl.value });
    default:
      return `${tl.value} ${tl.unit}`;
  }
}
