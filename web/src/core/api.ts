// The one way the front end talks to the motcua API (docs/api.md): same-origin fetch with the
// session cookie, JSON in and out, the CSRF token on writes, Accept-Language from the current
// language, and every failure turned into an ApiError carrying the server's stable code.
// uploadFile() sends a component file with XMLHttpRequest so that progress can be shown.
import { getLang, t } from '../i18n';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly params: Record<string, string>;
  readonly requestId: string;

  constructor(
    status: number,
    code: string,
    message: string,
    params: Record<string, string> = {},
    requestId = '',
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.params = params;
    this.requestId = requestId;
  }
}

// The CSRF token of the current session; set by core/session (kept here to avoid a cycle).
let csrfToken = '';
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

// Called when the server says the session is gone (expired, signed out elsewhere).
let onUnauthenticated: ((code: string) => void) | null = null;
export function setUnauthenticatedHandler(fn: ((code: string) => void) | null): void {
  onUnauthenticated = fn;
}

export function acceptLanguage(): string {
  return getLang() === 'en' ? 'en, vi;q=0.5' : 'vi, en;q=0.5';
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface RequestOptions {
  method?: string;
  body?: unknown;
  /** Bytes sent as they are (instead of JSON `body`), with this content type. */
  raw?: { data: Blob | ArrayBuffer; contentType: string };
  query?: Record<string, string | number | boolean | undefined | null>;
  signal?: AbortSignal;
}

export function buildUrl(path: string, query?: RequestOptions['query']): string {
  if (!query) return path;
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** Turns an error response body (either {code, message…} or {error: {code, message…}}). */
export function errorFromBody(status: number, body: unknown): ApiError {
  let o = body as Record<string, unknown> | null;
  if (o && typeof o === 'object' && o.error && typeof o.error === 'object') {
    o = o.error as Record<string, unknown>;
  }
  const code = o && typeof o.code === 'string' ? o.code : `http.${status}`;
  const message = o && typeof o.message === 'string' ? o.message : '';
  const params =
    o && o.params && typeof o.params === 'object' ? (o.params as Record<string, string>) : {};
  const requestId = o && typeof o.request_id === 'string' ? o.request_id : '';
  return new ApiError(status, code, message, params, requestId);
}

function handleUnauthenticated(status: number, code: string, path: string): void {
  if (status === 401 && onUnauthenticated && !path.startsWith('/api/v1/session')) {
    if (code === 'auth.expired' || code === 'auth.missing' || code === 'auth.invalid') {
      onUnauthenticated(code);
    }
  }
}

/** Calls the API; resolves with the parsed JSON body (null for 204), rejects with ApiError. */
export async function api<T = unknown>(path: string, opts: RequestOptions = {}): Promise<T> {
  const method = (opts.method ?? 'GET').toUpperCase();
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': acceptLanguage(),
  };
  let body: BodyInit | undefined;
  if (opts.raw) {
    headers['Content-Type'] = opts.raw.contentType;
    body = opts.raw.data;
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (WRITE_METHODS.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(buildUrl(path, opts.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: opts.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', '');
  }
  const text = await res.text();
  let parsed: unknown = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
  }
  if (!res.ok) {
    const err = errorFromBody(res.status, parsed);
    handleUnauthenticated(res.status, err.code, path);
    throw err;
  }
  return parsed as T;
}

export interface UploadedFile {
  id: string;
  name: string;
  content_type: string;
  size: number;
  sha256?: string;
}

export interface UploadHandle {
  promise: Promise<UploadedFile>;
  abort: () => void;
}

/**
 * Sends one file as the raw request body to POST /api/v1/files (not multipart), with its
 * content type and name in headers. onProgress gets the fraction sent, 0..1.
 */
export function uploadFile(
  file: Blob & { name: string },
  onProgress?: (fraction: number) => void,
  contentType: string = file.type,
): UploadHandle {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<UploadedFile>((resolve, reject) => {
    xhr.open('POST', '/api/v1/files');
    xhr.withCredentials = true;
    xhr.setRequestHeader('Content-Type', contentType);
    xhr.setRequestHeader('X-File-Name', encodeURIComponent(file.name));
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Accept-Language', acceptLanguage());
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    xhr.upload.onprogress = (ev) => {
      if (ev.lengthComputable && onProgress) onProgress(ev.total ? ev.loaded / ev.total : 1);
    };
    xhr.onload = () => {
      let parsed: unknown = null;
      try {
        parsed = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        parsed = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress?.(1);
        resolve(parsed as UploadedFile);
      } else {
        const err = errorFromBody(xhr.status, parsed);
        handleUnauthenticated(xhr.status, err.code, '/api/v1/files');
        reject(err);
      }
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', ''));
    xhr.onabort = () => reject(new ApiError(0, 'aborted', ''));
    xhr.send(file);
  });
  return { promise, abort: () => xhr.abort() };
}

/** A user-facing sentence for any failure: the server's catalogue message when it sent one
 *  (already in the requested language), otherwise the front end's own. */
export function describeError(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.message) return e.message;
    if (e.code === 'network') return t('error.network');
    if (e.status === 413) return t('file.too_large', { max: '10 MB' });
    return t('error.status', { status: e.status });
  }
  return t('error.generic');
}
