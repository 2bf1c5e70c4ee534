// Officer sign-in: login, password and the TOTP code in one form (officers always need the
// second factor, POST /api/v1/session with "totp"), and the enrolment stage of a fresh officer
// account: the secret and its otpauth URI shown as text to type into an authenticator app
// (POST /api/v1/me/totp), then a first code to confirm it (POST /api/v1/me/totp/confirm).
// Every officer page is wrapped in OfficerGate, which shows these in place of the page.
import type { ComponentType } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, describeError } from '../../core/api';
import type { RouteProps } from '../../core/router';
import {
  beginTotp,
  confirmTotp,
  isCitizen,
  signIn,
  useSession,
} from '../../core/session';
import { Alert, Field, PageTitle } from '../../app/ui';
import { t } from '../../i18n';
import { StaffNav } from './staff';

export function OfficerSignIn() {
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const totpRef = useRef<HTMLInputElement>(null);

  async function submit(ev: Event) {
    ev.preventDefault();
    if (!login.trim() || !password) {
      setError(t('staff.signin.missing'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      // A fresh account has no second factor yet: it signs in without a code and enrols.
      await signIn({ login, password, totp: totp.trim() || undefined });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'auth.totp_required') {
        setError(t('staff.signin.needTotp'));
        totpRef.current?.focus();
      } else {
        setError(describeError(e));
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <PageTitle sub={t('staff.signin.sub')}>{t('staff.signin.title')}</PageTitle>
      <form onSubmit={submit} noValidate class="narrow narrow-staff" aria-label={t('staff.signin.title')}>
        {error && <Alert kind="error">{error}</Alert>}
        <Field label={t('staff.signin.login')} required>
          {(p) => (
            <input
              {...p}
              name="login"
              type="text"
              autoComplete="username"
              value={login}
              onInput={(e) => setLogin(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label={t('staff.signin.password')} required>
          {(p) => (
            <input
              {...p}
              name="password"
              type="password"
              autoComplete="current-password"
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label={t('staff.signin.totp')} hint={t('staff.signin.totp.hint')}>
          {(p) => (
            <input
              {...p}
              ref={totpRef}
              name="totp"
              type="text"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              value={totp}
              onInput={(e) => setTotp(e.currentTarget.value)}
            />
          )}
        </Field>
        <div class="actions">
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {busy ? t('staff.signin.busy') : t('staff.signin.submit')}
          </button>
        </div>
      </form>
    </>
  );
}

export function OfficerEnrolment() {
  const [setup, setSetup] = useState<{ secret: string; otpauth_uri: string } | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    beginTotp().then(setSetup, (e) => setError(describeError(e)));
  }, []);

  async function confirm(ev: Event) {
    ev.preventDefault();
    if (!/^\d{6}$/.test(code.trim())) {
      setError(t('staff.enrol.badCode'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await confirmTotp(code);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <PageTitle sub={t('staff.enrol.sub')}>{t('staff.enrol.title')}</PageTitle>
      <form onSubmit={confirm} noValidate class="narrow narrow-staff" aria-label={t('staff.enrol.title')}>
        {error && <Alert kind="error">{error}</Alert>}
        <ol>
          <li>{t('staff.enrol.step1')}</li>
          <li>
            {t('staff.enrol.step2')}
            {setup && (
              <dl class="facts">
                <div class="dl-row">
                  <dt>{t('staff.enrol.secret')}</dt>
                  <dd>
                    <code class="secret-text" data-testid="totp-secret">
                      {setup.secret}
                    </code>
                  </dd>
                </div>
                <div class="dl-row">
                  <dt>{t('staff.enrol.uri')}</dt>
                  <dd>
                    <code class="secret-text" data-testid="totp-uri">
                      {setup.otpauth_uri}
                    </code>
                  </dd>
                </div>
              </dl>
            )}
          </li>
          <li>{t('staff.enrol.step3')}</li>
        </ol>
        <Field label={t('staff.signin.totp')} required>
          {(p) => (
            <input
              {...p}
              name="totp-confirm"
              type="text"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              value={code}
              onInput={(e) => setCode(e.currentTarget.value)}
            />
          )}
        </Field>
        <div class="actions">
          <button type="submit" class="btn btn-primary" disabled={busy || !setup}>
            {t('staff.enrol.confirm')}
          </button>
        </div>
      </form>
    </>
  );
}

/** Wraps a staff page: sign-in, enrolment or refusal in its place when needed, and the staff
 *  navigation above it. */
export function gated(Page: ComponentType<RouteProps>): ComponentType<RouteProps> {
  return function Gated(props: RouteProps) {
    const session = useSession();
    if (!session) return <OfficerSignIn />;
    if (session.stage === 'totp_enrolment') return <OfficerEnrolment />;
    if (isCitizen(session)) {
      return (
        <>
          <PageTitle>{t('error.forbidden.title')}</PageTitle>
          <p>{t('staff.forbidden.citizen')}</p>
        </>
      );
    }
    return (
      <>
        <StaffNav session={session} current={props.route.path} />
        <Page {...props} />
      </>
    );
  };
}
