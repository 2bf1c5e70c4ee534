import { afterEach, describe, expect, it, vi as vitest } from 'vitest';
import viCore from '../../src/i18n/vi';
import enCore from '../../src/i18n/en';
import {
  catalogue,
  getLang,
  interpolate,
  onLangChange,
  pick,
  registerMessages,
  setLang,
  t,
} from '../../src/i18n';

type Cat = Record<string, string>;
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

// Every area's catalogue pair: src/**/i18n.vi.ts with its i18n.en.ts twin.
const areaVi = import.meta.glob<{ default: Cat }>('../../src/**/i18n.vi.ts', { eager: true });
const areaEn = import.meta.glob<{ default: Cat }>('../../src/**/i18n.en.ts', { eager: true });
const pairs: [string, Cat, Cat | undefined][] = [
  ['src/i18n', viCore, enCore],
  ...Object.entries(areaVi).map(
    ([path, m]) =>
      [path, m.default, areaEn[path.replace('i18n.vi.ts', 'i18n.en.ts')]?.default] as [string, Cat, Cat | undefined],
  ),
];

describe('catalogues', () => {
  it('finds the portal catalogue besides the core one', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(2);
  });
  for (const [name, viCat, enCat] of pairs) {
    it(`${name}: English has exactly the Vietnamese keys and placeholders`, () => {
      expect(enCat, `${name} has no i18n.en.ts`).toBeDefined();
      expect(Object.keys(enCat!).sort()).toEqual(Object.keys(viCat).sort());
      for (const key of Object.keys(viCat)) {
        expect(placeholders(enCat![key]), key).toEqual(placeholders(viCat[key]));
        expect(viCat[key].trim(), key).not.toBe('');
        expect(enCat![key].trim(), key).not.toBe('');
      }
    });
  }
  it('writes Vietnamese with its diacritics', () => {
    expect(viCore['nav.lookup']).toBe('Tra cứu hồ sơ');
    expect(viCore['site.province']).toBe('Tỉnh Sông Trà');
  });
});

describe('t()', () => {
  afterEach(() => setLang('vi'));
  it('defaults to Vietnamese and switches to English', () => {
    expect(getLang()).toBe('vi');
    expect(t('nav.signin')).toBe('Đăng nhập');
    setLang('en');
    expect(t('nav.signin')).toBe('Sign in');
  });
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(t('timeLimit.working_days', { n: 5 })).toBe('5 ngày làm việc');
    expect(interpolate('{a} và {b}', { a: 'x' })).toBe('x và {b}');
  });
  it('shows the key for a missing message', () => {
    expect(t('no.such.key')).toBe('no.such.key');
  });
  it('falls back to Vietnamese when English lacks a registered key', () => {
    registerMessages({ vi: { 'test.only_vi': 'Chỉ tiếng Việt' }, en: {} });
    setLang('en');
    expect(t('test.only_vi')).toBe('Chỉ tiếng Việt');
  });
  it('notifies listeners on a change', () => {
    const seen: string[] = [];
    const off = onLangChange((l) => seen.push(l));
    setLang('en');
    setLang('en'); // no change, no call
    setLang('vi');
    off();
    setLang('en');
    expect(seen).toEqual(['en', 'vi']);
  });
  it('picks the English twin of an API field only in English', () => {
    expect(pick('Đăng ký khai sinh', 'Birth registration')).toBe('Đăng ký khai sinh');
    setLang('en');
    expect(pick('Đăng ký khai sinh', 'Birth registration')).toBe('Birth registration');
    expect(pick('Chỉ tiếng Việt', '')).toBe('Chỉ tiếng Việt');
  });
});

describe('registerMessages', () => {
  it('adds an area catalogue', () => {
    registerMessages({ vi: { 'area.hello': 'Xin chào {name}' }, en: { 'area.hello': 'Hello {name}' } });
    expect(t('area.hello', { name: 'An' })).toBe('Xin chào An');
    expect(catalogue('en')['area.hello']).toBe('Hello {name}');
  });
  it('accepts the same text twice but refuses a conflicting one', () => {
    registerMessages({ vi: { 'area.same': 'A' }, en: { 'area.same': 'A' } });
    expect(() => registerMessages({ vi: { 'area.same': 'A' }, en: { 'area.same': 'A' } })).not.toThrow();
    expect(() => registerMessages({ vi: { 'nav.signin': 'Vào' }, en: {} })).toThrow(/registered twice/);
  });
});

describe('language persistence', () => {
  it('reads and writes localStorage', async () => {
    const store: Record<string, string> = { 'motcua.lang': 'en' };
    vitest.stubGlobal('localStorage', {
      getItem: (k: string) => store[k] ?? null,
      setItem: (k: string, v: string) => {
        store[k] = v;
      },
    });
    vitest.resetModules();
    const fresh = await import('../../src/i18n');
    expect(fresh.getLang()).toBe('en');
    expect(fresh.t('nav.signin')).toBe('Sign in');
    fresh.setLang('vi');
    expect(store['motcua.lang']).toBe('vi');
    vitest.unstubAllGlobals();
  });
});
