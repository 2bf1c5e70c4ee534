// One of my dossiers: state, appointment, documents, the timeline of what happened (from the
// dossier's event history) and what I can do now: answer a request for more documents, withdraw
// the dossier, rate the service after the result is returned. The server decides whether each
// action is allowed; the page only offers those that the state makes possible.
import { useState } from 'preact/hooks';
import { describeError } from '../core/api';
import { formatDateTime, formatMoney, formatSize } from '../core/format';
import { href, type RouteProps } from '../core/router';
import { Alert, ErrorBox, Field, Loading, PageTitle, Row, useLoad } from '../app/ui';
import { getLang, hasMessage, t } from '../i18n';
import { FileInput } from './FileInput';
import { ResultDocumentSection } from './ResultDocument';
import { PaymentOutcome, PaymentPanel } from './Payment';
import { channelText, exemptionText, gatewayOutcome } from './payment-model';
import { StateBadge } from './MyDossiers';
import { dossierAction, fileUrl, getDossier, getUnits, type Dossier, type FileRef, type HistoryEvent, type Unit } from './model';
import { unitName } from './Receipt';
import { isCitizen, useSession } from '../core/session';
import { listMyHoldings, reusedHoldingId, reuseText, type Holding } from './holdings-model';

const WITHDRAWABLE = new Set(['submitted', 'received', 'in_processing', 'supplement_requested']);
const RATINGS = ['very_satisfied', 'satisfied', 'unsatisfied'] as const;

export function eventDetail(e: HistoryEvent, d: Dossier, units: Unit[] | undefined): string {
  const p = e.payload ?? {};
  const str = (k: string) => (typeof p[k] === 'string' ? (p[k] as string) : '');
  switch (e.type) {
    case 'DossierReceived':
      return str('due_at') ? t('timeline.due', { date: formatDateTime(str('due_at')) }) : '';
    case 'StepCompleted': {
      const i = typeof p.step === 'number' ? p.step : -1;
      const steps = (d as unknown as { steps?: { name: string }[] }).steps ?? [];
      return steps[i]?.name ?? '';
    }
    case 'SupplementRequested': {
      const items = Array.isArray(p.items) ? (p.items as string[]).join('; ') : '';
      return [str('reason'), items].filter(Boolean).join(' — ');
    }
    case 'DossierTransferred':
      return t('timeline.transferredTo', { unit: unitName(str('to_unit'), units) });
    case 'ApologyIssued':
      return t('timeline.newDue', { date: formatDateTime(str('new_due')) }) + (str('reason') ? ` — ${str('reason')}` : '');
    case 'DossierReturned':
      return str('return_channel') && hasMessage(`returnChannel.${str('return_channel')}`)
        ? t(`returnChannel.${str('return_channel')}`)
        : '';
    case 'DossierRated':
      return hasMessage(`rating.${str('rating')}`) ? t(`rating.${str('rating')}`) : '';
    case 'PaymentSucceeded':
    case 'PaymentRefunded':
      return [typeof p.amount === 'number' ? formatMoney(p.amount) : '', str('channel') ? channelText(str('channel')) : '', str('reason')]
        .filter(Boolean)
        .join(' — ');
    case 'FeesWaived':
      return [str('exemption') ? exemptionText(str('exemption')) : '', str('reason')].filter(Boolean).join(' — ');
    case 'DossierRefused':
    case 'DossierWithdrawn':
    case 'DossierCancelled':
      return str('reason');
    default:
      return '';
  }
}

export function Timeline(props: { items: { at: string; type: string; detail?: string }[] }) {
  return (
    <ol class="timeline" data-testid="timeline">
      {props.items.map((e, i) => (
        <li key={i} class={i === props.items.length - 1 ? 'timeline-current' : undefined}>
          <span class="timeline-dot" aria-hidden="true" />
          <p class="timeline-what">{hasMessage(`event.${e.type}`) ? t(`event.${e.type}`) : e.type}</p>
          <p class="timeline-when">
            <time dateTime={e.at}>{formatDateTime(e.at)}</time>
          </p>
          {e.detail && <p class="timeline-detail">{e.detail}</p>}
        </li>
      ))}
    </ol>
  );
}

