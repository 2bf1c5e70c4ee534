// Public verification of signed documents (issue #6): the answer of POST /api/v1/verify (a PDF
// file) and GET /api/v1/verify/{code} (a verification code printed on a result and behind its QR
// code), and what the page says about it. No UI here: the functions below turn the answer into
// sentences so that they can be tested without a browser.
//
// What the server decides and the page only words: the verdict ("valid" when every signature is
// valid and nothing was appended after the last one), each signature's integrity, and the status
// of each signer's certificate at signing time (trusted, untrusted, expired, revoked before the
// signature, revoked after it — the last still a valid signature).
import { api, ApiError, describeError } from '../core/api';
import { formatDateTime } from '../core/format';
import { hasMessage, t } from '../i18n';

export type Verdict = 'valid' | 'invalid' | 'unsigned';
export type CertificateStatus = 'trusted' | 'untrusted' | 'expired' | 'revoked' | 'revoked_later';
export type SignatureKind = 'personal' | 'organisation' | 'unknown';

export interface Signer {
  name: string;
  position: string;
  organisation: string;
  unit: string;
  identifier: string;
  issuer: string;
}

export interface CertificateInfo {
  serial: string;
  not_before: string;
  not_after: string;
  fingerprint_sha256: string;
}

export interface SignatureReport {
  field: string;
  valid: boolean;
  intact: boolean;
  covered_bytes: number;
  kind: SignatureKind | string;
  certificate_status: CertificateStatus | string;
  signed_at?: string;
  signer?: Signer;
  certificate?: CertificateInfo;
  revoked_at?: string;
  revocation_reason?: string;
  certificate_problem?: string;
  problem?: string;
}

export interface RegisteredDocument {
  id: string;
  title: string;
  purpose: 'result' | 'document' | string;
  unit: string;
  verify_code: string;
  latest_revision: boolean;
}

export interface VerifyReport {
  verdict: Verdict | string;
  sha256: string;
  size: number;
  changed_after_last_signature: boolean;
  document?: RegisteredDocument;
  signatures: SignatureReport[];
}

/** The largest file the server verifies (20 MiB; 413 document.too_large beyond). */
export const MAX_VERIFY_BYTES = 20 * 1024 * 1024;
export const MAX_VERIFY_LABEL = '20 MB';

export interface Problem {
  key: string;
  params?: Record<string, string | number>;
}

/** A file chosen for verification: a PDF by name (and by declared type when the browser gives
 *  one), not empty, at most 20 MiB. Whether the bytes really are a PDF is the server's call
 *  (pdf.not_pdf, pdf.damaged, pdf.unsupported), with its precise message. */
export function checkPdfFile(f: { name: string; type: string; size: number }): Problem | null {
  const byName = /\.pdf$/i.test(f.name.trim());
  const declared = (f.type || '').toLowerCase().split(';')[0].trim();
  const byType = declared === '' || declared === 'application/pdf' || declared === 'application/x-pdf';
  if (!byName || !byType) return { key: 'verify.file.notPdf' };
  if (f.size === 0) return { key: 'verify.file.empty' };
  if (f.size > MAX_VERIFY_BYTES) return { key: 'verify.file.tooLarge', params: { max: MAX_VERIFY_LABEL } };
  return null;
}

/** The code as the server compares it: spaces and dashes dropped, upper case. */
export function normaliseCode(s: string): string {
  return s.replace(/[\s-]+/g, '').toUpperCase();
}

/** A verification code is 12 characters of RFC 4648 Base32 (A–Z, 2–7). */
export function checkCode(s: string): Problem | null {
  const c = normaliseCode(s);
  if (c === '') return { key: 'verify.code.required' };
  if (!/^[A-Z2-7]{12}$/.test(c)) return { key: 'verify.code.format' };
  return null;
}

export function verifyFile(file: Blob, signal?: AbortSignal): Promise<VerifyReport> {
  return api<VerifyReport>('/api/v1/verify', {
    method: 'POST',
    raw: { data: file, contentType: 'application/pdf' },
    signal,
  });
}

export function verifyCode(code: string, signal?: AbortSignal): Promise<VerifyReport> {
  return api<VerifyReport>(`/api/v1/verify/${encodeURIComponent(normaliseCode(code))}`, { signal });
}

/** Banner of the verdict: its tone, title and explanation. */
export function verdictMessage(v: string): { tone: 'ok' | 'bad' | 'warn'; title: string; body: string } {
  switch (v) {
    case 'valid':
      return { tone: 'ok', title: t('verify.verdict.valid'), body: t('verify.verdict.valid.body') };
    case 'unsigned':
      return { tone: 'warn', title: t('verify.verdict.unsigned'), body: t('verify.verdict.unsigned.body') };
    default:
      return { tone: 'bad', title: t('verify.verdict.invalid'), body: t('verify.verdict.invalid.body') };
  }
}

/** "Chữ ký số cá nhân", "Chữ ký số của cơ quan, tổ chức"… */
export function kindLabel(kind: string): string {
  return kind === 'personal' || kind === 'organisation' ? t(`verify.kind.${kind}`) : t('verify.kind.unknown');
}

/** Signing time, dd/mm/yyyy HH:mm in Vietnam time; "" when the signature carries none. */
export function signedAtText(s: SignatureReport): string {
  return formatDateTime(s.signed_at);
}

/** The certificate's status at signing time in words. */
export function certificateStatusText(s: SignatureReport): string {
  const revoked = formatDateTime(s.revoked_at);
  switch (s.certificate_status) {
    case 'trusted':
      return t('verify.cert.trusted');
    case 'revoked_later':
      return revoked ? t('verify.cert.revoked_later', { date: revoked }) : t('verify.cert.revoked_later.undated');
    case 'revoked':
      return revoked ? t('verify.cert.revoked', { date: revoked }) : t('verify.cert.revoked.undated');
    case 'expired':
      return t('verify.cert.expired');
    case 'untrusted':
      return t('verify.cert.untrusted');
    default:
      return t('verify.cert.unknown');
  }
}

/** Whether the certificate status is one that leaves the signature valid. */
export function certificateOk(status: string): boolean {
  return status === 'trusted' || status === 'revoked_later';
}

/** The integrity of the signed content in words. */
export function integrityText(s: SignatureReport): string {
  return s.intact ? t('verify.intact.yes') : t('verify.intact.no');
}

/** "Hợp lệ" / "Không hợp lệ" for one signature. */
export function signatureValidityText(s: SignatureReport): string {
  return s.valid ? t('verify.sig.valid') : t('verify.sig.invalid');
}

/** What a registered document is. */
export function purposeLabel(p: string): string {
  return p === 'result' || p === 'document' ? t(`verify.purpose.${p}`) : p;
}

/** The sentence for a failed verification: the not-found message names the code; otherwise the
 *  server's catalogue message, or ours for the codes this page knows when the server sent none. */
export function verifyErrorText(e: unknown, code?: string): string {
  if (e instanceof ApiError) {
    if (e.code === 'document.not_found' && code) return t('verify.error.notFound', { code: normaliseCode(code) });
    if (e.message) return e.message;
    if (e.status === 413 || e.code === 'document.too_large') {
      return t('verify.file.tooLarge', { max: MAX_VERIFY_LABEL });
    }
    const key = `verify.error.${e.code}`;
    if (hasMessage(key)) return t(key);
  }
  return describeError(e);
}
