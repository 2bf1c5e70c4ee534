// The checks the administration's calendar form makes before it sends a day
// (src/admin/model.ts checkOverride): weekday rules per kind, the calendar's years, the required
// names and source; and every message they name exists in both languages.
import { describe, expect, it } from 'vitest';
import viCore from '../../src/i18n/vi';
import enCore from '../../src/i18n/en';
import viAdmin from '../../src/admin/i18n.vi';
import enAdmin from '../../src/admin/i18n.en';
import {
  checkOverride,
  isWeekend,
  OVERRIDE_KINDS,
  weekdayOf,
  type FieldProblem,
} from '../../src/admin/model';

const day = (over: Partial<Parameters<typeof checkOverride>[0]>) => ({
  date: '2026-09-01',
  kind: 'swap_off',
  name_vi: 'Nghỉ hoán đổi dịp Quốc khánh',
  name_en: 'Swapped day off for National Day',
  source: 'Thông báo số 15/TB-UBND ngày 10/08/2026',
  ...over,
});

const keys = (p: Partial<Record<string, FieldProblem>>) =>
  Object.fromEntries(Object.entries(p).map(([k, v]) => [k, v!.key]));

describe('weekdays', () => {
  it('knows the weekday of a calendar day whatever the time zone', () => {
    expect(weekdayOf('2026-09-02')).toBe(3); // Wednesday, National Day 2026
    expect(weekdayOf('2026-08-22')).toBe(6); // Saturday
    expect(weekdayOf('2026-08-23')).toBe(0); // Sunday
    expect(weekdayOf('2024-02-29')).toBe(4); // leap day, Thursday
    expect(isWeekend('2026-08-22')).toBe(true);
    expect(isWeekend('2026-08-23')).toBe(true);
    expect(isWeekend('2026-08-24')).toBe(false);
    expect(isWeekend('2026-08-21')).toBe(false);
  });
});

describe('checkOverride', () => {
  it('accepts a complete day of each kind on a fitting weekday', () => {
    expect(checkOverride(day({ kind: 'swap_off', date: '2026-08-31' }))).toEqual({}); // Monday
    expect(checkOverride(day({ kind: 'make_up', date: '2026-08-22' }))).toEqual({}); // Saturday
    expect(checkOverride(day({ kind: 'make_up', date: '2026-08-23' }))).toEqual({}); // Sunday
    expect(checkOverride(day({ kind: 'compensatory', date: '2026-04-27' }))).toEqual({}); // Monday
    expect(checkOverride(day({ kind: 'holiday', date: '2026-11-24' }))).toEqual({}); // Tuesday
    expect(checkOverride(day({ kind: 'holiday', date: '2026-11-28' }))).toEqual({}); // Saturday
    expect(checkOverride(day({ kind: 'working', date: '2026-09-01' }))).toEqual({});
    expect(checkOverride(day({ kind: 'working', date: '2026-08-29' }))).toEqual({});
  });

  it('refuses a make-up day on a weekday, and a swapped or compensatory day off at the weekend', () => {
    expect(keys(checkOverride(day({ kind: 'make_up', date: '2026-08-21' })))).toEqual({
      kind: 'admin.cal.check.makeUpWeekend',
    });
    expect(keys(checkOverride(day({ kind: 'swap_off', date: '2026-08-22' })))).toEqual({
      kind: 'admin.cal.check.swap_offWeekday',
    });
    expect(keys(checkOverride(day({ kind: 'compensatory', date: '2026-08-23' })))).toEqual({
      kind: 'admin.cal.check.compensatoryWeekday',
    });
  });

  it('needs a date inside the calendar years, and a known kind', () => {
    expect(keys(checkOverride(day({ date: '' })))).toEqual({ date: 'admin.cal.check.date' });
    expect(keys(checkOverride(day({ date: '02/09/2026' })))).toEqual({ date: 'admin.cal.check.date' });
    const early = checkOverride(day({ date: '2014-12-31' }));
    expect(early.date).toEqual({ key: 'admin.cal.check.year', params: { first: 2015, last: 2035 } });
    expect(keys(checkOverride(day({ date: '2036-01-01', kind: 'holiday' })))).toEqual({ date: 'admin.cal.check.year' });
    expect(checkOverride(day({ date: '2015-01-01', kind: 'holiday' }))).toEqual({});
    expect(checkOverride(day({ date: '2035-12-31', kind: 'holiday' }))).toEqual({});
    expect(keys(checkOverride(day({ kind: '' })))).toEqual({ kind: 'admin.cal.check.kind' });
    expect(keys(checkOverride(day({ kind: 'swap_work' })))).toEqual({ kind: 'admin.cal.check.kind' });
    // No weekday verdict on a date that is not there.
    expect(keys(checkOverride(day({ date: '', kind: 'make_up' })))).toEqual({ date: 'admin.cal.check.date' });
  });

  it('needs both names and the source, blanks counting as missing', () => {
    expect(keys(checkOverride(day({ source: '   ' })))).toEqual({ source: 'admin.cal.check.source' });
    expect(keys(checkOverride(day({ name_vi: '', name_en: ' ' })))).toEqual({
      name_vi: 'validate.required',
      name_en: 'validate.required',
    });
  });

  it('names only messages that exist in Vietnamese and English', () => {
    const vi = { ...viCore, ...viAdmin } as Record<string, string>;
    const en = { ...enCore, ...enAdmin } as Record<string, string>;
    const named = new Set<string>();
    for (const kind of [...OVERRIDE_KINDS, '']) {
      for (const date of ['', '2014-05-05', '2026-08-21', '2026-08-22']) {
        for (const p of Object.values(checkOverride({ date, kind, name_vi: '', name_en: '', source: '' }))) {
          named.add(p!.key);
        }
      }
    }
    expect(named.size).toBeGreaterThanOrEqual(8);
    for (const k of named) {
      expect(vi[k], k).toBeTruthy();
      expect(en[k], k).toBeTruthy();
    }
    for (const k of OVERRIDE_KINDS) {
      for (const prefix of ['admin.cal.kind.', 'admin.cal.form.kind.', 'admin.cal.form.rule.']) {
        expect(vi[prefix + k], prefix + k).toBeTruthy();
        expect(en[prefix + k], prefix + k).toBeTruthy();
      }
    }
  });
});
