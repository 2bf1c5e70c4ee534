// OCR of a component scanned at the counter (số hoá thành phần hồ sơ, issue #8), as the officer
// confirms it: the shapes of GET /api/v1/files/{id}/ocr and POST /api/v1/files/{id}/fields, the
// polling of a pending recognition (every 1.5 s until done or failed, stopped on demand), the
// state of the confirmation form as a reducer (recognised values, low-confidence marks, edits,
// checks, saving), and what "Điền vào hồ sơ" copies into the intake form. No UI here.
import { api, ApiError, describeError } from '../core/api';
import { checkCitizenId } from '../core/validate';
import { isoToVn, parseVnDate } from './shared/staff';

export const OCR_FIELDS = ['id_number', 'full_name', 'date_of_birth'] as const;
export type OcrFieldName = (typeof OCR_FIELDS)[number];
export const OCR_KINDS = ['citizen_id_card', 'birth_certificate', 'unknown'] as const;

/** Below this a recognised value is marked for checking against the paper. */
export const LOW_CONFIDENCE = 0.8;
export const POLL_INTERVAL_MS = 1500;

export interface OcrField {
  value: string | null;
  confidence: number; // 0–1
}

export interface OcrConfirmed {
  kind: string;
  fields: Partial<Record<OcrFieldName, string>>;
  by: string; // "officer:<login>"
  at: string; // ISO
}

export interface OcrResult {
  file: string;
  state: 'pending' | 'done' | 'failed';
  error: { code: string; message: string } | null;
  kind: string;
  mean_confidence: number;
  pages: { page: number; text: string; confidence: number }[];
  fields: Partial<Record<OcrFieldName, OcrField>>;
  confirmed: OcrConfirmed | null;
}

export type OcrValues = Record<OcrFieldName, string>;

export function ocrUrl(fileId: string): string {
  return `/api/v1/files/${encodeURIComponent(fileId)}/ocr`;
}

export function getOcr(fileId: string, signal?: AbortSignal): Promise<OcrResult> {
  return api<OcrResult>(ocrUrl(fileId), { signal });
}

export function confirmOcr(fileId: string, body: ConfirmBody): Promise<OcrResult> {
  return api<OcrResult>(`/api/v1/files/${encodeURIComponent(fileId)}/fields`, { method: 'POST', body });
}

/** A confidence as a whole percentage, whether given as 0–1 (fields) or 0–100 (tesseract's
 *  page confidence). */
export function percent(confidence: number): number {
  if (!Number.isFinite(confidence) || confidence <= 0) return 0;
  return Math.round(confidence <= 1 ? confidence * 100 : Math.min(confidence, 100));
}

/** A date as the form shows it, dd/mm/yyyy: an ISO yyyy-mm-dd (what the extractor gives) is
 *  turned round, d/m/yyyy is padded; anything else is left as it is for the officer to fix. */
export function toVnDate(v: string | null | undefined): string {
  const s = (v ?? '').trim();
  if (!s) return '';
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return isoToVn(s);
  const iso = parseVnDate(s);
  return iso ? isoToVn(iso) : s;
}

// ---- Polling --------------------------------------------------------------------------------

export interface PollHandlers {
  onResult: (r: OcrResult) => void;
  /** No recognition for this file (404: not a scan the server reads, or a server without OCR). */
  onNotFound: () => void;
  /** Given up after maxErrors failures in a row; message for people. */
  onError: (message: string) => void;
}

/** Asks for the file's OCR now and again every intervalMs while it is pending. Returns stop(),
 *  after which no handler is called (the request in flight is aborted). */
