// Online submission (nộp hồ sơ trực tuyến) of one procedure by a signed-in citizen, or by a
// member of a community digital team for a citizen (channel "assisted": the server records the
// team member as assisted_by and accepts it only at the member's own unit, see
// src/app/lifecycle.cpp SubmitInTx). Applicant fields are prefilled from the account, each
// component takes uploaded files (or reuse from the citizens' data store), the form can be saved
// as a server-side draft and resumed, and a successful submission leads to the receipt.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, api, describeError } from '../core/api';
import { formatDateTime, formatMoney, formatTimeLimit } from '../core/format';
import { href, navigate, type RouteProps } from '../core/router';
import { hasRole, isCitizen, ROLE, useSession, type Session } from '../core/session';
import { checkCitizenId, checkEmail, checkPhone, checkRequired, normalisePhone, type Problem } from '../core/validate';
import { Alert, ErrorBox, Field, Loading, PageTitle } from '../app/ui';
import { hasMessage, pick, t } from '../i18n';
import { FileInput } from './FileInput';
import { componentElement, holdingLabel, listMyHoldings, matchingHoldings, type Holding } from './holdings-model';
import {
  deleteDraft,
  getProcedure,
  getUnits,
  listDrafts,
  saveDraft,
  type Dossier,
  type DraftForm,
  type Procedure,
  type Unit,
} from './model';

/** Conditions the applicant does not choose: the channel decides them. */
const CHANNEL_CONDITIONS = new Set(['channel_online', 'channel_direct']);

export function emptyForm(p: Procedure, s: Session | null, assisted: boolean): DraftForm {
  const a = s?.account;
  const components: DraftForm['components'] = {};
  for (const c of p.components) components[c.code] = { files: [], reused: false };
  return {
    applicant: {
      name: assisted ? '' : a?.name ?? '',
      // A citizen's login is their ID number (the session shows it masked elsewhere).
      id_number: assisted ? '' : a?.login ?? '',
      phone: assisted ? '' : a?.phone ?? '',
      email: assisted ? '' : a?.email ?? '',
      address: '',
    },
    unit: '',
    fee_conditions: [],
    components,
  };
}

/** The draft on top of a fresh form: components the procedure no longer has are dropped. */
export function mergeDraft(base: DraftForm, draft: Partial<DraftForm>): DraftForm {
  const components = { ...base.components };
  for (const [code, c] of Object.entries(draft.components ?? {})) {
    if (code in components && c) {
      components[code] = { files: c.files ?? [], reused: !!c.reused };
      if (typeof c.holding === 'string' && c.holding) components[code].holding = c.holding;
    }
  }
  return {
    applicant: { ...base.applicant, ...(draft.applicant ?? {}) },
    unit: typeof draft.unit === 'string' ? draft.unit : base.unit,
    fee_conditions: Array.isArray(draft.fee_conditions) ? draft.fee_conditions : [],
    components,
  };
}

interface Problems {
  [field: string]: Problem;
}

export function validateForm(p: Procedure, f: DraftForm, assisted: boolean, needsUnit: boolean): Problems {
  const out: Problems = {};
  const put = (k: string, pr: Problem | null) => {
    if (pr) out[k] = pr;
  };
  put('applicant.name', checkRequired(f.applicant.name));
  if (assisted) put('applicant.id_number', checkCitizenId(f.applicant.id_number));
  put('applicant.phone', checkRequired(f.applicant.phone) ?? checkPhone(f.applicant.phone));
  if (f.applicant.email.trim()) put('applicant.email', checkEmail(f.applicant.email));
  if (needsUnit) put('unit', checkRequired(f.unit) && { key: 'submit.unit.required' });
  for (const c of p.components) {
    const v = f.components[c.code];
    if (c.required && !(v && (v.files.length > 0 || !!v.holding))) {
      out[`component.${c.code}`] = { key: 'submit.component.missing' };
    }
  }
  return out;
}

/** A form whose chosen holdings are still offered: a holding no longer in the data store (or
 *  expired, or not accepted by the component any more) is dropped, back to uploading. */
export function reconcileHoldings(p: Procedure, f: DraftForm, holdings: readonly Holding[], today?: string): DraftForm {
  let changed = false;
  const components = { ...f.components };
  for (const c of p.components) {
    const v = components[c.code];
    if (v?.holding && !matchingHoldings(c, holdings, today).some((h) => h.id === v.holding)) {
      const { holding: _dropped, ...rest } = v;
      components[c.code] = rest;
      changed = true;
    }
  }
  return changed ? { ...f, components } : f;
}

