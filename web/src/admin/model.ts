// What the administration pages read and write: officer accounts (GET/POST /api/v1/officers,
// POST /api/v1/accounts/{id}/roles|disable|enable|totp-reset) and the working calendar
// (GET /api/v1/calendar?year=, contract §6).
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
  kind: 'holiday' | 'compensatory' | 'swap_off' | 'make_up' | string;
  /** A weekend day worked to make up a swapped day off. */
  working?: boolean;
  name_vi: string;
  name_en: string;
}

export interface CalendarYear {
  year: number;
  days: CalendarDay[];
}

export function getCalendar(year: number, signal?: AbortSignal): Promise<CalendarYear> {
  return api<CalendarYear>('/api/v1/calendar', { query: { year }, signal });
}
