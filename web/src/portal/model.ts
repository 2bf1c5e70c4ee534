// The shapes the portal reads from the API (docs/api.md, the contract of issue #5) and the calls
// that fetch them. The catalogue and the unit list change rarely: each is fetched once per page
// load and kept.
import { api, type UploadedFile } from '../core/api';
import type { TimeLimit } from '../core/format';
import type { Payment } from './payment-model';

export interface Fee {
  code: string;
  kind: string;
  name: string;
  name_en: string;
  amount: number;
  condition: string | null;
}

export interface ProcedureSummary {
  code: string;
  name: string;
  name_en: string;
  field: string;
  competent_level: 'commune' | 'province' | string;
  time_limit: TimeLimit;
  online_level: 'full' | 'partial' | 'none' | string;
  fees: Fee[];
}

export interface ProcedureComponent {
  code: string;
  name: string;
  name_en?: string;
  required: boolean;
  copies?: number;
  paper_type?: string;
  /** Document types of the citizen's data store that may stand for this component (issue #8). */
  accepts?: string[];
}

export interface ProcedureStep {
  code: string;
  name: string;
  name_en?: string;
  role: string;
  unit: string;
  share?: number;
}

export interface Procedure extends ProcedureSummary {
  competent?: { level: string; agency?: string };
  components: ProcedureComponent[];
  steps: ProcedureStep[];
  result?: { name: string; name_en?: string; paper?: boolean };
  legal_basis?: string[];
  exemptions?: string[];
  note?: string;
}

export interface Unit {
  code: string;
  name: string;
  name_en: string;
  level: 'province' | 'department' | 'pasc' | 'district' | 'commune' | string;
  parent: string | null;
}

export interface FileRef {
  id: string;
  name: string;
  content_type: string;
  size: number;
}

export interface DossierComponent {
  code: string;
  name: string;
  provided: boolean;
  digitised: boolean;
  reused_from: string;
  files?: FileRef[];
}

export interface Overdue {
  overdue: boolean;
  minutes: number;
  remaining: number;
  paused: boolean;
  display_vi: string;
  display_en: string;
}

export interface HistoryEvent {
  seq: number;
  type: string;
  at: string;
  at_vi: string;
  unit: string;
  actor: string;
  payload: Record<string, unknown>;
}

export interface Supplement {
  round: number;
  requested_at: string | null;
  requested_by: string;
  reason: string;
  items: string[];
  before_receipt: boolean;
  provided_at: string | null;
}

/** The signed electronic result of a dossier (issue #6), once issued: the leader's personal
 *  signature and the competent unit's organisation signature. */
export interface ResultDocument {
  id: string; // "<dossier code>-KQ1"
  verify_code: string;
  file: FileRef & { sha256?: string };
  /** Microseconds since the epoch as the dossier document stores it (an ISO string is taken too,
   *  should the API convert it like the other instants). */
  issued_at: number | string | null;
}

export interface Dossier {
  code: string;
  procedure_code: string;
  procedure_name: string;
  online_level: string;
  time_limit: TimeLimit;
  channel: string;
  applicant: {
    kind: string;
    id_kind: string;
    id_number: string;
    name: string;
    phone: string;
    email: string;
    address: string;
  };
  assisted_by: string;
  receiving_unit: string;
  competent_unit: string;
  current_unit: string;
  state: string;
  submitted_at: string | null;
  received_at: string | null;
  due_at: string | null;
  original_due_at: string | null;
  finished_at: string | null;
  returned_at: string | null;
  components: DossierComponent[];
  fees: { code: string; kind: string; amount: number }[];
  supplements: Supplement[];
  apology: { at: string; reason: string; old_due: string; new_due: string } | null;
  outcome_reason: string;
  return_channel: string;
  result_name: string;
  lookup_key?: string;
  rating?: { value: string; comment: string; at: string } | null;
  overdue: Overdue;
  history?: HistoryEvent[];
  result_document?: ResultDocument | null;
  /** Fees and their payment (issue #7); absent from servers before it. */
  payment?: Payment | null;
  version: number;
}

export interface DossierSummary {
  code: string;
  procedure_code: string;
  procedure_name: string;
  state: string;
  channel: string;
  applicant: { name: string; id_number: string };
  receiving_unit: string;
  submitted_at: string | null;
  due_at: string | null;
  finished_at: string | null;
  overdue: Overdue;
}

