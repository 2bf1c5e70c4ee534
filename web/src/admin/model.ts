// What the administration pages read and write: officer accounts (GET/POST /api/v1/officers,
// POST /api/v1/accounts/{id}/roles|disable|enable|totp-reset) and the working calendar
// (GET /api/v1/calendar?year=, contract §6; PUT/DELETE /api/v1/calendar/days/{date} for the
// province administrator), with the form's checks of a calendar day.
import { api } from '../core/api';

export interface AccountRow {
  id: string;
  kind: string;
  login: string;
  name: string;
  unit: string;
  roles: string[];
  disabled: boolean;
  totp_enrolled: boolean;
  email: string;
  phone: string;
  created_at?: string | null;
  last_login_at?: string | null;
}

export interface AccountPage {
  items: AccountRow[];
  next_after: string | null;
}

export const OFFICER_PAGE = 50;

export function listOfficers(after: string, signal?: AbortSignal): Promise<AccountPage> {
  return api<AccountPage>('/api/v1/officers', {
    query: { limit: OFFICER_PAGE, after: after || undefined },
    signal,
  });
}

export interface NewOfficer {
  login: string;
  name: string;
  unit: string;
  roles: string[];
  email?: string;
  phone?: string;
  password: string;
}

export function createOfficer(o: NewOfficer): Promise<AccountRow> {
  return api<AccountRow>('/api/v1/officers', { method: 'POST', body: o });
}

const accountPath = (id: string, what: string) => `/api/v1/accounts/${encodeURIComponent(id)}/${what}`;

export function setRoles(id: string, unit: string, roles: string[]): Promise<AccountRow> {
  return api<AccountRow>(accountPath(id, 'roles'), { method: 'POST', body: { unit, roles } });
}

export function setDisabled(id: string, disabled: boolean, reason: string): Promise<AccountRow> {
  return api<AccountRow>(accountPath(id, disabled ? 'disable' : 'enable'), {
    method: 'POST',
    body: { reason },
  });
}

export function resetTotp(id: string): Promise<AccountRow> {
  return api<AccountRow>(accountPath(id, 'totp-reset'), { method: 'POST' });
}

export interface CalendarDay {
  date: string;
  kind: 'holiday' | 'compensatory' | 'swap_off' | 'make_up' | 'working' | string;
  /** Whether the day is worked (a make-up day, or a day off cancelled by "working"). */
  working?: boolean;
  name_vi: string;
  name_en: string;
  source?: string;
  /** Set through the API by a province administrator: it can be cleared. */
  managed?: boolean;
}

export interface CalendarYear {
  year: number;
  days: CalendarDay[];
}

export function getCalendar(year: number, signal?: AbortSignal): Promise<CalendarYear> {
  return api<CalendarYear>('/api/v1/calendar', { query: { year }, signal });
}

// ---- Days set by the province administrator (PUT/DELETE /api/v1/calendar/days/{date}) ----------

/** The kinds a province administrator may set, in the order the form offers them. */
export const OVERRIDE_KINDS = ['swap_off', 'make_up', 'compensatory', 'working', 'holiday'] as const;
export type OverrideKind = (typeof OVERRIDE_KINDS)[number];

/** The years the server's calendar holds. */
export const CALENDAR_FIRST_YEAR = 2015;
export const CALENDAR_LAST_YEAR = 2035;

export interface DayOverride {
  date: string;
  kind: OverrideKind;
  name_vi: string;
  name_en: string;
  source: string;
}

/** 0 = Sunday … 6 = Saturday of a yyyy-mm-dd calendar day (no time zone involved). */
export function weekdayOf(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

export const isWeekend = (iso: string) => {
  const w = weekdayOf(iso);
  return w === 0 || w === 6;
};

export interface FieldProblem {
  key: string;
  params?: Record<string, string | number>;
}

/**
 * The checks the form makes before sending (the server makes them again, and more: a "working"
 * day must cancel a day off the rules give). date is yyyy-mm-dd or '' when what was typed is not
 * a date. Returns the problems by field name; empty when the day may be sent.
 */
export function checkOverride(o: {
  date: string;
  kind: string;
  name_vi: string;
  name_en: string;
  source: string;
}): Partial<Record<keyof DayOverride, FieldProblem>> {
  const out: Partial<Record<keyof DayOverride, FieldProblem>> = {};
  if (!/^\d{4}-\d{2}-\d{2}$/.test(o.date)) {
    out.date = { key: 'admin.cal.check.date' };
  } else {
    const year = Number(o.date.slice(0, 4));
    if (year < CALENDAR_FIRST_YEAR || year > CALENDAR_LAST_YEAR) {
      out.date = { key: 'admin.cal.check.year', params: { first: CALENDAR_FIRST_YEAR, last: CALENDAR_LAST_YEAR } };
    }
  }
  if (!(OVERRIDE_KINDS as readonly string[]).includes(o.kind)) {
    out.kind = { key: 'admin.cal.check.kind' };
  } else if (!out.date) {
    const weekend = isWeekend(o.date);
    if (o.kind === 'make_up' && !weekend) out.kind = { key: 'admin.cal.check.makeUpWeekend' };
    if ((o.kind === 'swap_off' || o.kind === 'compensatory') && weekend) {
      out.kind = { key: `admin.cal.check.${o.kind}Weekday` };
    }
  }
  if (!o.name_vi.trim()) out.name_vi = { key: 'validate.required' };
  if (!o.name_en.trim()) out.name_en = { key: 'validate.required' };
  if (!o.source.trim()) out.source = { key: 'admin.cal.check.source' };
  return out;
}

const dayPath = (date: string) => `/api/v1/calendar/days/${encodeURIComponent(date)}`;

export function setCalendarDay(o: DayOverride): Promise<DayOverride> {
  const { date, ...body } = o;
  return api<DayOverride>(dayPath(date), { method: 'PUT', body });
}

export function clearCalendarDay(date: string): Promise<{ cleared: boolean }> {
  return api<{ cleared: boolean }>(dayPath(date), { method: 'DELETE' });
}
