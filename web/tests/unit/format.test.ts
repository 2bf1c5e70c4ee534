import { describe, expect, it } from 'vitest';
import {
  formatDate,
  formatDateTime,
  formatInteger,
  formatMoney,
  formatSize,
  formatTimeLimit,
} from '../../src/core/format';
import { setLang } from '../../src/i18n';

describe('formatMoney', () => {
  it('groups VND by dots with the dong sign', () => {
    expect(formatMoney(1250000)).toBe('1.250.000 ₫');
    expect(formatMoney(8000)).toBe('8.000 ₫');
    expect(formatMoney(999)).toBe('999 ₫');
    expect(formatMoney(0)).toBe('0 ₫');
    expect(formatMoney(1000)).toBe('1.000 ₫');
    expect(formatMoney(12345678901)).toBe('12.345.678.901 ₫');
  });
  it('keeps the sign of negative amounts', () => {
    expect(formatInteger(-1500)).toBe('-1.500');
  });
});

describe('formatDate / formatDateTime in Vietnam time', () => {
  it('shows 17:30Z as the next day (00:30 at UTC+7)', () => {
    expect(formatDate('2026-03-03T17:30:00.000000Z')).toBe('04/03/2026');
    expect(formatDateTime('2026-03-03T17:30:00Z')).toBe('04/03/2026 00:30');
  });
  it('shows a morning UTC instant on the same day', () => {
    expect(formatDate('2026-03-03T02:00:00Z')).toBe('03/03/2026');
    expect(formatDateTime('2026-03-03T02:00:00Z')).toBe('03/03/2026 09:00');
  });
  it('crosses a year boundary', () => {
    expect(formatDateTime('2025-12-31T16:59:00Z')).toBe('31/12/2025 23:59');
    expect(formatDateTime('2025-12-31T17:00:00Z')).toBe('01/01/2026 00:00');
  });
  it('does not depend on the process time zone', () => {
    // The same instant from a Date object and from epoch milliseconds.
    const ms = Date.UTC(2026, 0, 15, 20, 5);
    expect(formatDateTime(ms)).toBe('16/01/2026 03:05');
    expect(formatDateTime(new Date(ms))).toBe('16/01/2026 03:05');
  });
  it('shows a bare calendar day unchanged', () => {
    expect(formatDate('2026-02-16')).toBe('16/02/2026');
  });
  it('gives "" for missing or invalid values', () => {
    expect(formatDate(null)).toBe('');
    expect(formatDate(undefined)).toBe('');
    expect(formatDateTime('not a date')).toBe('');
  });
});

describe('formatTimeLimit', () => {
  it('spells each unit in Vietnamese and English', () => {
    setLang('vi');
    expect(formatTimeLimit({ unit: 'working_days', value: 3 })).toBe('3 ngày làm việc');
    expect(formatTimeLimit({ unit: 'same_day', value: 0 })).toBe('Trong ngày');
    expect(formatTimeLimit({ unit: 'calendar_days', value: 30 })).toBe('30 ngày');
    expect(formatTimeLimit({ unit: 'working_days', value: 1, hours: 4 })).toBe('1 ngày làm việc 4 giờ');
    setLang('en');
    expect(formatTimeLimit({ unit: 'working_days', value: 3 })).toBe('3 working days');
    expect(formatTimeLimit({ unit: 'working_hours', value: 8 })).toBe('8 working hours');
    setLang('vi');
  });
});

describe('formatSize', () => {
  it('uses a decimal comma in Vietnamese', () => {
    expect(formatSize(2.4 * 1024 * 1024, 'vi')).toBe('2,4 MB');
    expect(formatSize(2.4 * 1024 * 1024, 'en')).toBe('2.4 MB');
    expect(formatSize(512)).toBe('512 B');
    expect(formatSize(850 * 1024)).toBe('850 KB');
  });
});
