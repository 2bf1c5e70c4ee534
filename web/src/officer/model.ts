// What the officer workspace reads from the API beyond the portal's shapes (portal/model.ts):
// the processing parts of the dossier document (steps, consultations, transfers), the work
// queues (GET /api/v1/dossiers?queue=…) and which actions a signed-in officer is offered.
// The server decides every action (permission table + domain rules); the page only leaves out
// buttons that would certainly be refused, so the officer is not offered what they cannot do.
import { api } from '../core/api';
import { ROLE, type Session } from '../core/session';
import type { Dossier as PortalDossier, DossierSummary } from '../portal/model';

export type { DossierSummary } from '../portal/model';

export interface Step {
  code: string;
  name: string;
  role: string;
  unit_kind: 'receiving' | 'competent' | string;
  budget_minutes: number;
  started_at: string | null;
  due_at: string | null;
  completed_at: string | null;
  completed_by: string;
  unit: string;
  late_minutes: number;
}

export interface Consultation {
  unit: string;
  question: string;
  answer: string;
  requested_at: string | null;
  answered_at: string | null;
}

export interface Transfer {
  from_unit: string;
  to_unit: string;
  competent: boolean;
  reason: string;
  at: string | null;
}

export interface OfficerDossier extends PortalDossier {
  status_code: number;
  steps: Step[];
  current_step: number;
  consultations: Consultation[];
  transfers: Transfer[];
  budget_minutes: number;
  received_at_vi?: string | null;
  due_at_vi?: string | null;
  apology: {
    at: string;
    reason: string;
    old_due: string;
    new_due: string;
    notice_in_time?: boolean;
  } | null;
}

export interface QueueSummary extends DossierSummary {
  received_at: string | null;
  current_unit: string;
  competent_unit: string;
}

export interface QueuePage {
  items: QueueSummary[];
  limit: number;
  offset: number;
  next_offset: number | null;
  total?: number;
}

/** The work queues of the contract (§5) and the unfiltered list. */
export const QUEUES = ['new', 'due_soon', 'overdue', 'supplement', 'all'] as const;
export type Queue = (typeof QUEUES)[number];

export function isQueue(s: string | undefined): s is Queue {
  return !!s && (QUEUES as readonly string[]).includes(s);
}

export const PAGE_SIZE = 25;

export function listQueue(
  queue: Queue,
  opts: { code?: string; offset?: number; limit?: number; total?: boolean },
  signal?: AbortSignal,
): Promise<QueuePage> {
  return api<QueuePage>('/api/v1/dossiers', {
    query: {
      queue: queue === 'all' ? undefined : queue,
      code: opts.code || undefined,
      limit: opts.limit ?? PAGE_SIZE,
      offset: opts.offset || undefined,
      total: opts.total ? 'true' : undefined,
    },
    signal,
  });
}

export function getOfficerDossier(code: string, signal?: AbortSignal): Promise<OfficerDossier> {
  return api<OfficerDossier>(`/api/v1/dossiers/${encodeURIComponent(code)}`, { signal });
}

export function act(code: string, action: ActionKey, body?: unknown): Promise<OfficerDossier> {
  return api<OfficerDossier>(`/api/v1/dossiers/${encodeURIComponent(code)}/${action}`, {
    method: 'POST',
    body: body ?? {},
  });
}

export type ActionKey =
  | 'receive'
  | 'refuse'
  | 'supplement-request'
  | 'supplement'
  | 'complete-step'
  | 'transfer'
  | 'consultations'
  | 'consultation-answer'
  | 'apology'
  | 'return'
  | 'cancel';

/** Roles that may take each action (rows of src/domain/access.cpp). */
const ACTION_ROLES: Record<ActionKey, string[]> = {
  receive: [ROLE.oneStopOfficer],
  refuse: [ROLE.oneStopOfficer],
  'supplement-request': [ROLE.oneStopOfficer, ROLE.specialist, ROLE.leader],
  supplement: [ROLE.oneStopOfficer],
  'complete-step': [ROLE.oneStopOfficer, ROLE.specialist, ROLE.leader, ROLE.clerk],
  transfer: [ROLE.oneStopOfficer, ROLE.specialist, ROLE.leader],
  consultations: [ROLE.specialist, ROLE.leader],
  'consultation-answer': [ROLE.specialist, ROLE.leader],
  apology: [ROLE.leader],
  return: [ROLE.oneStopOfficer],
  cancel: [ROLE.leader],
};

export const ACTION_ORDER: ActionKey[] = [
  'receive',
  'complete-step',
  'return',
  'supplement-request',
  'supplement',
  'consultation-answer',
  'consultations',
  'transfer',
  'apology',
  'refuse',
  'cancel',
];

const OPEN = (s: string) => s === 'received' || s === 'in_processing';

/** Whether the dossier's state allows the action (src/domain/dossier.cpp). */
export function stateAllows(a: ActionKey, d: OfficerDossier): boolean {
  switch (a) {
    case 'receive':
    case 'refuse':
      return d.state === 'submitted';
    case 'supplement-request':
      return d.state === 'submitted' || OPEN(d.state);
    case 'supplement':
      return d.state === 'supplement_requested';
    case 'complete-step':
      return OPEN(d.state) && d.current_step >= 0 && d.current_step < d.steps.length;
    case 'transfer':
      return !['refused', 'withdrawn', 'cancelled', 'returned'].includes(d.state);
    case 'consultations':
      return OPEN(d.state);
    case 'consultation-answer':
      return !['refused', 'withdrawn', 'cancelled', 'returned'].includes(d.state);
    case 'apology':
      return OPEN(d.state) && !d.apology && !!d.due_at;
    case 'return':
      return d.state === 'result_ready';
    case 'cancel':
      return OPEN(d.state) || d.state === 'supplement_requested';
  }
  return false;
}

export function openConsultationFor(d: OfficerDossier, unit: string): Consultation | undefined {
  return (d.consultations ?? []).find((c) => c.unit === unit && !c.answered_at);
}

/** The actions to offer the signed-in officer, in display order. */
export function offeredActions(d: OfficerDossier, s: Session | null): ActionKey[] {
  if (!s) return [];
  const roles = s.account.roles;
  const unit = s.account.unit;
  return ACTION_ORDER.filter((a) => {
    if (!ACTION_ROLES[a].some((r) => roles.includes(r))) return false;
    if (!stateAllows(a, d)) return false;
    if (a === 'consultation-answer') return !!openConsultationFor(d, unit);
    // Every other officer action is the holding unit's.
    if (d.current_unit !== unit) return false;
    if (a === 'complete-step') return roles.includes(d.steps[d.current_step].role);
    return true;
  });
}

/** The step being worked on, if any. */
export function currentStep(d: OfficerDossier): Step | undefined {
  return d.current_step >= 0 ? d.steps[d.current_step] : undefined;
}

/** "officer:u99501-motcua" → "u99501-motcua"; "citizen:05********23" → the masked number. */
export function actorName(actor: string): string {
  const i = actor.indexOf(':');
  return i >= 0 ? actor.slice(i + 1) : actor;
}

/** Today in Vietnam as yyyy-mm-dd. */
export function todayInVietnam(now = Date.now()): string {
  return new Date(now + 7 * 3600 * 1000).toISOString().slice(0, 10);
}
