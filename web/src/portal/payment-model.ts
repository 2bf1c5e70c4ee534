// Fees and their online payment (issue #7, docs/design/0002-payments.md): the `payment` part of
// the dossier document, the VietQR answer, the calls, and what the pages say and offer for each
// payment state. No UI here (Payment.tsx renders it), so that the wording and the choice of
// actions can be tested without a browser. The server decides every payment; the pages only
// leave out what the state makes impossible.
import { api } from '../core/api';
import { hasMessage, pick, t } from '../i18n';
import { instantFromMicros } from './model';

export type PaymentState = 'not_required' | 'due' | 'paid' | 'refunded' | 'waived';
export type PaymentChannel = 'gateway' | 'bank_transfer' | 'counter_cash';

export interface PaymentLine {
  code: string;
  kind: 'fee' | 'charge' | string;
  name: string;
  name_en: string;
  amount: number;
  unit_amount?: number;
  quantity?: number;
}

export interface PaymentEntry {
  channel: PaymentChannel | string;
  amount: number;
  transaction_no: string;
  provider: string;
  /** Microseconds since the epoch, or an ISO string. */
  paid_at: number | string | null;
  online: boolean;
  /** The receipt's serial, on servers that put it on the payment. */
  receipt_serial?: string;
}

export interface Payment {
  state: PaymentState | string;
  stage: 'receipt' | 'return' | string;
  amount_due: number;
  lines: PaymentLine[];
  reference: string;
  exemption: string;
  payments: PaymentEntry[];
  receipt?: { serial: string; verify_code: string } | null;
}

export interface VietQr {
  payload: string;
  svg: string;
  amount: number;
  reference: string;
  bank: { bin: string; account: string; account_name: string };
}

/** Whether the dossier page shows the fees panel at all. */
export function showPaymentPanel(p: Payment | null | undefined): p is Payment {
  return !!p && p.state !== 'not_required';
}

/** "Chưa thanh toán", "Đã thanh toán"… (the state code itself when unknown). */
export function paymentStateText(state: string): string {
  return hasMessage(`pay.state.${state}`) ? t(`pay.state.${state}`) : state;
}

/** Badge colour of a payment state. */
export function paymentStateTone(state: string): 'ok' | 'warn' | 'muted' | 'info' {
  switch (state) {
    case 'paid':
      return 'ok';
    case 'due':
      return 'warn';
    case 'refunded':
    case 'waived':
      return 'muted';
    default:
      return 'info';
  }
}

/** "cổng thanh toán", "chuyển khoản", "tiền mặt tại quầy". */
export function channelText(channel: string): string {
  return hasMessage(`pay.channel.${channel}`) ? t(`pay.channel.${channel}`) : channel;
}

/** The name of a fee line in the current language. */
export function lineName(l: PaymentLine): string {
  return pick(l.name, l.name_en) || l.code;
}

/** The total of the fee lines (integer VND). */
export function paymentTotal(p: Pick<Payment, 'lines'>): number {
  return (p.lines ?? []).reduce((s, l) => s + (Number.isFinite(l.amount) ? l.amount : 0), 0);
}

/** An exemption code of the catalogue in words (the code when the catalogue has no words). */
export function exemptionText(code: string): string {
  return hasMessage(`pay.exemption.${code}`) ? t(`pay.exemption.${code}`) : code;
}

export function paidAt(e: PaymentEntry): Date | null {
  return instantFromMicros(e.paid_at);
}

export type CitizenPaymentAction = 'gateway' | 'vietqr' | 'receipt';
export type OfficerPaymentAction = 'cash' | 'waive' | 'refund';

/** What the applicant is offered: pay (gateway, VietQR) while due; the receipt once paid. */
export function citizenPaymentActions(p: Payment | null | undefined): CitizenPaymentAction[] {
  if (!showPaymentPanel(p)) return [];
  if (p.state === 'due') return p.amount_due > 0 ? ['gateway', 'vietqr'] : [];
  return hasReceipt(p) ? ['receipt'] : [];
}

/** The serial of the electronic receipt: `receipt.serial`, else the last payment's. */
export function receiptSerial(p: Payment): string {
  if (p.receipt?.serial) return p.receipt.serial;
  for (let i = (p.payments ?? []).length - 1; i >= 0; i--) {
    if (p.payments[i].receipt_serial) return p.payments[i].receipt_serial!;
  }
  return '';
}

/** Whether there is an electronic receipt to download: once paid (also after a refund, when
 *  one was issued). */
export function hasReceipt(p: Payment | null | undefined): boolean {
  return !!p && (p.state === 'paid' || !!p.receipt);
}

/** The gateway's page must be an http(s) address (never javascript: or data:). */
export function isSafeGatewayUrl(url: unknown): url is string {
  if (typeof url !== 'string') return false;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

/** Roles that may take each officer payment action (rows "payment.*" of src/domain/access.cpp). */
export const PAYMENT_ACTION_ROLES: Record<OfficerPaymentAction, string[]> = {
  cash: ['one_stop_officer'],
  waive: ['one_stop_officer', 'leader'],
  refund: ['one_stop_officer', 'leader'],
};

/** What an officer is offered: cash at the counter or a waiver while due; a refund once paid.
 *  Closed dossiers (refused, withdrawn, cancelled) take no new money. With `roles`, only the
 *  actions one of them may take. */
export function officerPaymentActions(
  p: Payment | null | undefined,
  dossierState = '',
  roles?: readonly string[],
): OfficerPaymentAction[] {
  if (!showPaymentPanel(p)) return [];
  let out: OfficerPaymentAction[] = [];
  if (p.state === 'due') {
    if (['refused', 'withdrawn', 'cancelled'].includes(dossierState)) return [];
    out = p.amount_due > 0 ? ['cash', 'waive'] : ['waive'];
  } else if (p.state === 'paid') {
    out = ['refund'];
  }
  return roles ? out.filter((a) => PAYMENT_ACTION_ROLES[a].some((r) => roles.includes(r))) : out;
}

/** The result of a return from the gateway, from the route's query (`thanh-toan=ok|loi`). */
export function gatewayOutcome(query: Record<string, string>): 'ok' | 'failed' | null {
  const v = query['thanh-toan'];
  if (v === 'ok') return 'ok';
  if (v === 'loi') return 'failed';
  return null;
}

/** The SVG text of the server as a data: URL for an <img> (never markup in the page). */
export function svgDataUrl(svg: string): string {
  const bytes = new TextEncoder().encode(svg);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return `data:image/svg+xml;base64,${btoa(bin)}`;
}

const base = (code: string) => `/api/v1/dossiers/${encodeURIComponent(code)}/payments`;

export function receiptPdfUrl(code: string): string {
  return `${base(code)}/receipt.pdf`;
}

export function startGatewayPayment(code: string): Promise<{ url: string }> {
  return api<{ url: string }>(`${base(code)}/gateway`, { method: 'POST', body: {} });
}

export function getVietQr(code: string, signal?: AbortSignal): Promise<VietQr> {
  return api<VietQr>(`${base(code)}/vietqr`, { signal });
}

export function payCash(code: string, amount: number): Promise<unknown> {
  return api(`${base(code)}/cash`, { method: 'POST', body: { amount } });
}

export function waiveFees(code: string, exemption: string, reason: string): Promise<unknown> {
  return api(`${base(code)}/waive`, { method: 'POST', body: { exemption, reason } });
}

export function refundPayment(code: string, reason: string): Promise<unknown> {
  return api(`${base(code)}/refund`, { method: 'POST', body: { reason } });
}
