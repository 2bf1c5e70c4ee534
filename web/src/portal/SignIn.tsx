// Sign-in page for everyone: citizens with their ID number and password; officers with their
// login, password and a TOTP code (asked for when the server answers auth.totp_required), and
// the one-time TOTP enrolment of a new officer account (stage "totp_enrolment").
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, describeError } from '../core/api';
import { href, navigate, type RouteProps } from '../core/router';
import {
  beginTotp,
  confirmTotp,
  hasRole,
  isStaff,
  ROLE,
  signIn,
  useSession,
  type Session,
} from '../core/session';
import { Alert, Field, PageTitle } from '../app/ui';
import { t } from '../i18n';

function destination(next: string | undefined, s: Session): string {
  if (next && next.startsWith('/') && !next.startsWith('/dang-nhap')) return next;
  // A community digital team member files for citizens from the catalogue.
  if (hasRole(s, ROLE.communityTeam)) return '/';
  return isStaff(s) ? '/can-bo' : '/ho-so-cua-toi';
}

function go(path: string) {
  const [p, q] = path.split('?');
  navigate(p, q ? Object.fromEntries(new URLSearchParams(q)) : undefined);
}

export function SignInPage({ route }: RouteProps) {
  const session = useSession();
  const next = route.query.next;
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needTotp, setNeedTotp] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const totpRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (needTotp) totpRef.current?.focus();
  }, [needTotp]);

  if (session && session.stage === 'totp_enrolment') return <TotpEnrolment next={next} />;
  if (session && session.stage === 'full') {
    return (
      <>
        <PageTitle>{t('signin.title')}</PageTitle>
        <Alert kind="success">
          <p>{t('signin.already', { name: session.account.name })}</p>
        </Alert>
        <p>
          <a class="btn btn-primary" href={href(destination(next, session))}>
            {t('signin.continue')}
          </a>
        </p>
      </>
    );
  }

  async function submit(ev: Event) {
    ev.preventDefault();
    if (!login.trim() || !password) {
      setError(t('signin.missing'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const s = await signIn({ login, password, totp: needTotp ? totp : undefined });
      if (s.stage === 'full') go(destination(next, s));
    } catch (e) {
      if (e instanceof ApiError && e.code === 'auth.totp_required') {
        setNeedTotp(true);
        setError(needTotp ? describeError(e) : null);
      } else {
        setError(describeError(e));
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <PageTitle sub={t('signin.sub')}>{t('signin.title')}</PageTitle>
      <form onSubmit={submit} noValidate class="narrow">
        {error && <Alert kind="error">{error}</Alert>}
        <Field label={t('signin.login')} hint={t('signin.login.hint')} required>
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
        <Field label={t('signin.password')} required>
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
        {needTotp && (
          <Field label={t('signin.totp')} hint={t('signin.totp.hint')} required>
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
        )}
        <div class="actions">
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {busy ? t('signin.busy') : t('signin.submit')}
          </button>
        </div>
        <p>
          {t('signin.noAccount')} <a href={href('/dang-ky')}>{t('signin.register')}</a>
        </p>
      </form>
    </>
  );
}

function TotpEnrolment(props: { next?: string }) {
  const session = useSession();
  const [setup, setSetup] = useState<{ secret: string; otpauth_uri: string } | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    beginTotp().then(setSetup, (e) => setError(describeError(e)));
  }, []);

  async function confirm(ev: Event) {
    ev.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await confirmTotp(code);
      if (session) go(destination(props.next, session));
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <PageTitle sub={t('totp.sub')}>{t('totp.title')}</PageTitle>
      <form onSubmit={confirm} noValidate class="narrow">
        {error && <Alert kind="error">{error}</Alert>}
        <ol class="steps-list">
          <li>{t('totp.step1')}</li>
          <li>
            {t('totp.step2')}
            {setup && (
              <>
                <p>
                  <code class="code secret" data-testid="totp-secret">
                    {setup.secret}
                  </code>
                </p>
                <p class="hint">
                  {t('totp.uri')} <code class="code" data-testid="totp-uri">{setup.otpauth_uri}</code>
                </p>
              </>
            )}
          </li>
          <li>{t('totp.step3')}</li>
        </ol>
        <Field label={t('signin.totp')} required>
          {(p) => (
            <input
              {...p}
              name="totp"
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
            {t('totp.confirm')}
          </button>
        </div>
      </form>
    </>
  );
}