export function startOcrPolling(
  fileId: string,
  h: PollHandlers,
  opts: { intervalMs?: number; maxErrors?: number; get?: typeof getOcr } = {},
): () => void {
  const interval = opts.intervalMs ?? POLL_INTERVAL_MS;
  const maxErrors = opts.maxErrors ?? 3;
  const get = opts.get ?? getOcr;
  const ctl = new AbortController();
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let errors = 0;

  const schedule = () => {
    if (!stopped) timer = setTimeout(tick, interval);
  };
  async function tick() {
    timer = undefined;
    try {
      const r = await get(fileId, ctl.signal);
      if (stopped) return;
      errors = 0;
      h.onResult(r);
      if (r.state === 'pending') schedule();
    } catch (e) {
      if (stopped) return;
      if (e instanceof ApiError && e.status === 404) {
        h.onNotFound();
        return;
      }
      errors++;
      if (errors < maxErrors) schedule();
      else h.onError(describeError(e));
    }
  }
  void tick();
  return () => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
    ctl.abort();
  };
}

// ---- The confirmation form --------------------------------------------------------------------

export interface OcrView {
  phase: 'pending' | 'done' | 'failed' | 'unavailable' | 'error';
  result: OcrResult | null;
  kind: string;
  values: OcrValues;
  /** Values to check against the paper: low confidence or not found (until confirmed). */
  low: Record<OcrFieldName, boolean>;
  /** Message keys of values that cannot be sent as typed. */
  problems: Partial<Record<OcrFieldName, string>>;
  saving: boolean;
  /** A failure as people read it: the recognition's, polling's or the confirmation's. */
  error: string | null;
}

export type OcrAction =
  | { type: 'result'; result: OcrResult }
  | { type: 'notFound' }
  | { type: 'pollError'; message: string }
  | { type: 'retry' }
  | { type: 'edit'; field: OcrFieldName; value: string }
  | { type: 'kind'; kind: string }
  | { type: 'invalid'; problems: Partial<Record<OcrFieldName, string>> }
  | { type: 'saving' }
  | { type: 'saved'; result: OcrResult }
  | { type: 'saveFailed'; message: string };

const emptyValues = (): OcrValues => ({ id_number: '', full_name: '', date_of_birth: '' });
const noLow = (): Record<OcrFieldName, boolean> => ({ id_number: false, full_name: false, date_of_birth: false });

export const initialOcrView: OcrView = {
  phase: 'pending',
  result: null,
  kind: 'unknown',
  values: emptyValues(),
  low: noLow(),
  problems: {},
  saving: false,
  error: null,
};

/** The form's values from a result: the confirmed ones when there are, else the recognised. */
export function valuesOf(r: OcrResult): { kind: string; values: OcrValues; low: Record<OcrFieldName, boolean> } {
  const values = emptyValues();
  const low = noLow();
  if (r.confirmed) {
    for (const f of OCR_FIELDS) values[f] = r.confirmed.fields[f] ?? '';
    values.date_of_birth = toVnDate(values.date_of_birth);
    return { kind: r.confirmed.kind || r.kind || 'unknown', values, low };
  }
  for (const f of OCR_FIELDS) {
    const field = r.fields?.[f];
    const v = field?.value ?? '';
    values[f] = f === 'date_of_birth' ? toVnDate(v) : v;
    low[f] = !v || !(typeof field?.confidence === 'number' && field.confidence >= LOW_CONFIDENCE);
  }
  return { kind: r.kind || 'unknown', values, low };
}

export function ocrReducer(s: OcrView, a: OcrAction): OcrView {
  switch (a.type) {
    case 'result': {
      const r = a.result;
      if (r.state === 'pending') return { ...s, phase: 'pending', result: r, error: null };
      if (r.state === 'failed') return { ...s, phase: 'failed', result: r, error: r.error?.message ?? null };
      // Done: fill the form once; a later answer must not throw away the officer's edits.
      if (s.phase === 'done') return { ...s, result: r };
      return { ...s, phase: 'done', result: r, ...valuesOf(r), problems: {}, error: null };
    }
    case 'notFound':
      return { ...s, phase: 'unavailable' };
    case 'pollError':
      return { ...s, phase: 'error', error: a.message };
    case 'retry':
      return { ...s, phase: 'pending', error: null };
    case 'edit': {
      const problems = { ...s.problems };
      delete problems[a.field];
      return { ...s, values: { ...s.values, [a.field]: a.value }, problems, error: null };
    }
    case 'kind':
      return { ...s, kind: a.kind };
    case 'invalid':
      return { ...s, problems: a.problems };
    case 'saving':
      return { ...s, saving: true, error: null };
    case 'saved': {
      const v = valuesOf(a.result);
      return { ...s, saving: false, result: a.result, kind: v.kind, values: v.values, low: v.low, problems: {}, error: null };
    }
    case 'saveFailed':
      return { ...s, saving: false, error: a.message };
  }
}