/** The "components" of POST /api/v1/dossiers: only those provided, a reused holding as
 *  {"code", "reused_from": "<holding id>"} without files. */
export function submissionComponents(p: Procedure, f: DraftForm): { code: string; files?: string[]; reused_from?: string }[] {
  const out: { code: string; files?: string[]; reused_from?: string }[] = [];
  for (const c of p.components) {
    const v = f.components[c.code];
    const el = v ? componentElement(c.code, v) : null;
    if (el) out.push(el);
  }
  return out;
}

const receipts = new Map<string, Dossier>();
/** The dossier just submitted, for the receipt page (avoids a second request). */
export function takeReceipt(code: string): Dossier | undefined {
  const d = receipts.get(code);
  receipts.delete(code);
  return d;
}

export function SubmitPage({ route }: RouteProps) {
  const code = route.params.code;
  const session = useSession();
  const assisted = hasRole(session, ROLE.communityTeam);
  const allowed = isCitizen(session) || assisted;

  const [proc, setProc] = useState<Procedure | null>(null);
  const [units, setUnits] = useState<Unit[]>([]);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [form, setForm] = useState<DraftForm | null>(null);
  const [draftSavedAt, setDraftSavedAt] = useState<string | null>(null);
  const [restoredFrom, setRestoredFrom] = useState<string | null>(null);
  const [draftsUnavailable, setDraftsUnavailable] = useState(false);
  const [problems, setProblems] = useState<Problems>({});
  const [showSummary, setShowSummary] = useState(false);
  const [uploading, setUploading] = useState(0);
  const [busy, setBusy] = useState<'draft' | 'submit' | null>(null);
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const [declared, setDeclared] = useState(false);
  const [tick, setTick] = useState(0);
  // The signed-in citizen's data store (issue #8); empty for others and when it cannot be read.
  const [holdings, setHoldings] = useState<Holding[]>([]);

  useEffect(() => {
    if (!allowed) return;
    let live = true;
    setLoadError(null);
    Promise.all([
      getProcedure(code),
      getUnits(),
      isCitizen(session) ? listMyHoldings().catch(() => [] as Holding[]) : Promise.resolve([] as Holding[]),
      listDrafts().catch((e) => {
        // Drafts are a convenience: without them the form still works.
        if (live) setDraftsUnavailable(true);
        if (e instanceof ApiError && (e.status === 404 || e.status === 405)) return [];
        return [];
      }),
    ]).then(
      ([p, u, hs, drafts]) => {
        if (!live) return;
        setProc(p);
        setUnits(u);
        setHoldings(hs);
        const base = emptyForm(p, session, assisted);
        const d = drafts.find((x) => x.procedure_code === p.code);
        if (d && d.form && typeof d.form === 'object') {
          setForm(reconcileHoldings(p, mergeDraft(base, d.form), hs));
          setRestoredFrom(d.saved_at);
        } else {
          setForm(base);
        }
      },
      (e) => live && setLoadError(e),
    );
    return () => {
      live = false;
    };
  }, [code, allowed, tick]);

  const communes = useMemo(
    () => units.filter((u) => u.level === 'commune').sort((a, b) => a.name.localeCompare(b.name, 'vi')),
    [units],
  );
  const centre = units.find((u) => u.level === 'pasc');

  if (!allowed) {
    return (
      <>
        <PageTitle>{t('submit.title')}</PageTitle>
        <Alert kind="warning">{t('submit.notForStaff')}</Alert>
      </>
    );
  }
  if (loadError) {
    return (
      <>
        <PageTitle>{t('submit.title')}</PageTitle>
        <ErrorBox error={loadError} onRetry={() => setTick((n) => n + 1)} />
      </>
    );
  }
  if (!proc || !form) return <Loading />;
  if (proc.online_level === 'none') {
    return (
      <>
        <PageTitle>{pick(proc.name, proc.name_en)}</PageTitle>
        <Alert kind="warning">{t('proc.cta.none')}</Alert>
      </>
    );
  }

  const p = proc;
  const f = form;
  const commune = p.competent_level === 'commune';
  const needsUnit = commune;
  const choosableFees = p.fees.filter((x) => x.condition && !CHANNEL_CONDITIONS.has(x.condition));

  const setApplicant = (k: keyof DraftForm['applicant'], v: string) =>
    setForm({ ...f, applicant: { ...f.applicant, [k]: v } });
  const setComponent = (c: string, v: Partial<DraftForm['components'][string]>) =>
    setForm((cur) => cur && { ...cur, components: { ...cur.components, [c]: { ...cur.components[c], ...v } } });
  const err = (k: string) => (problems[k] ? t(problems[k].key, problems[k].params) : null);

  function unitsFor(): { receiving: string; competent: string } | null {
    if (assisted) {
      // The team member files at their own unit; the commune decides commune-level procedures.
      return { receiving: session!.account.unit, competent: commune ? f.unit : '' };
    }
    if (commune) return { receiving: f.unit, competent: f.unit };
    return centre ? { receiving: centre.code, competent: '' } : null;
  }

  async function onSaveDraft() {
    setBusy('draft');
    setMessage(null);
    try {
      const r = await saveDraft(p.code, f);
      setDraftSavedAt(r.saved_at);
      setMessage({ kind: 'success', text: t('submit.draft.saved', { time: formatDateTime(r.saved_at) }) });
    } catch (e) {
      setMessage({ kind: 'error', text: t('submit.draft.failed', { reason: describeError(e) }) });
    } finally {
      setBusy(null);
    }
  }

  async function onDiscardDraft() {
    try {
      await deleteDraft(p.code);
    } catch {
      // Nothing to delete, or the list will show it again: the fresh form is what matters.
    }
    setRestoredFrom(null);
    setDraftSavedAt(null);
    setForm(emptyForm(p, session, assisted));
    setProblems({});
    setShowSummary(false);
  }

  async function onSubmit(ev: Event) {
    ev.preventDefault();
    const found = validateForm(p, f, assisted, needsUnit);
    if (!declared) found.declaration = { key: 'submit.declaration.required' };
    setProblems(found);
    setMessage(null);
    if (Object.keys(found).length > 0) {
      setShowSummary(true);
      requestAnimationFrame(() => document.getElementById('error-summary')?.focus());
      return;
    }
    setShowSummary(false);
    const u = unitsFor();
    if (!u) {
      setMessage({ kind: 'error', text: t('submit.noCentre') });
      return;
    }
    const components = submissionComponents(p, f);
    const feeConditions = [...f.fee_conditions.filter((c) => !CHANNEL_CONDITIONS.has(c))];
    if (p.fees.some((x) => x.condition === 'channel_online')) feeConditions.push('channel_online');
    const applicant: Record<string, string> = {
      kind: 'person',
      id_kind: 'cccd',
      id_number: f.applicant.id_number.replace(/\s/g, ''),
      name: f.applicant.name.trim(),
      phone: normalisePhone(f.applicant.phone),
    };
    if (f.applicant.email.trim()) applicant.email = f.applicant.email.trim();
    if (f.applicant.address.trim()) applicant.address = f.applicant.address.trim();
    const body: Record<string, unknown> = {
      procedure_code: p.code,
      channel: assisted ? 'assisted' : 'online',
      applicant,
      receiving_unit: u.receiving,
      components,
      fee_conditions: feeConditions,
    };
    if (u.competent) body.competent_unit = u.competent;
    if (assisted) body.assisted_by = session!.account.login;
    setBusy('submit');
    try {
      const d = await api<Dossier>('/api/v1/dossiers', { method: 'POST', body });
      deleteDraft(p.code).catch(() => undefined);
      receipts.set(d.code, d);
      navigate(`/bien-nhan/${d.code}`);
    } catch (e) {
      setMessage({ kind: 'error', text: describeError(e) });
      requestAnimationFrame(() => document.getElementById('form-message')?.focus());
    } finally {
      setBusy(null);
    }
  }

  const problemList = Object.entries(problems);
  const anchorFor = (k: string) =>
    k.startsWith('component.') ? `file-${k.slice(10)}` : k === 'declaration' ? 'declaration' : `in-${k.replace('.', '-')}`;

  return (
    <>
      <p class="breadcrumb">
        <a href={href('/')}>{t('nav.home')}</a> <span aria-hidden="true">›</span>{' '}
        <a href={href(`/thu-tuc/${p.code}`)}>{p.code}</a>
      </p>
      <PageTitle sub={pick(p.name, p.name_en)}>{t(assisted ? 'submit.title.assisted' : 'submit.title')}</PageTitle>
      <p class="muted">
        {t('proc.timeLimit')}: {formatTimeLimit(p.time_limit)}
      </p>

      {restoredFrom && (
        <Alert kind="info" title={t('submit.draft.restored', { time: formatDateTime(restoredFrom) })}>
          <button type="button" class="btn btn-secondary" onClick={onDiscardDraft}>
            {t('submit.draft.discard')}
          </button>
        </Alert>
      )}
      {assisted && <Alert kind="info">{t('submit.assisted.note', { unit: session!.account.unit })}</Alert>}

      {showSummary && problemList.length > 0 && (
        <div class="alert alert-error" id="error-summary" tabIndex={-1} role="alert" aria-labelledby="error-summary-title">
          <p class="alert-title" id="error-summary-title">
            {t('validate.summary', { n: problemList.length })}
          </p>
          <ul>
            {problemList.map(([k, pr]) => (
              <li key={k}>
                <a href={`#${anchorFor(k)}`} onClick={(e) => jumpTo(e, anchorFor(k))}>
                  {labelOf(k, p)}: {t(pr.key, pr.params)}
                </a>
              </li>
            ))}
          </ul>
        </div>
      )}

      <form onSubmit={onSubmit} noValidate class="submit-form" data-testid="submit-form">
        <fieldset>
          <legend>{t('submit.applicant')}</legend>
          <Field id="in-applicant-name" label={t('submit.applicant.name')} required error={err('applicant.name')}>
            {(c) => (
              <input {...c} type="text" autoComplete="name" value={f.applicant.name}
                onInput={(e) => setApplicant('name', e.currentTarget.value)} />
            )}
          </Field>
          {assisted ? (
            <Field id="in-applicant-id_number" label={t('submit.applicant.id')} hint={t('submit.applicant.id.hint')} required error={err('applicant.id_number')}>
              {(c) => (
                <input {...c} type="text" inputMode="numeric" maxLength={12}
                  value={f.applicant.id_number} onInput={(e) => setApplicant('id_number', e.currentTarget.value)} />
              )}
            </Field>
          ) : (
            <Field label={t('submit.applicant.id')} hint={t('submit.applicant.id.own')}>
              {(c) => <input {...c} type="text" readOnly value={f.applicant.id_number} />}
            </Field>
          )}
          <Field id="in-applicant-phone" label={t('submit.applicant.phone')} hint={t('submit.applicant.phone.hint')} required error={err('applicant.phone')}>
            {(c) => (
              <input {...c} type="tel" autoComplete="tel" inputMode="tel" value={f.applicant.phone}
                onInput={(e) => setApplicant('phone', e.currentTarget.value)} />
            )}
          </Field>
          <Field id="in-applicant-email" label={t('submit.applicant.email')} error={err('applicant.email')}>
            {(c) => (
              <input {...c} type="email" autoComplete="email" value={f.applicant.email}
                onInput={(e) => setApplicant('email', e.currentTarget.value)} />
            )}
          </Field>
          <Field id="in-applicant-address" label={t('submit.applicant.address')}>
            {(c) => (
              <input {...c} type="text" autoComplete="street-address" value={f.applicant.address}
                onInput={(e) => setApplicant('address', e.currentTarget.value)} />
            )}
          </Field>
        </fieldset>

        <fieldset>
          <legend>{t('submit.where')}</legend>
          {commune ? (
            <Field id="in-unit" label={t('submit.unit')} hint={t('submit.unit.hint')} required error={err('unit')}>
              {(c) => (
                <select {...c} value={f.unit} onChange={(e) => setForm({ ...f, unit: e.currentTarget.value })}>
                  <option value="">{t('submit.unit.choose')}</option>
                  {communes.map((u) => (
                    <option value={u.code} key={u.code}>
                      {pick(u.name, u.name_en)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          ) : (
            <p>{t('submit.where.centre', { centre: centre ? pick(centre.name, centre.name_en) : '' })}</p>
          )}
        </fieldset>

        <fieldset>
          <legend>{t('submit.components')}</legend>
          <p class="hint">{t('submit.components.hint')}</p>
          {p.components.map((c) => {
            const v = f.components[c.code] ?? { files: [], reused: false };
            const e = err(`component.${c.code}`);
            const errId = e ? `comp-${c.code}-err` : undefined;
            const matches = matchingHoldings(c, holdings);
            return (
              <div class={`component${e ? ' field-invalid' : ''}`} key={c.code} data-component={c.code}>
                <h3 class="component-name">
                  {pick(c.name, c.name_en)}{' '}
                  {c.required ? (
                    <span class="badge badge-warn">{t('common.required')}</span>
                  ) : (
                    <span class="badge badge-muted">{t('common.optional')}</span>
                  )}
                </h3>
                {c.paper_type && hasMessage(`paper.${c.paper_type}`) && (
                  <p class="hint">{t(`paper.${c.paper_type}`)}</p>
                )}
                {e && (
                  <p class="field-error" id={errId}>
                    {e}
                  </p>
                )}
                {matches.length > 0 && (
                  <fieldset class="reuse-choice" data-testid="reuse-choice">
                    <legend>{t('submit.reuse.legend')}</legend>
                    <label class="check">
                      <input type="radio" name={`how-${c.code}`} value="upload" checked={!v.holding}
                        onChange={() => setComponent(c.code, { holding: '' })} />
                      <span>{t('submit.reuse.upload')}</span>
                    </label>
                    <label class="check">
                      <input type="radio" name={`how-${c.code}`} value="reuse" checked={!!v.holding} data-testid="reuse-radio"
                        onChange={() => setComponent(c.code, { holding: matches[0].id, reused: false })} />
                      <span>{t('submit.reuse.use')}</span>
                    </label>
                  </fieldset>
                )}
                {v.holding ? (
                  <Field id={`holding-${c.code}`} label={t('submit.reuse.choose')} hint={t('submit.reuse.hint')}>
                    {(ctl) => (
                      <select {...ctl} value={v.holding} disabled={busy !== null} data-testid="reuse-holding"
                        onChange={(ev) => setComponent(c.code, { holding: ev.currentTarget.value })}>
                        {matches.map((h) => (
                          <option key={h.id} value={h.id}>
                            {holdingLabel(h)}
                          </option>
                        ))}
                      </select>
                    )}
                  </Field>
                ) : (
                  <FileInput
                    id={`file-${c.code}`}
                    label={pick(c.name, c.name_en)}
                    files={v.files}
                    describedBy={errId}
                    invalid={!!e}
                    disabled={busy !== null}
                    onBusy={(b) => setUploading((n) => n + (b ? 1 : -1))}
                    onChange={(files) => setComponent(c.code, { files })}
                  />
                )}
              </div>
            );
          })}
        </fieldset>

        {choosableFees.length > 0 && (
          <fieldset>
            <legend>{t('submit.fees')}</legend>
            {choosableFees.map((x) => (
              <label class="check" key={x.code}>
                <input
                  type="checkbox"
                  checked={f.fee_conditions.includes(x.condition!)}
                  onChange={(ev) =>
                    setForm({
                      ...f,
                      fee_conditions: ev.currentTarget.checked
                        ? [...f.fee_conditions, x.condition!]
                        : f.fee_conditions.filter((c) => c !== x.condition),
                    })
                  }
                />
                <span>
                  {hasMessage(`condition.${x.condition}`) ? t(`condition.${x.condition}`) : pick(x.name, x.name_en)} —{' '}
                  <span class="money">{formatMoney(x.amount)}</span>
                </span>
              </label>
            ))}
          </fieldset>
        )}

        <div class={`field${problems.declaration ? ' field-invalid' : ''}`}>
          {problems.declaration && <p class="field-error" id="declaration-err">{t('submit.declaration.required')}</p>}
          <label class="check">
            <input id="declaration" type="checkbox" checked={declared} aria-describedby={problems.declaration ? 'declaration-err' : undefined}
              onChange={(e) => setDeclared(e.currentTarget.checked)} />
            <span>{t('submit.declaration')}</span>
          </label>
        </div>

        <div id="form-message" tabIndex={-1}>
          {message && <Alert kind={message.kind}>{message.text}</Alert>}
        </div>
        {draftsUnavailable && <p class="muted">{t('submit.draft.unavailable')}</p>}

        <div class="actions">
          <button type="submit" class="btn btn-primary" disabled={busy !== null || uploading > 0} data-testid="submit-button">
            {busy === 'submit' ? t('submit.sending') : t('submit.send')}
          </button>
          <button type="button" class="btn btn-secondary" onClick={onSaveDraft} disabled={busy !== null || uploading > 0} data-testid="save-draft">
            {busy === 'draft' ? t('submit.draft.saving') : t('submit.draft.save')}
          </button>
        </div>
        {draftSavedAt && <p class="muted">{t('submit.draft.lastSaved', { time: formatDateTime(draftSavedAt) })}</p>}
      </form>
    </>
  );
}

function jumpTo(ev: Event, id: string) {
  ev.preventDefault();
  const el = document.getElementById(id);
  el?.focus();
  el?.scrollIntoView({ block: 'center' });
}

function labelOf(k: string, p: Procedure): string {
  if (k.startsWith('component.')) {
    const c = p.components.find((x) => x.code === k.slice(10));
    return c ? pick(c.name, c.name_en) : k;
  }
  const map: Record<string, string> = {
    'applicant.name': 'submit.applicant.name',
    'applicant.id_number': 'submit.applicant.id',
    'applicant.phone': 'submit.applicant.phone',
    'applicant.email': 'submit.applicant.email',
    unit: 'submit.unit',
    declaration: 'submit.declaration.short',
  };
  return map[k] ? t(map[k]) : k;
}
