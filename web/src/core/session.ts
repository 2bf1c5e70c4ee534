// The signed-in person, as the server knows it (GET/POST/DELETE /api/v1/session,
// src/http/account_routes.cpp). Citizens sign in with their ID number and password; officers add
// a TOTP code. A fresh officer account has stage "totp_enrolment" until it enrols its second
// factor (POST /api/v1/me/totp, then /api/v1/me/totp/confirm, which upgrades the session).
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, setCsrfToken, setUnauthenticatedHandler } from './api';

export interface Account {
  id: string;
  kind: 'citizen' | 'organisation' | 'officer' | 'service' | string;
  login: string;
  name: string;
  identity_level: number;
  unit: string;
  disabled: boolean;
  totp_enrolled: boolean;
  email: string;
  phone: string;
  roles: string[];
  id_number: string; // masked by the server
}

export type Stage = 'full' | 'totp_enrolment' | string;

export interface Session {
  account: Account;
  csrf_token: string;
  stage: Stage;
}

export const ROLE = {
  citizen: 'citizen',
  oneStopOfficer: 'one_stop_officer',
  specialist: 'specialist',
  leader: 'leader',
  clerk: 'clerk',
  communityTeam: 'community_digital_team',
  unitAdmin: 'unit_admin',
  provinceAdmin: 'province_admin',
  dashboardViewer: 'dashboard_viewer',
  auditor: 'auditor',
} as const;

let current: Session | null = null;
let loaded = false;
const listeners = new Set<(s: Session | null) => void>();

function set(s: Session | null): void {
  current = s;
  loaded = true;
  setCsrfToken(s?.csrf_token ?? '');
  for (const fn of listeners) fn(s);
}

let expired = false;
setUnauthenticatedHandler(() => {
  if (current) {
    expired = true;
    set(null);
  }
});

/** True when the last session ended because the server no longer knew it (expired, signed
 *  out elsewhere), until the next sign-in: the sign-in prompts say so. */
export function sessionExpired(): boolean {
  return expired;
}

export function getSession(): Session | null {
  return current;
}

export function isLoaded(): boolean {
  return loaded;
}

export function onSessionChange(fn: (s: Session | null) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Asks the server who we are; null when not signed in. */
export async function loadSession(): Promise<Session | null> {
  try {
    const s = await api<Session & { via: string }>('/api/v1/session');
    set({ account: s.account, csrf_token: s.csrf_token ?? '', stage: s.stage });
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 403)) set(null);
    else {
      loaded = true;
      throw e;
    }
  }
  return current;
}

export interface SignInInput {
  login: string;
  password: string;
  totp?: string;
}

/** Signs in. Rejects with ApiError: auth.bad_credentials, auth.totp_required (ask for the code
 *  and call again with it), auth.throttled (429)… */
export async function signIn(input: SignInInput): Promise<Session> {
  const body: Record<string, string> = { login: input.login.trim(), password: input.password };
  if (input.totp) body.totp = input.totp.trim();
  const s = await api<Session>('/api/v1/session', { method: 'POST', body });
  expired = false;
  set({ account: s.account, csrf_token: s.csrf_token, stage: s.stage });
  return current!;
}

export async function signOut(): Promise<void> {
  try {
    await api('/api/v1/session', { method: 'DELETE' });
  } finally {
    set(null);
  }
}

/** Starts TOTP enrolment: the secret to type into an authenticator app and its otpauth URI. */
export function beginTotp(): Promise<{ secret: string; otpauth_uri: string }> {
  return api('/api/v1/me/totp', { method: 'POST' });
}

/** Confirms the enrolment with a first code; the session becomes "full". */
export async function confirmTotp(code: string): Promise<void> {
  try {
    await api('/api/v1/me/totp/confirm', { method: 'POST', body: { code: code.trim() } });
  } catch (e) {
    // A lost answer may hide a confirmation that took place (and a browser's automatic retry
    // of it then finds nothing pending): the session says whether the factor is enrolled.
    const s = await loadSession().catch(() => null);
    if (s?.stage === 'full') return;
    throw e;
  }
  if (current) set({ ...current, stage: 'full', account: { ...current.account, totp_enrolled: true } });
}

export function hasRole(s: Session | null, ...roles: string[]): boolean {
  return !!s && s.account.roles.some((r) => roles.includes(r));
}

export function isCitizen(s: Session | null): boolean {
  return !!s && (s.account.kind === 'citizen' || s.account.kind === 'organisation');
}

/** Officers and administrators: everyone who works in the officer or admin areas. */
export function isStaff(s: Session | null): boolean {
  return !!s && !isCitizen(s);
}

/** The current session; the component re-renders when it changes. */
export function useSession(): Session | null {
  const [s, setS] = useState(current);
  useEffect(() => {
    setS(current);
    return onSessionChange(setS);
  }, []);
  return s;
}
