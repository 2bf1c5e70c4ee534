// Counter intake (tiếp nhận trực tiếp): a one-stop officer records a walk-in dossier for their
// own unit — POST /api/v1/dossiers with channel "counter" and receive_now (submitted and
// received in one transaction), the components received and those scanned, files uploaded
// through POST /api/v1/files — and gets the printable receipt and appointment slip. Issue #8:
// the applicant's data store is looked up by ID number (GET /api/v1/holdings?applicant=) so that
// a component can reuse a stored document instead of paper, and every scanned file is read by
// the server's OCR for the officer to confirm (OcrPanel) and copy into the applicant fields.
import { useEffect, useState } from 'preact/hooks';
import { api, describeError } from '../core/api';
import { formatMoney, formatTimeLimit, matchesQuery } from '../core/format';
import { navigate, type RouteProps } from '../core/router';
import { ROLE, hasRole, useSession } from '../core/session';
import { checkCitizenId, checkEmail, checkPhone } from '../core/validate';
import {
  getProcedure,
  getProcedures,
  type FileRef,
  type Procedure,
} from '../portal/model';
import { Alert, ErrorBox, Field, Loading, PageTitle, useLoad } from '../app/ui';
import { pick, t } from '../i18n';
import type { OfficerDossier } from './model';
import { getUnitsOn, UnitSelect, unitLabel } from './shared/staff';
import { ComponentUploads } from './Uploads';
import { OcrPanel } from './OcrPanel';
import { fillApplicant, type OcrConfirmed } from './ocr-model';
import { holdingLabel, listApplicantHoldings, matchingHoldings, type Holding } from '../portal/holdings-model';

const ID_KINDS = ['cccd', 'cmnd', 'passport', 'tax_code'];

interface ComponentState {
  provided: boolean;
  digitised: boolean;
  files: FileRef[];
  /** A holding of the applicant's data store reused for this component ('' = none). */
  holding?: string;
}

type IntakeComponent = { code: string; files?: string[]; reused_from?: string };

/** The "components" and "digitised" of the counter's POST /api/v1/dossiers: the provided ones;
 *  a reused holding as {"code", "reused_from": "<holding id>"} without files, and not counted as
 *  digitised here (it was not scanned at the counter). */
export function intakeComponents(
  proc: Pick<Procedure, 'components'>,
  comps: Record<string, ComponentState>,
): { components: IntakeComponent[]; digitised: string[] } {
  const provided = proc.components.filter((c) => comps[c.code]?.provided);
  const components = provided.map((c): IntakeComponent => {
    const st = comps[c.code];
    if (st.holding) return { code: c.code, reused_from: st.holding };
    return st.files.length ? { code: c.code, files: st.files.map((f) => f.id) } : { code: c.code };
  });
  const digitised = provided.filter((c) => comps[c.code].digitised && !comps[c.code].holding).map((c) => c.code);
  return { components, digitised };
}

