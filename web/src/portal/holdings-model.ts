// The citizen's data store (kho dữ liệu điện tử của công dân, issue #8): the electronic results
// and digitised components kept for a person, and their reuse in a new dossier. Shapes and calls
// of GET /api/v1/me/holdings (the signed-in citizen), GET /api/v1/holdings?applicant= (an officer
// at the counter), the download address, which holdings a procedure component accepts, and what
// the submission sends for a reused component ({"code", "reused_from": "<holding id>"}, no files).
// Pure functions apart from the calls; no UI.
import { api } from '../core/api';
import { formatDate } from '../core/format';
import { t } from '../i18n';
import type { FileRef, ProcedureComponent } from './model';

export interface Holding {
  id: string; // "r-HG-260312-0001"
  doc_type: string; // "giay_khai_sinh"
  title: string;
  /** "result": the electronic result of a dossier; "component": a component digitised at reception. */
  source: 'result' | 'component' | string;
  dossier: string;
  component: string | null;
  issuing_unit: string;
  issuing_unit_name: string;
  issued_at: string; // ISO-8601 UTC
  valid_until: string | null; // "YYYY-MM-DD", null: no end
  file: FileRef;
  fields?: Record<string, unknown>;
}


/** The prefix the server writes in a dossier's component record: "holding:<id>". */
export const HOLDING_PREFIX = 'holding:';

export function listMyHoldings(signal?: AbortSignal): Promise<Holding[]> {
  return api<{ items: Holding[] }>('/api/v1/me/holdings', { signal }).then((r) => r.items ?? []);
}

/** The holdings of an applicant, for a one-stop officer (12-digit personal ID number). */
export function listApplicantHoldings(idNumber: string, signal?: AbortSignal): Promise<Holding[]> {
  return api<{ items: Holding[] }>('/api/v1/holdings', {
    query: { applicant: idNumber.replace(/\s/g, '') },
    signal,
  }).then((r) => r.items ?? []);
}

export function holdingFileUrl(id: string): string {
  return `/api/v1/me/holdings/${encodeURIComponent(id)}/file`;
}

/** Today in Vietnam time as yyyy-mm-dd (the day a validity ends is still valid). */
export function vietnamToday(now: Date = new Date()): string {
  const local = new Date(now.getTime() + 7 * 3600 * 1000);
  return local.toISOString().slice(0, 10);
}

export function isExpired(h: Pick<Holding, 'valid_until'>, today: string = vietnamToday()): boolean {
  return !!h.valid_until && h.valid_until < today;
}

/** Holdings that may stand for the component: their doc_type is in its `accepts` and they
 *  have not expired. Newest first. A component without `accepts` takes none. */
export function matchingHoldings(
  c: Pick<ProcedureComponent, 'accepts'>,
  holdings: readonly Holding[],
  today: string = vietnamToday(),
): Holding[] {
  const accepts = Array.isArray(c.accepts) ? c.accepts : [];
  if (accepts.length === 0) return [];
  return holdings
    .filter((h) => accepts.includes(h.doc_type) && !isExpired(h, today))
    .sort((a, b) => (a.issued_at < b.issued_at ? 1 : a.issued_at > b.issued_at ? -1 : 0));
}

/** The component element of a submission: a chosen holding wins over uploads (the reused
 *  document replaces them: the server refuses a component with both, holding.with_files);
 *  otherwise the files; null when neither. (The older free-form "reused" flag of drafts is not
 *  sent: the server takes only a holding id in reused_from.) */
export function componentElement(
  code: string,
  v: { files: { id: string }[]; holding?: string },
): { code: string; files?: string[]; reused_from?: string } | null {
  if (v.holding) return { code, reused_from: v.holding };
  if (v.files.length === 0) return null;
  return { code, files: v.files.map((x) => x.id) };
}

/** The holding id of a dossier component's reused_from ("holding:<id>"), or null. */
export function reusedHoldingId(reusedFrom: string | null | undefined): string | null {
  if (!reusedFrom || !reusedFrom.startsWith(HOLDING_PREFIX)) return null;
  const id = reusedFrom.slice(HOLDING_PREFIX.length);
  return id || null;
}

export function sourceText(source: string): string {
  return source === 'result' || source === 'component' ? t(`holdings.source.${source}`) : source;
}

export function validityText(h: Pick<Holding, 'valid_until'>, today: string = vietnamToday()): string {
  if (!h.valid_until) return t('holdings.validity.none');
  const date = formatDate(h.valid_until);
  return isExpired(h, today) ? t('holdings.validity.expired', { date }) : t('holdings.validity.until', { date });
}

/** "Giấy khai sinh — UBND xã …, 12/03/2026": a holding as one line in a choice list. */
export function holdingLabel(h: Holding): string {
  return t('holdings.option', {
    title: h.title,
    unit: h.issuing_unit_name || h.issuing_unit,
    date: formatDate(h.issued_at),
    dossier: h.dossier,
  });
}

/** What the dossier page says for a component reused from the data store. */
export function reuseText(reusedFrom: string, holdings: readonly Holding[] | undefined): string | null {
  const id = reusedHoldingId(reusedFrom);
  if (!id) return null;
  const h = holdings?.find((x) => x.id === id);
  return h
    ? t('holdings.reusedFrom', { title: h.title, dossier: h.dossier })
    : t('holdings.reusedFrom.unknown', { id });
}
