// Officer accounts and roles, for unit and province administrators (within their unit's
// subtree; the server refuses the rest): the list (GET /api/v1/officers, keyset pages), a new
// account (POST /api/v1/officers), and per account: unit and roles, disable/enable with a reason,
// reset of the second factor (the officer enrols again at the next sign-in).
import { useState } from 'preact/hooks';
import { describeError } from '../core/api';
import { formatDateTime } from '../core/format';
import { navigate, type RouteProps } from '../core/router';
import { checkEmail, checkPassword, checkPhone } from '../core/validate';
import { Alert, ErrorBox, Field, Loading, PageTitle, useLoad } from '../app/ui';
import { t } from '../i18n';
import {
  createOfficer,
  listOfficers,
  resetTotp,
  setDisabled,
  setRoles,
  type AccountRow,
} from './model';
import {
  getUnitsOn,
  OFFICER_ROLES,
  roleLabel,
  UnitSelect,
  unitLabel,
  type UnitFull,
} from '../officer/shared/staff';

function RoleChecks(props: { value: string[]; onChange: (v: string[]) => void; name: string }) {
  return (
    <ul class="check-list role-checks">
      {OFFICER_ROLES.map((r) => (
        <li key={r}>
          <label>
            <input
              type="checkbox"
              name={props.name}
              value={r}
              checked={props.value.includes(r)}
              onChange={() =>
                props.onChange(props.value.includes(r) ? props.value.filter((x) => x !== r) : [...props.value, r])
              }
            />
            <span>{roleLabel(r)}</span>
          </label>
        </li>
      ))}
    </ul>
  );
}