export function IntakePage(_: RouteProps) {
  const session = useSession();
  const procedures = useLoad(() => getProcedures(), []);
  const units = useLoad(() => getUnitsOn(), []);
  const [filter, setFilter] = useState('');
  const [code, setCode] = useState('');
  const [proc, setProc] = useState<Procedure | null>(null);
  const [procError, setProcError] = useState<unknown>(null);
  const [kind, setKind] = useState('person');
  const [idKind, setIdKind] = useState('cccd');
  const [idNumber, setIdNumber] = useState('');
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [email, setEmail] = useState('');
  const [address, setAddress] = useState('');
  const [competent, setCompetent] = useState('');
  const [comps, setComps] = useState<Record<string, ComponentState>>({});
  const [conditions, setConditions] = useState<string[]>([]);
  // Fees at the counter are taken in cash when the dossier is received (a procedure paid before
  // reception cannot be received otherwise); unticked, the applicant pays later.
  const [paidCash, setPaidCash] = useState(true);
  const [tried, setTried] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [uploading, setUploading] = useState(0);
  // The applicant's data store, looked up for the ID number in holdingsFor.
  const [holdings, setHoldings] = useState<Holding[] | null>(null);
  const [holdingsFor, setHoldingsFor] = useState('');
  const [holdingsBusy, setHoldingsBusy] = useState(false);
  const [holdingsError, setHoldingsError] = useState<string | null>(null);

  const myUnit = session?.account.unit ?? '';
  const me = units.data?.find((u) => u.code === myUnit);

  useEffect(() => {
    setProc(null);
    setProcError(null);
    if (!code) return;
    const ctl = { stale: false };
    getProcedure(code).then(
      (p) => {
        if (ctl.stale) return;
        setProc(p);
        const init: Record<string, ComponentState> = {};
        for (const c of p.components) init[c.code] = { provided: c.required, digitised: false, files: [] };
        setComps(init);
        setConditions([]);
      },
      (e) => !ctl.stale && setProcError(e),
    );
    return () => {
      ctl.stale = true;
    };
  }, [code]);

  if (!hasRole(session, ROLE.oneStopOfficer)) {
    return (
      <>
        <PageTitle>{t('officer.intake.title')}</PageTitle>
        <Alert kind="warning">
          <p>{t('officer.intake.notOneStop')}</p>
        </Alert>
      </>
    );
  }

  const needsCommune = proc?.competent_level === 'commune' && me && me.level !== 'commune';
  const matching = (procedures.data ?? []).filter((p) => matchesQuery(filter, p.name, p.name_en, p.code));

  function setComp(c: string, patch: Partial<ComponentState>) {
    setComps((all) => ({ ...all, [c]: { ...all[c], ...patch } }));
  }

  function changeIdNumber(v: string) {
    setIdNumber(v);
    // Holdings belong to the number they were looked up for: another number drops them.
    if ((holdings || holdingsError) && v.replace(/\s/g, '') !== holdingsFor) {
      setHoldings(null);
      setHoldingsError(null);
      setComps((all) => {
        const out: Record<string, ComponentState> = {};
        for (const [k, st] of Object.entries(all)) out[k] = st.holding ? { ...st, holding: '' } : st;
        return out;
      });
    }
  }

  async function lookUpHoldings() {
    const id = idNumber.replace(/\s/g, '');
    const p = checkCitizenId(id);
    if (p) {
      setHoldings(null);
      setHoldingsError(t(p.key, p.params));
      return;
    }
    setHoldingsBusy(true);
    setHoldingsError(null);
    try {
      const items = await listApplicantHoldings(id);
      setHoldings(items);
      setHoldingsFor(id);
    } catch (e) {
      setHoldings(null);
      setHoldingsError(describeError(e));
    } finally {
      setHoldingsBusy(false);
    }
  }

  function fillFromOcr(c: OcrConfirmed): string[] {
    const patch = fillApplicant({ idKind, idNumber, name }, c);
    const labels: string[] = [];
    if (patch.idNumber !== undefined) {
      setIdKind(patch.idKind ?? idKind);
      changeIdNumber(patch.idNumber);
      labels.push(t('officer.intake.idNumber'));
    }
    if (patch.name !== undefined) {
      setName(patch.name);
      labels.push(t('officer.f.name'));
    }
    return labels;
  }

  function validate(): Record<string, string> {
    const e: Record<string, string> = {};
    if (!proc) e.procedure = t('officer.intake.procedureMissing');
    if (!idNumber.trim()) e.idNumber = t('validate.required');
    else if (idKind === 'cccd') {
      const p = checkCitizenId(idNumber);
      if (p) e.idNumber = t(p.key, p.params);
    }
    if (!name.trim()) e.name = t('validate.required');
    if (phone.trim()) {
      const p = checkPhone(phone);
      if (p) e.phone = t(p.key, p.params);
    }
    if (email.trim()) {
      const p = checkEmail(email);
      if (p) e.email = t(p.key, p.params);
    }
    if (needsCommune && !competent) e.competent = t('officer.form.unitMissing');
    if (proc) {
      const missingRequired = proc.components.filter((c) => c.required && !comps[c.code]?.provided);
      if (missingRequired.length) {
        e.components = t('officer.intake.componentsMissing', {
          list: missingRequired.map((c) => pick(c.name, c.name_en)).join('; '),
        });
      }
    }
    return e;
  }

  // Once a submission was tried, problems are shown and updated as they are fixed.
  const errors = tried ? validate() : {};
  const nErrors = Object.keys(errors).length;

  async function submit(ev: Event) {
    ev.preventDefault();
    setTried(true);
    setError(null);
    if (Object.keys(validate()).length > 0 || !proc) return;
    const { components, digitised } = intakeComponents(proc, comps);
    const body = {
      procedure_code: proc.code,
      channel: 'counter',
      applicant: {
        kind,
        id_kind: idKind,
        id_number: idNumber.replace(/\s/g, ''),
        name: name.trim(),
        phone: phone.trim(),
        email: email.trim(),
        address: address.trim(),
      },
      receiving_unit: myUnit,
      ...(needsCommune ? { competent_unit: competent } : {}),
      components,
      fee_conditions: conditions,
      receive_now: true,
      paid_cash: (proc.fees ?? []).length > 0 && paidCash,
      digitised,
    };
    setBusy(true);
    try {
      const d = await api<OfficerDossier>('/api/v1/dossiers', { method: 'POST', body });
      navigate('/can-bo/bien-nhan/' + encodeURIComponent(d.code));
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  const conditional = (proc?.fees ?? []).filter((f) => f.condition);

  return (
    <>
      <PageTitle sub={t('officer.intake.sub', { unit: unitLabel(units.data, myUnit) })}>
        {t('officer.intake.title')}
      </PageTitle>
      <form onSubmit={submit} noValidate aria-label={t('officer.intake.title')}>
        {nErrors > 0 && <Alert kind="error">{t('validate.summary', { n: nErrors })}</Alert>}
        {error && <Alert kind="error">{error}</Alert>}
        <fieldset>
          <legend>{t('officer.intake.procedure')}</legend>
          {procedures.error ? (
            <ErrorBox error={procedures.error} onRetry={procedures.reload} />
          ) : !procedures.data ? (
            <Loading />
          ) : (
            <div class="two-col">
              <Field label={t('officer.intake.filter')}>
                {(p) => (
                  <input {...p} type="search" name="procedure-filter" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
                )}
              </Field>
              <Field label={t('officer.intake.procedure')} required error={errors.procedure}>
                {(p) => (
                  <select {...p} name="procedure" value={code} onChange={(e) => setCode(e.currentTarget.value)}>
                    <option value="">{t('officer.intake.choose', { n: matching.length })}</option>
                    {matching.map((x) => (
                      <option key={x.code} value={x.code}>
                        {x.code} — {pick(x.name, x.name_en)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            </div>
          )}
          {procError ? <ErrorBox error={procError} /> : null}
          {proc && (
            <p class="muted">
              {t('officer.intake.procInfo', {
                limit: formatTimeLimit(proc.time_limit),
                level: t(`level.${proc.competent_level}`),
              })}
            </p>
          )}
          {needsCommune && units.data && (
            <Field label={t('officer.intake.competent')} required error={errors.competent}>
              {(p) => (
                <UnitSelect {...p} name="competent" units={units.data!} value={competent} onChange={setCompetent} levels={['commune']} />
              )}
            </Field>
          )}
        </fieldset>

        <fieldset>
          <legend>{t('officer.intake.applicant')}</legend>
          <div class="two-col">
            <Field label={t('officer.intake.kind')}>
              {(p) => (
                <select {...p} name="kind" value={kind} onChange={(e) => setKind(e.currentTarget.value)}>
                  <option value="person">{t('officer.kind.person')}</option>
                  <option value="organisation">{t('officer.kind.organisation')}</option>
                </select>
              )}
            </Field>
            <Field label={t('officer.intake.idKind')}>
              {(p) => (
                <select {...p} name="id-kind" value={idKind} onChange={(e) => setIdKind(e.currentTarget.value)}>
                  {ID_KINDS.map((k) => (
                    <option key={k} value={k}>
                      {t(`officer.idKind.${k}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t('officer.intake.idNumber')} required error={errors.idNumber}>
              {(p) => (
                <input {...p} name="id-number" inputMode={idKind === 'cccd' ? 'numeric' : undefined} value={idNumber} onInput={(e) => changeIdNumber(e.currentTarget.value)} />
              )}
            </Field>
            <Field label={t('officer.f.name')} required error={errors.name}>
              {(p) => <input {...p} name="name" autoComplete="off" value={name} onInput={(e) => setName(e.currentTarget.value)} />}
            </Field>
            <Field label={t('officer.f.phone')} error={errors.phone}>
              {(p) => <input {...p} name="phone" type="tel" value={phone} onInput={(e) => setPhone(e.currentTarget.value)} />}
            </Field>
            <Field label={t('officer.f.email')} error={errors.email}>
              {(p) => <input {...p} name="email" type="email" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />}
            </Field>
          </div>
          <Field label={t('officer.f.address')}>
            {(p) => <input {...p} name="address" value={address} onInput={(e) => setAddress(e.currentTarget.value)} />}
          </Field>
          {idKind === 'cccd' && (
            <div class="holdings-lookup" data-testid="holdings-lookup">
              <button type="button" class="btn btn-secondary" disabled={holdingsBusy} onClick={() => void lookUpHoldings()}
                data-testid="holdings-lookup-button">
                {holdingsBusy ? t('officer.holdings.busy') : t('officer.holdings.lookup')}
              </button>
              <div role="status" aria-live="polite">
                {holdings && (
                  <p data-testid="holdings-found">
                    {holdings.length
                      ? t('officer.holdings.found', { n: holdings.length, id: holdingsFor })
                      : t('officer.holdings.none', { id: holdingsFor })}
                  </p>
                )}
              </div>
              {holdingsError && <Alert kind="error">{holdingsError}</Alert>}
            </div>
          )}
        </fieldset>

        {proc && (
          <fieldset>
            <legend>{t('officer.intake.components')}</legend>
            {errors.components && <p class="field-error">{errors.components}</p>}
            {proc.components.map((c) => {
              const st = comps[c.code] ?? { provided: false, digitised: false, files: [] };
              const cname = pick(c.name, c.name_en);
              const matches = holdings ? matchingHoldings(c, holdings) : [];
              return (
                <div class="component-row" key={c.code} data-component={c.code}>
                  <p>
                    <strong>{cname}</strong> <span class="muted">({c.code})</span>{' '}
                    {c.required ? (
                      <span class="badge badge-info">{t('common.required')}</span>
                    ) : (
                      <span class="badge badge-muted">{t('common.optional')}</span>
                    )}
                    {c.paper_type && <span class="muted"> · {t(`paper.${c.paper_type}`)}</span>}
                  </p>
                  <ul class="check-list">
                    <li>
                      <label>
                        <input
                          type="checkbox"
                          name={`provided-${c.code}`}
                          checked={st.provided}
                          onChange={(e) =>
                            setComp(c.code, e.currentTarget.checked ? { provided: true } : { provided: false, holding: '' })
                          }
                        />
                        <span>{t('officer.intake.received', { name: cname })}</span>
                      </label>
                    </li>
                    <li>
                      <label>
                        <input
                          type="checkbox"
                          name={`digitised-${c.code}`}
                          checked={st.digitised}
                          disabled={!st.provided || !!st.holding}
                          onChange={(e) => setComp(c.code, { digitised: e.currentTarget.checked })}
                        />
                        <span>{t('officer.intake.digitised', { name: cname })}</span>
                      </label>
                    </li>
                  </ul>
                  {matches.length > 0 && (
                    <fieldset class="reuse-choice" data-testid="reuse-choice">
                      <legend>{t('officer.holdings.how', { name: cname })}</legend>
                      <label class="check">
                        <input type="radio" name={`how-${c.code}`} value="paper" checked={!st.holding}
                          onChange={() => setComp(c.code, { holding: '' })} />
                        <span>{t('officer.holdings.paper')}</span>
                      </label>{' '}
                      <label class="check">
                        <input type="radio" name={`how-${c.code}`} value="reuse" checked={!!st.holding} data-testid="reuse-radio"
                          onChange={() => setComp(c.code, { holding: matches[0].id, provided: true })} />
                        <span>{t('submit.reuse.use')}</span>
                      </label>
                    </fieldset>
                  )}
                  {st.holding ? (
                    <Field label={t('submit.reuse.choose')}>
                      {(p) => (
                        <select {...p} name={`holding-${c.code}`} value={st.holding} data-testid="reuse-holding"
                          onChange={(e) => setComp(c.code, { holding: e.currentTarget.value })}>
                          {matches.map((h) => (
                            <option key={h.id} value={h.id}>
                              {holdingLabel(h)}
                            </option>
                          ))}
                        </select>
                      )}
                    </Field>
                  ) : (
                    st.provided && (
                      <>
                        <ComponentUploads
                          label={cname}
                          files={st.files}
                          onBusy={(b) => setUploading((n) => n + (b ? 1 : -1))}
                          onChange={(files) => setComp(c.code, { files, digitised: files.length > 0 ? true : st.digitised })}
                        />
                        {st.files.map((f) => (
                          <OcrPanel key={f.id} file={f} onFill={fillFromOcr} />
                        ))}
                      </>
                    )
                  )}
                </div>
              );
            })}
          </fieldset>
        )}

        {conditional.length > 0 && (
          <fieldset>
            <legend>{t('officer.intake.fees')}</legend>
            <ul class="check-list">
              {conditional.map((f) => (
                <li key={f.code}>
                  <label>
                    <input
                      type="checkbox"
                      name={`fee-${f.condition}`}
                      checked={conditions.includes(f.condition!)}
                      onChange={() =>
                        setConditions((c) =>
                          c.includes(f.condition!) ? c.filter((x) => x !== f.condition) : [...c, f.condition!],
                        )
                      }
                    />
                    <span>
                      {pick(f.name, f.name_en)} — {formatMoney(f.amount)}
                    </span>
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>
        )}
        {(proc?.fees ?? []).length > 0 && (
          <p>
            <label>
              <input
                type="checkbox"
                name="paid-cash"
                checked={paidCash}
                onChange={() => setPaidCash((v) => !v)}
              />{' '}
              <span>{t('officer.intake.paidCash')}</span>
            </label>
          </p>
        )}

        <div class="actions">
          <button type="submit" class="btn btn-primary" disabled={busy || uploading > 0}>
            {busy ? t('officer.form.busy') : t('officer.intake.submit')}
          </button>
        </div>
      </form>
    </>
  );
}
