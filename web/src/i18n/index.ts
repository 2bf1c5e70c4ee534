// Message catalogue of the web front end: t(key, params), the current language and its switch.
//
// Vietnamese is the default and the reference; English is second. Every visible string goes
// through t(). Placeholders are written {name} and filled from params (numbers are printed as
// given; format money and dates with core/format first).
//
// Adding messages from another area (the officer workspace, administration…):
//   1. Write two files side by side, e.g. src/officer/i18n.vi.ts and src/officer/i18n.en.ts, each
//      `export default { 'officer.queue.title': 'Hàng đợi', … } satisfies Messages;` with the SAME
//      keys (tests/unit/i18n.test.ts finds every src/**/i18n.vi.ts and checks that its .en.ts twin
//      has exactly the same keys and placeholders). Prefix keys with the area ("officer.",
//      "admin.") so they cannot clash with the core's.
//   2. In the area's entry module (the one loaded with import()), call
//        registerMessages({ vi, en });
//      before registering routes. A key registered twice with a different text throws, so two
//      areas cannot silently override each other.
// The language is kept in localStorage ('motcua.lang') and mirrored on <html lang>; components
// re-render on a change through useLang() (or onLangChange for non-Preact code).
import { useEffect, useState } from 'preact/hooks';
import vi from './vi';
import en from './en';

export type Lang = 'vi' | 'en';
export type Messages = Record<string, string>;
export type Params = Record<string, string | number>;

export const LANGS: readonly Lang[] = ['vi', 'en'];
const STORAGE_KEY = 'motcua.lang';

const catalogues: Record<Lang, Messages> = { vi: { ...vi }, en: { ...en } };
let current: Lang = readStoredLang();
const listeners = new Set<(lang: Lang) => void>();

function readStoredLang(): Lang {
  try {
    const v = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (v === 'vi' || v === 'en') return v;
  } catch {
    // Storage can be disabled (private mode); Vietnamese then.
  }
  return 'vi';
}

/** Adds an area's messages. Throws when a key already exists with a different text. */
export function registerMessages(sets: { vi: Messages; en: Messages }): void {
  for (const lang of LANGS) {
    const target = catalogues[lang];
    for (const [key, text] of Object.entries(sets[lang])) {
      if (key in target && target[key] !== text) {
        throw new Error(`i18n: message "${key}" (${lang}) registered twice with different text`);
      }
      target[key] = text;
    }
  }
}

/** The message for key in the current language (Vietnamese if English lacks it; the key itself
 *  if neither has it, so a missing message is visible rather than blank). */
export function t(key: string, params?: Params): string {
  const text = catalogues[current][key] ?? catalogues.vi[key];
  if (text === undefined) {
    if (import.meta.env?.DEV) console.warn(`i18n: missing message "${key}"`);
    return key;
  }
  return params ? interpolate(text, params) : text;
}

/** Whether a key exists (e.g. to show a state or event name only when it is catalogued). */
export function hasMessage(key: string): boolean {
  return key in catalogues.vi;
}

export function interpolate(text: string, params: Params): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

export function getLang(): Lang {
  return current;
}

export function setLang(lang: Lang): void {
  if (lang === current) return;
  current = lang;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, lang);
  } catch {
    // Not persisted; the choice still holds for this page.
  }
  applyLangToDocument();
  for (const fn of listeners) fn(lang);
}

export function applyLangToDocument(): void {
  if (typeof document !== 'undefined') document.documentElement.lang = current;
}

export function onLangChange(fn: (lang: Lang) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** The current language; the calling component re-renders when it changes. */
export function useLang(): Lang {
  const [lang, setState] = useState(current);
  useEffect(() => onLangChange(setState), []);
  return lang;
}

/** Value of a bilingual field pair from the API ("name" / "name_en"). */
export function pick(vi: string | undefined | null, en: string | undefined | null): string {
  if (current === 'en' && en) return en;
  return vi ?? en ?? '';
}

/** For tests: the catalogue of one language. */
export function catalogue(lang: Lang): Readonly<Messages> {
  return catalogues[lang];
}