/** Whether the form shows what was confirmed (nothing edited since). */
export function isConfirmedAsShown(s: OcrView): boolean {
  const c = s.result?.confirmed;
  if (!c) return false;
  if ((c.kind || 'unknown') !== s.kind) return false;
  return OCR_FIELDS.every((f) => normaliseField(f, c.fields[f] ?? '') === normaliseField(f, s.values[f]));
}

function normaliseField(f: OcrFieldName, v: string): string {
  const s = v.trim();
  if (f === 'id_number') return s.replace(/\s/g, '');
  if (f === 'full_name') return s.replace(/\s+/g, ' ');
  return toVnDate(s);
}

/** Checks before sending: an ID number of 12 digits, a real date dd/mm/yyyy (empty is allowed:
 *  not every paper has every field). Message keys by field. */
export function checkOcrValues(v: OcrValues): Partial<Record<OcrFieldName, string>> {
  const out: Partial<Record<OcrFieldName, string>> = {};
  const id = v.id_number.replace(/\s/g, '');
  if (id) {
    const p = checkCitizenId(id);
    if (p) out.id_number = p.key;
  }
  if (v.date_of_birth.trim() && !parseVnDate(v.date_of_birth)) out.date_of_birth = 'officer.ocr.badDate';
  return out;
}

export interface ConfirmBody {
  kind: string;
  fields: Partial<Record<OcrFieldName, string>>;
}

/** The body of POST /api/v1/files/{id}/fields: values tidied (ID without spaces, name's runs of
 *  space as one, date dd/mm/yyyy zero-padded); empty values are left out. */
export function confirmBody(kind: string, v: OcrValues): ConfirmBody {
  const fields: Partial<Record<OcrFieldName, string>> = {};
  for (const f of OCR_FIELDS) {
    const s = normaliseField(f, v[f]);
    if (s) fields[f] = s;
  }
  return { kind, fields };
}

// ---- "Điền vào hồ sơ" ---------------------------------------------------------------------------

/** "NGUYỄN VĂN AN" → "Nguyễn Văn An"; a name not all in capitals is kept as written. */
export function nameCase(name: string): string {
  const s = name.trim().replace(/\s+/g, ' ');
  if (s !== s.toLocaleUpperCase('vi')) return s;
  return s
    .toLocaleLowerCase('vi')
    .split(' ')
    .map((w) => (w ? w[0].toLocaleUpperCase('vi') + w.slice(1) : w))
    .join(' ');
}

export interface ApplicantFields {
  idKind: string;
  idNumber: string;
  name: string;
}

/** What the confirmed values add to the intake form's applicant: only fields still empty.
 *  The ID number of a card or certificate is a CCCD (số định danh cá nhân). The intake form and
 *  the dossier's applicant have no date of birth, so it stays with the file's confirmation. */
export function fillApplicant(cur: ApplicantFields, confirmed: OcrConfirmed | null): Partial<ApplicantFields> {
  if (!confirmed) return {};
  const out: Partial<ApplicantFields> = {};
  const id = (confirmed.fields.id_number ?? '').replace(/\s/g, '');
  if (id && !cur.idNumber.trim()) {
    out.idNumber = id;
    out.idKind = 'cccd';
  }
  const name = confirmed.fields.full_name ?? '';
  if (name.trim() && !cur.name.trim()) out.name = nameCase(name);
  return out;
}
