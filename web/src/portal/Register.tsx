// Citizen registration (POST /api/v1/accounts, kind "citizen"), then sign-in with the same
// credentials. The server enforces the password policy (account.weak_password with the rule).
import { useState } from 'preact/hooks';
import { api, describeError } from '../core/api';
import { href, navigate, type RouteProps } from '../core/router';
import { signIn, useSession } from '../core/session';
import {
  checkCitizenId,
  checkEmail,
  checkPassword,
  checkPhone,
  checkRequired,
  normalisePhone,
  type Problem,
} from '../core/validate';
import { Alert, Field, PageTitle } from '../app/ui';
import { t } from '../i18n';

export function RegisterPage(_: RouteProps) {
  const session = useSession();
  const [v, setV] = useState({ id_number: '', name: '', phone: '', email: '', password: '', password2: '' });
  const [problems, setProblems] = useState<Record<string, Problem>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof v) => (e: Event) => setV({ ...v, [k]: (e.currentTarget as HTMLInputElement).value });
  const err = (k: string) => (problems[k] ? t(problems[k].key, problems[k].params) : null);

  if (session) {
    return (
      <>
        <PageTitle>{t('register.title')}</PageTitle>
        <p>{t('signin.already', { name: session.account.name })}</p>
      </>
    );
  }

  async function submit(ev: Event) {
    ev.preventDefault();
    const p: Record<string, Problem> = {};
    const put = (k: string, x: Problem | null) => x && (p[k] = x);
    put('id_number', checkCitizenId(v.id_number));
    put('name', checkRequired(v.name));
    if (!v.phone.trim() && !v.email.trim()) p.phone = { key: 'register.contactRequired' };
    if (v.phone.trim()) put('phone', checkPhone(v.phone));
    if (v.email.trim()) put('email', checkEmail(v.email));
    put('password', checkPassword(v.password));
    if (!p.password && v.password !== v.password2) p.password2 = { key: 'validate.password_match' };
    setProblems(p);
    setError(null);
    if (Object.keys(p).length) {
      const first = ['id_number', 'name', 'phone', 'email', 'password', 'password2'].find((k) => p[k]);
      requestAnimationFrame(() => document.getElementById(`reg-${first}`)?.focus());
      return;
    }
    setBusy(true);
    const login = v.id_number.replace(/\s/g, '');
    try {
      const body: Record<string, string> = { kind: 'citizen', id_number: login, name: v.name.trim(), password: v.password };
      if (v.phone.trim()) body.phone = normalisePhone(v.phone);
      if (v.email.trim()) body.email = v.email.trim();
      await api('/api/v1/accounts', { method: 'POST', body });
      await signIn({ login, password: v.password });
      navigate('/ho-so-cua-toi');
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <PageTitle sub={t('register.sub')}>{t('register.title')}</PageTitle>
      <form onSubmit={submit} noValidate>
        {error && <Alert kind="error">{error}</Alert>}
        <Field id="reg-id_number" label={t('register.id')} hint={t('register.id.hint')} required error={err('id_number')}>
          {(c) => <input {...c} type="text" inputMode="numeric" maxLength={14} autoComplete="username" value={v.id_number} onInput={set('id_number')} />}
        </Field>
        <Field id="reg-name" label={t('register.name')} required error={err('name')}>
          {(c) => <input {...c} type="text" autoComplete="name" value={v.name} onInput={set('name')} />}
        </Field>
        <Field id="reg-phone" label={t('register.phone')} hint={t('register.contact.hint')} error={err('phone')}>
          {(c) => <input {...c} type="tel" autoComplete="tel" value={v.phone} onInput={set('phone')} />}
        </Field>
        <Field id="reg-email" label={t('register.email')} error={err('email')}>
          {(c) => <input {...c} type="email" autoComplete="email" value={v.email} onInput={set('email')} />}
        </Field>
        <Field id="reg-password" label={t('register.password')} hint={t('register.password.hint')} required error={err('password')}>
          {(c) => <input {...c} type="password" autoComplete="new-password" value={v.password} onInput={set('password')} />}
        </Field>
        <Field id="reg-password2" label={t('register.password2')} required error={err('password2')}>
          {(c) => <input {...c} type="password" autoComplete="new-password" value={v.password2} onInput={set('password2')} />}
        </Field>
        <div class="actions">
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {t('register.submit')}
          </button>
        </div>
        <p>
          {t('register.haveAccount')} <a href={href('/dang-nhap')}>{t('nav.signin')}</a>
        </p>
      </form>
    </>
  );
}