function CreateForm(props: { units: UnitFull[]; onCreated: (a: AccountRow) => void; onCancel: () => void }) {
  const [login, setLogin] = useState('');
  const [name, setName] = useState('');
  const [unit, setUnit] = useState('');
  const [roles, setRolesState] = useState<string[]>([]);
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(ev: Event) {
    ev.preventDefault();
    const e: Record<string, string> = {};
    if (!login.trim()) e.login = t('validate.required');
    if (!name.trim()) e.name = t('validate.required');
    if (!unit) e.unit = t('admin.officers.unitMissing');
    if (roles.length === 0) e.roles = t('admin.officers.rolesMissing');
    if (email.trim() && checkEmail(email)) e.email = t('validate.email');
    if (phone.trim() && checkPhone(phone)) e.phone = t('validate.phone');
    const pw = checkPassword(password);
    if (pw) e.password = t(pw.key, pw.params);
    setErrors(e);
    if (Object.keys(e).length) {
      setError(t('validate.summary', { n: Object.keys(e).length }));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const a = await createOfficer({
        login: login.trim(),
        name: name.trim(),
        unit,
        roles,
        email: email.trim(),
        phone: phone.trim(),
        password,
      });
      props.onCreated(a);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="inline-form" onSubmit={submit} noValidate aria-labelledby="create-h">
      <h2 id="create-h">{t('admin.officers.create')}</h2>
      {error && <Alert kind="error">{error}</Alert>}
      <div class="two-col">
        <Field label={t('admin.officers.login')} required error={errors.login}>
          {(p) => <input {...p} name="login" autoComplete="off" value={login} onInput={(e) => setLogin(e.currentTarget.value)} />}
        </Field>
        <Field label={t('admin.officers.name')} required error={errors.name}>
          {(p) => <input {...p} name="name" autoComplete="off" value={name} onInput={(e) => setName(e.currentTarget.value)} />}
        </Field>
        <Field label={t('admin.officers.unit')} required error={errors.unit}>
          {(p) => <UnitSelect {...p} name="unit" units={props.units} value={unit} onChange={setUnit} />}
        </Field>
        <Field label={t('admin.officers.password')} hint={t('admin.officers.password.hint')} required error={errors.password}>
          {(p) => (
            <input {...p} name="password" type="password" autoComplete="new-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
          )}
        </Field>
        <Field label={t('admin.officers.email')} error={errors.email}>
          {(p) => <input {...p} name="email" type="email" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />}
        </Field>
        <Field label={t('admin.officers.phone')} error={errors.phone}>
          {(p) => <input {...p} name="phone" type="tel" value={phone} onInput={(e) => setPhone(e.currentTarget.value)} />}
        </Field>
      </div>
      <fieldset>
        <legend>{t('admin.officers.roles')}</legend>
        {errors.roles && <p class="field-error">{errors.roles}</p>}
        <RoleChecks name="roles" value={roles} onChange={setRolesState} />
      </fieldset>
      <div class="actions">
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {t('admin.officers.createSubmit')}
        </button>
        <button type="button" class="btn btn-secondary" onClick={props.onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

type RowAction = 'roles' | 'disable' | 'enable' | 'totp';

function RowForm(props: {
  account: AccountRow;
  action: RowAction;
  units: UnitFull[];
  onDone: (a: AccountRow, message: string) => void;
  onCancel: () => void;
}) {
  const a = props.account;
  const [unit, setUnit] = useState(a.unit);
  const [roles, setRolesState] = useState<string[]>(a.roles);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(ev: Event) {
    ev.preventDefault();
    setError(null);
    if (props.action === 'roles' && (!unit || roles.length === 0)) {
      setError(t('admin.officers.rolesMissing'));
      return;
    }
    if ((props.action === 'disable' || props.action === 'enable') && !reason.trim()) {
      setError(t('admin.officers.reasonMissing'));
      return;
    }
    setBusy(true);
    try {
      let out: AccountRow;
      switch (props.action) {
        case 'roles':
          out = await setRoles(a.id, unit, roles);
          break;
        case 'disable':
          out = await setDisabled(a.id, true, reason);
          break;
        case 'enable':
          out = await setDisabled(a.id, false, reason);
          break;
        case 'totp':
          out = await resetTotp(a.id);
          break;
      }
      props.onDone(out, t(`admin.officers.done.${props.action}`, { login: a.login }));
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="inline-form" onSubmit={submit} noValidate aria-labelledby="row-form-h" data-form={props.action}>
      <h2 id="row-form-h">{t(`admin.officers.form.${props.action}`, { login: a.login, name: a.name })}</h2>
      {error && <Alert kind="error">{error}</Alert>}
      {props.action === 'roles' && (
        <>
          <Field label={t('admin.officers.unit')} required>
            {(p) => <UnitSelect {...p} name="unit" units={props.units} value={unit} onChange={setUnit} />}
          </Field>
          <fieldset>
            <legend>{t('admin.officers.roles')}</legend>
            <RoleChecks name="roles" value={roles} onChange={setRolesState} />
          </fieldset>
        </>
      )}
      {(props.action === 'disable' || props.action === 'enable') && (
        <Field label={t('admin.officers.reason')} required>
          {(p) => <textarea {...p} name="reason" rows={2} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />}
        </Field>
      )}
      {props.action === 'totp' && <p>{t('admin.officers.totpWarning')}</p>}
      <div class="actions">
        <button type="submit" class={`btn ${props.action === 'disable' ? 'btn-danger' : 'btn-primary'}`} disabled={busy}>
          {t(`admin.officers.submit.${props.action}`)}
        </button>
        <button type="button" class="btn btn-secondary" onClick={props.onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

export function OfficersPage({ route }: RouteProps) {
  const after = route.query.after ?? '';
  const page = useLoad((signal) => listOfficers(after, signal), [after]);
  const units = useLoad(() => getUnitsOn(), []);
  const [creating, setCreating] = useState(false);
  const [open, setOpen] = useState<{ id: string; action: RowAction } | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const items = page.data?.items ?? [];
  const current = open ? items.find((a) => a.id === open.id) : undefined;

  function replace(a: AccountRow) {
    if (page.data) page.setData({ ...page.data, items: page.data.items.map((x) => (x.id === a.id ? a : x)) });
  }

  return (
    <>
      <PageTitle sub={t('admin.officers.sub')}>{t('admin.officers.title')}</PageTitle>
      {message && (
        <Alert kind="success">
          <p>{message}</p>
        </Alert>
      )}
      {!creating && (
        <p>
          <button type="button" class="btn btn-primary" onClick={() => { setCreating(true); setMessage(null); }}>
            {t('admin.officers.create')}
          </button>
        </p>
      )}
      {creating && (
        <CreateForm
          units={units.data ?? []}
          onCancel={() => setCreating(false)}
          onCreated={(a) => {
            setCreating(false);
            setMessage(t('admin.officers.created', { login: a.login }));
            page.reload();
          }}
        />
      )}
      {page.error ? (
        <ErrorBox error={page.error} onRetry={page.reload} />
      ) : !page.data ? (
        <Loading />
      ) : items.length === 0 ? (
        <p>{t('admin.officers.empty')}</p>
      ) : (
        <>
          {current && open && (
            <RowForm
              key={open.id + open.action}
              account={current}
              action={open.action}
              units={units.data ?? []}
              onCancel={() => setOpen(null)}
              onDone={(a, m) => {
                replace(a);
                setOpen(null);
                setMessage(m);
              }}
            />
          )}
          <table class="data officers">
            <caption class="visually-hidden">{t('admin.officers.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('admin.officers.account')}</th>
                <th scope="col">{t('admin.officers.unit')}</th>
                <th scope="col">{t('admin.officers.roles')}</th>
                <th scope="col">{t('admin.officers.status')}</th>
                <th scope="col">{t('admin.officers.lastLogin')}</th>
                <th scope="col">{t('admin.officers.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <tr key={a.id} data-login={a.login}>
                  <td>
                    {a.name}
                    <div class="muted nowrap">{a.login}</div>
                  </td>
                  <td>{unitLabel(units.data, a.unit)}</td>
                  <td>{a.roles.map(roleLabel).join(', ')}</td>
                  <td>
                    {a.disabled ? (
                      <span class="badge badge-bad">{t('admin.officers.disabled')}</span>
                    ) : (
                      <span class="badge badge-ok">{t('admin.officers.active')}</span>
                    )}{' '}
                    {!a.totp_enrolled && <span class="badge badge-warn">{t('admin.officers.noTotp')}</span>}
                  </td>
                  <td class="nowrap">{formatDateTime(a.last_login_at) || '—'}</td>
                  <td>
                    <div class="row-actions">
                      <button type="button" class="btn btn-link" onClick={() => setOpen({ id: a.id, action: 'roles' })}>
                        {t('admin.officers.action.roles')}
                        <span class="visually-hidden"> {a.login}</span>
                      </button>
                      <button
                        type="button"
                        class="btn btn-link"
                        onClick={() => setOpen({ id: a.id, action: a.disabled ? 'enable' : 'disable' })}
                      >
                        {t(a.disabled ? 'admin.officers.action.enable' : 'admin.officers.action.disable')}
                        <span class="visually-hidden"> {a.login}</span>
                      </button>
                      {a.totp_enrolled && (
                        <button type="button" class="btn btn-link" onClick={() => setOpen({ id: a.id, action: 'totp' })}>
                          {t('admin.officers.action.totp')}
                          <span class="visually-hidden"> {a.login}</span>
                        </button>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div class="pager">
            {after && (
              <button type="button" class="btn btn-secondary btn-small" onClick={() => navigate('/quan-tri/can-bo')}>
                {t('admin.officers.first')}
              </button>
            )}
            {page.data.next_after && (
              <button
                type="button"
                class="btn btn-secondary btn-small"
                onClick={() => navigate('/quan-tri/can-bo', { after: page.data!.next_after! })}
              >
                {t('common.next')}
              </button>
            )}
          </div>
        </>
      )}
    </>
  );
}