export interface DossierPage {
  items: DossierSummary[];
  limit: number;
  offset: number;
  next_offset: number | null;
}

export interface Draft {
  procedure_code: string;
  saved_at: string;
  form: DraftForm;
}

/** What the submission form keeps in a draft (PUT /api/v1/drafts/{code}). */
export interface DraftForm {
  applicant: {
    name: string;
    id_number: string;
    phone: string;
    email: string;
    address: string;
  };
  unit: string;
  fee_conditions: string[];
  /** holding: the id of a data-store holding reused instead of files (issue #8). */
  components: Record<string, { files: FileRef[]; reused: boolean; holding?: string }>;
}

export interface LookupResult {
  code: string;
  procedure_code: string;
  procedure_name: string;
  state: string;
  channel: string;
  applicant_name: string;
  receiving_unit: string;
  receiving_unit_name?: string;
  submitted_at: string | null;
  received_at: string | null;
  due_at: string | null;
  returned_at: string | null;
  overdue: boolean;
  timeline: { at: string; type: string }[];
}

export const REUSE_SOURCE = 'kho_du_lieu_cong_dan';

let proceduresCache: Promise<ProcedureSummary[]> | null = null;
export function getProcedures(): Promise<ProcedureSummary[]> {
  if (!proceduresCache) {
    proceduresCache = api<{ items: ProcedureSummary[] }>('/api/v1/procedures').then(
      (r) => r.items,
      (e) => {
        proceduresCache = null;
        throw e;
      },
    );
  }
  return proceduresCache;
}

export function getProcedure(code: string): Promise<Procedure> {
  return api<Procedure>(`/api/v1/procedures/${encodeURIComponent(code)}`);
}

let unitsCache: Promise<Unit[]> | null = null;
export function getUnits(): Promise<Unit[]> {
  if (!unitsCache) {
    unitsCache = api<{ items: Unit[] }>('/api/v1/units').then(
      (r) => r.items,
      (e) => {
        unitsCache = null;
        throw e;
      },
    );
  }
  return unitsCache;
}

export function getDossier(code: string, signal?: AbortSignal): Promise<Dossier> {
  return api<Dossier>(`/api/v1/dossiers/${encodeURIComponent(code)}`, { signal });
}

export function listDrafts(): Promise<Draft[]> {
  return api<{ items: Draft[] }>('/api/v1/drafts').then((r) => r.items);
}

export function saveDraft(code: string, form: DraftForm): Promise<{ saved_at: string }> {
  return api(`/api/v1/drafts/${encodeURIComponent(code)}`, { method: 'PUT', body: { form } });
}

export function deleteDraft(code: string): Promise<unknown> {
  return api(`/api/v1/drafts/${encodeURIComponent(code)}`, { method: 'DELETE' });
}

export function dossierAction(code: string, action: string, body: unknown): Promise<Dossier> {
  return api<Dossier>(`/api/v1/dossiers/${encodeURIComponent(code)}/${action}`, {
    method: 'POST',
    body,
  });
}

export function fileUrl(dossierCode: string, fileId: string): string {
  return `/api/v1/dossiers/${encodeURIComponent(dossierCode)}/files/${encodeURIComponent(fileId)}`;
}

/** The signed electronic result of a dossier (GET, for whoever may read the dossier). */
export function resultPdfUrl(dossierCode: string): string {
  return `/api/v1/dossiers/${encodeURIComponent(dossierCode)}/result.pdf`;
}

/** An instant given as microseconds since the epoch (or as an ISO string) → a Date, or null. */
export function instantFromMicros(v: number | string | null | undefined): Date | null {
  if (v === null || v === undefined || v === '') return null;
  const d = typeof v === 'number' ? new Date(Math.floor(v / 1000)) : new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function toFileRef(f: UploadedFile): FileRef {
  return { id: f.id, name: f.name, content_type: f.content_type, size: f.size };
}

/** Badge colour of a state. */
export function stateTone(state: string): 'ok' | 'warn' | 'bad' | 'info' | 'muted' {
  switch (state) {
    case 'returned':
    case 'result_ready':
      return 'ok';
    case 'supplement_requested':
      return 'warn';
    case 'refused':
    case 'cancelled':
      return 'bad';
    case 'withdrawn':
      return 'muted';
    default:
      return 'info';
  }
}