export function DossierPage({ route }: RouteProps) {
  const code = route.params.code;
  const dossier = useLoad((signal) => getDossier(code, signal), [code]);
  const units = useLoad(() => getUnits(), []);
  const d = dossier.data;
  // Components reused from the data store name their holding ("holding:<id>"): its title and
  // dossier come from the citizen's store (an officer filing for them sees the id alone).
  const citizen = isCitizen(useSession());
  const reuses = !!d?.components.some((c) => reusedHoldingId(c.reused_from));
  const holdings = useLoad(
    (signal) => (citizen && reuses ? listMyHoldings(signal).catch(() => [] as Holding[]) : Promise.resolve([] as Holding[])),
    [citizen, reuses],
  );
  if (dossier.error && !d) {
    return (
      <>
        <PageTitle>{t('dossier.title')}</PageTitle>
        <ErrorBox error={dossier.error} onRetry={dossier.reload} />
        <p>
          <a href={href('/ho-so-cua-toi')}>{t('nav.mine')}</a>
        </p>
      </>
    );
  }
  if (!d) return <Loading />;
  const u = units.data;
  const openSupplement = d.state === 'supplement_requested' ? d.supplements[d.supplements.length - 1] : undefined;
  const lang = getLang();

  return (
    <>
      <p class="breadcrumb">
        <a href={href('/ho-so-cua-toi')}>{t('nav.mine')}</a> <span aria-hidden="true">›</span>{' '}
        <span class="code">{d.code}</span>
      </p>
      <PageTitle sub={t('dossier.code', { code: d.code })}>{d.procedure_name}</PageTitle>
      <p>
        <StateBadge state={d.state} />{' '}
        {d.overdue.overdue && <span class="badge badge-bad">{t('mine.overdue')}</span>}
      </p>

      <PaymentOutcome outcome={gatewayOutcome(route.query)} />
      {openSupplement && (
        <Alert kind="warning" title={t('dossier.supplement.title')}>
          <p>{openSupplement.reason}</p>
          {openSupplement.items.length > 0 && (
            <ul>
              {openSupplement.items.map((x) => (
                <li key={x}>{x}</li>
              ))}
            </ul>
          )}
        </Alert>
      )}
      {d.apology && (
        <Alert kind="info" title={t('dossier.apology.title')}>
          <p>{t('timeline.newDue', { date: formatDateTime(d.apology.new_due) })}</p>
          <p>{d.apology.reason}</p>
        </Alert>
      )}

      <section class="card" aria-labelledby="d-facts">
        <h2 id="d-facts">{t('dossier.facts')}</h2>
        <dl class="facts">
          <Row label={t('dossier.state')}>{t(`state.${d.state}`)}</Row>
          <Row label={t('receipt.due')}>
            <strong data-testid="dossier-due">{d.due_at ? formatDateTime(d.due_at) : t('receipt.due.pending')}</strong>
          </Row>
          {d.due_at && !['returned', 'withdrawn', 'cancelled', 'refused'].includes(d.state) && (
            <Row label={d.overdue.overdue ? t('dossier.late') : t('dossier.remaining')}>
              {(lang === 'en' ? d.overdue.display_en : d.overdue.display_vi) +
                (d.overdue.paused ? ` (${t('dossier.paused')})` : '')}
            </Row>
          )}
          <Row label={t('receipt.lookupKey')}>{d.lookup_key ? <span class="code">{d.lookup_key}</span> : ''}</Row>
          <Row label={t('receipt.channel')}>{t(`channel.${d.channel}`)}</Row>
          <Row label={t('receipt.submittedAt')}>{formatDateTime(d.submitted_at)}</Row>
          <Row label={t('dossier.receivedAt')}>{formatDateTime(d.received_at)}</Row>
          <Row label={t('dossier.returnedAt')}>{formatDateTime(d.returned_at)}</Row>
          <Row label={t('receipt.unit')}>{unitName(d.receiving_unit, u)}</Row>
          <Row label={t('receipt.applicant')}>{d.applicant.name}</Row>
          <Row label={t('dossier.result')}>{d.result_name}</Row>
          <Row label={t('dossier.reason')}>{d.outcome_reason}</Row>
        </dl>
      </section>

      <PaymentPanel code={d.code} payment={d.payment} citizen />

      {d.result_document && <ResultDocumentSection dossierCode={d.code} doc={d.result_document} />}

      <section class="card" aria-labelledby="d-docs">
        <h2 id="d-docs">{t('receipt.components')}</h2>
        <ul class="plain-list">
          {d.components.map((c) => (
            <li key={c.code}>
              <span class={c.provided ? '' : 'muted'}>{c.name}</span>{' '}
              {!c.provided && <span class="muted">({t('dossier.notProvided')})</span>}
              {c.reused_from &&
                (reusedHoldingId(c.reused_from) ? (
                  <p class="muted reuse-note" data-testid="reused-from">
                    {reuseText(c.reused_from, holdings.data)}
                  </p>
                ) : (
                  <span class="muted"> — {t('receipt.reused')}</span>
                ))}
              {c.files && c.files.length > 0 && (
                <ul>
                  {c.files.map((f) => (
                    <li key={f.id}>
                      <a href={fileUrl(d.code, f.id)} download={f.name}>
                        {f.name}
                      </a>{' '}
                      <span class="muted">({formatSize(f.size, lang)})</span>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      </section>

      <section class="card" aria-labelledby="d-time">
        <h2 id="d-time">{t('dossier.timeline')}</h2>
        <Timeline
          items={(d.history ?? []).map((e) => ({ at: e.at, type: e.type, detail: eventDetail(e, d, u) }))}
        />
      </section>

      {openSupplement && <SupplementForm d={d} onDone={dossier.setData} />}
      {d.state === 'returned' && <RatingBox d={d} onDone={dossier.setData} />}
      {WITHDRAWABLE.has(d.state) && <WithdrawForm d={d} onDone={dossier.setData} />}
    </>
  );
}

function reloadFull(code: string, onDone: (d: Dossier) => void, fallback: Dossier) {
  // Action responses carry the document without history: fetch the full one for the timeline.
  getDossier(code).then(onDone, () => onDone(fallback));
}

function SupplementForm(props: { d: Dossier; onDone: (d: Dossier) => void }) {
  const { d } = props;
  const [files, setFiles] = useState<Record<string, FileRef[]>>({});
  const [uploading, setUploading] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function send(ev: Event) {
    ev.preventDefault();
    const components = Object.entries(files)
      .filter(([, fs]) => fs.length > 0)
      .map(([code, fs]) => ({ code, files: fs.map((f) => f.id) }));
    if (components.length === 0) {
      setError(t('dossier.supplement.none'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await dossierAction(d.code, 'supplement', { components });
      reloadFull(d.code, props.onDone, r);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="card" aria-labelledby="d-supp">
      <h2 id="d-supp">{t('dossier.supplement.form')}</h2>
      <form onSubmit={send} noValidate>
        <p class="hint">{t('dossier.supplement.hint')}</p>
        {d.components.map((c) => (
          <div class="component" key={c.code}>
            <h3 class="component-name">{c.name}</h3>
            <FileInput
              id={`supp-${c.code}`}
              label={c.name}
              files={files[c.code] ?? []}
              disabled={busy}
              onBusy={(b) => setUploading((n) => n + (b ? 1 : -1))}
              onChange={(fs) => setFiles((cur) => ({ ...cur, [c.code]: fs }))}
            />
          </div>
        ))}
        {error && <Alert kind="error">{error}</Alert>}
        <div class="actions">
          <button type="submit" class="btn btn-primary" disabled={busy || uploading > 0}>
            {t('dossier.supplement.send')}
          </button>
        </div>
      </form>
    </section>
  );
}

function WithdrawForm(props: { d: Dossier; onDone: (d: Dossier) => void }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function send(ev: Event) {
    ev.preventDefault();
    if (!reason.trim()) {
      setError(t('dossier.withdraw.reasonRequired'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await dossierAction(props.d.code, 'withdraw', { reason: reason.trim() });
      reloadFull(props.d.code, props.onDone, r);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="card" aria-labelledby="d-withdraw">
      <h2 id="d-withdraw">{t('dossier.withdraw.title')}</h2>
      {!open ? (
        <button type="button" class="btn btn-danger" aria-expanded="false" onClick={() => setOpen(true)}>
          {t('dossier.withdraw.open')}
        </button>
      ) : (
        <form onSubmit={send} noValidate>
          <p>{t('dossier.withdraw.warning')}</p>
          <Field label={t('dossier.withdraw.reason')} required error={error}>
            {(c) => (
              <textarea {...c} value={reason} maxLength={2000} onInput={(e) => setReason(e.currentTarget.value)} />
            )}
          </Field>
          <div class="actions">
            <button type="submit" class="btn btn-danger" disabled={busy}>
              {t('dossier.withdraw.confirm')}
            </button>
            <button type="button" class="btn btn-secondary" onClick={() => setOpen(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

function RatingBox(props: { d: Dossier; onDone: (d: Dossier) => void }) {
  const [value, setValue] = useState('');
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const rated = props.d.rating;

  if (rated) {
    return (
      <section class="card" aria-labelledby="d-rate">
        <h2 id="d-rate">{t('dossier.rating.title')}</h2>
        <p data-testid="rating-done">
          {t('dossier.rating.done', { value: t(`rating.${rated.value}`), date: formatDateTime(rated.at) })}
        </p>
        {rated.comment && <p class="muted">{rated.comment}</p>}
      </section>
    );
  }

  async function send(ev: Event) {
    ev.preventDefault();
    if (!value) {
      setError(t('dossier.rating.choose'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const body: Record<string, string> = { rating: value };
      if (comment.trim()) body.comment = comment.trim();
      const r = await dossierAction(props.d.code, 'rating', body);
      reloadFull(props.d.code, props.onDone, r);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="card" aria-labelledby="d-rate">
      <h2 id="d-rate">{t('dossier.rating.title')}</h2>
      <form onSubmit={send} noValidate>
        <fieldset>
          <legend>{t('dossier.rating.question')}</legend>
          {error && <p class="field-error" role="alert">{error}</p>}
          {RATINGS.map((r) => (
            <label class="check" key={r}>
              <input type="radio" name="rating" value={r} checked={value === r} onChange={() => setValue(r)} />
              <span>{t(`rating.${r}`)}</span>
            </label>
          ))}
        </fieldset>
        <Field label={t('dossier.rating.comment')}>
          {(c) => <textarea {...c} value={comment} maxLength={2000} onInput={(e) => setComment(e.currentTarget.value)} />}
        </Field>
        <div class="actions">
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {t('dossier.rating.send')}
          </button>
        </div>
      </form>
    </section>
  );
}
