// Checks made in the browser before anything is sent, mirroring the server's rules so that a
// person learns of a mistake at once (the server checks again; it is the authority):
//   - component files: PDF, JPEG or PNG by extension AND by declared type, not empty, ≤ 10 MiB
//     (POST /api/v1/files), and the first bytes must be the type's signature;
//   - Vietnamese mobile numbers; 12-digit citizen ID (CCCD) numbers with a known province code
//     (src/domain/identity.cpp); required fields; password length (10–128, docs/api.md).
// Each check returns null when the value is fine, or {key, params} for t().

export interface Problem {
  key: string;
  params?: Record<string, string | number>;
}

export const MAX_FILE_BYTES = 10 * 1024 * 1024;

const TYPE_BY_EXTENSION: Record<string, string> = {
  pdf: 'application/pdf',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
};

export const ACCEPT_ATTRIBUTE = '.pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png';

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot >= 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** The content type to upload with, or null when the extension is not allowed. */
export function contentTypeFor(name: string): string | null {
  return TYPE_BY_EXTENSION[extensionOf(name)] ?? null;
}

export interface FileLike {
  name: string;
  type: string;
  size: number;
}

/** Type (extension and MIME must agree on an allowed type), emptiness and size. */
export function checkFile(f: FileLike): Problem | null {
  const expected = contentTypeFor(f.name);
  const declared = (f.type || '').toLowerCase().split(';')[0].trim();
  // Some systems report JPEG as image/pjpeg; accept it as JPEG.
  const normalised = declared === 'image/pjpeg' ? 'image/jpeg' : declared;
  if (!expected || normalised !== expected) return { key: 'file.bad_type' };
  if (f.size === 0) return { key: 'file.empty' };
  if (f.size > MAX_FILE_BYTES) return { key: 'file.too_large', params: { max: '10 MB' } };
  return null;
}

/** Checks the first bytes against the type's signature (%PDF-, FF D8 FF, 89 50 4E 47). */
export function checkSignature(contentType: string, head: Uint8Array): Problem | null {
  const starts = (...b: number[]) => b.every((x, i) => head[i] === x);
  const ok =
    (contentType === 'application/pdf' && starts(0x25, 0x50, 0x44, 0x46, 0x2d)) ||
    (contentType === 'image/jpeg' && starts(0xff, 0xd8, 0xff)) ||
    (contentType === 'image/png' && starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a));
  return ok ? null : { key: 'file.bad_content' };
}

/** checkFile, then the signature of the first bytes. */
export async function checkFileFully(f: File): Promise<Problem | null> {
  const p = checkFile(f);
  if (p) return p;
  const head = new Uint8Array(await f.slice(0, 8).arrayBuffer());
  return checkSignature(contentTypeFor(f.name)!, head);
}

/** Spaces, dots and dashes removed; +84/84 written as 0. */
export function normalisePhone(s: string): string {
  let p = s.replace(/[\s.\-()]/g, '');
  if (p.startsWith('+84')) p = '0' + p.slice(3);
  else if (p.startsWith('84') && p.length === 11) p = '0' + p.slice(2);
  return p;
}

/** Vietnamese mobile number: 0 + 3|5|7|8|9 + 8 digits (after normalisePhone). */
export function checkPhone(s: string): Problem | null {
  return /^0[35789]\d{8}$/.test(normalisePhone(s)) ? null : { key: 'validate.phone' };
}

const CCCD_PROVINCES = new Set([
  1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35, 36, 37,
  38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72, 74, 75, 77,
  79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96,
]);

/** 12 digits whose first three are a province code (spaces ignored). */
export function checkCitizenId(s: string): Problem | null {
  const n = s.replace(/\s/g, '');
  if (!/^\d{12}$/.test(n)) return { key: 'validate.citizen_id' };
  if (!CCCD_PROVINCES.has(Number(n.slice(0, 3)))) return { key: 'validate.citizen_id_province' };
  return null;
}

export function checkRequired(s: string | null | undefined): Problem | null {
  return s && s.trim().length > 0 ? null : { key: 'validate.required' };
}

export function checkEmail(s: string): Problem | null {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s.trim()) ? null : { key: 'validate.email' };
}

export function checkPassword(s: string): Problem | null {
  const n = [...s].length;
  return n >= 10 && n <= 128 ? null : { key: 'validate.password_length', params: { min: 10, max: 128 } };
}
