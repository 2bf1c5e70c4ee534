// One dossier as the officer sees it (GET /api/v1/dossiers/{code}): applicant, components with
// their files, steps with due dates, supplements, consultations, transfers, the history
// timeline, and the actions the state and the officer's roles allow. Every action posts to
// /api/v1/dossiers/{code}/<action>; a refusal shows the server's message as it is.
import { useState } from 'preact/hooks';
import { formatDateTime, formatMoney, formatTimeLimit } from '../core/format';
import { href, type RouteProps } from '../core/router';
import { ROLE, useSession } from '../core/session';
import { fileUrl, stateTone } from '../portal/model';
import { ResultDocumentSection } from '../portal/ResultDocument';
import { PaymentPanel } from '../portal/Payment';
import { showPaymentPanel } from '../portal/payment-model';
import { reusedHoldingId, reuseText } from '../portal/holdings-model';
import { Alert, ErrorBox, Loading, PageTitle, Row, useLoad } from '../app/ui';
import { getLang, hasMessage, t } from '../i18n';
import {
  actorName,
  currentStep,
  getOfficerDossier,
  offeredActions,
  type ActionKey,
  type OfficerDossier,
} from './model';
import { getUnitsOn, roleLabel, unitLabel, type UnitFull } from './shared/staff';
import { ActionForm } from './Actions';
import { PaymentActions } from './PaymentActions';

function label(prefix: string, key: string): string {
  return hasMessage(`${prefix}.${key}`) ? t(`${prefix}.${key}`) : key;
}

export function actionLabel(a: ActionKey, d: OfficerDossier): string {
  if (a === 'complete-step') {
    const s = currentStep(d);
    if (s?.role === ROLE.leader) return t('officer.action.approve');
    const last = d.current_step === d.steps.length - 1;
    return last ? t('officer.action.finish') : t('officer.action.complete-step');
  }
  return t(`officer.action.${a}`);
}

export function DossierPage({ route }: RouteProps) {
  const code = route.params.code;
  const session = useSession();
  const doc = useLoad((signal) => getOfficerDossier(code, signal), [code]);
  const units = useLoad(() => getUnitsOn(), []);
  const [open, setOpen] = useState<ActionKey | null>(null);
  const [done, setDone] = useState<string | null>(null);

  if (doc.error && !doc.data) {
    return (
      <>
        <PageTitle>{t('officer.dossier.title', { code })}</PageTitle>
        <ErrorBox error={doc.error} onRetry={doc.reload} />
        <p>
          <a href={href('/can-bo')}>{t('officer.dossier.backToQueue')}</a>
        </p>
      </>
    );
  }
  if (!doc.data) return <Loading />;
  const d = doc.data;
  const u = units.data;
  const actions = offeredActions(d, session);
  const holderElsewhere = session && d.current_unit !== session.account.unit;

  return (
    <>
      <p class="breadcrumb no-print">
        <a href={href('/can-bo')}>{t('officer.dossier.backToQueue')}</a>
      </p>
      <PageTitle sub={`${d.procedure_code} · ${d.procedure_name}`}>
        {t('officer.dossier.title', { code: d.code })}
      </PageTitle>
      <p class="dossier-head">
        <span class={`badge badge-${stateTone(d.state)}`} data-testid="dossier-state">
          {t(`state.${d.state}`)}
        </span>
        {d.due_at && !['returned', 'refused', 'withdrawn', 'cancelled'].includes(d.state) && (
          <span class={d.overdue.overdue ? 't-overdue' : d.overdue.paused ? 't-paused' : ''}>
            {d.overdue.paused
              ? t('officer.time.paused', { time: overdueText(d) })
              : d.overdue.overdue
                ? t('officer.time.overdue', { time: overdueText(d) })
                : t('officer.time.remaining', { time: overdueText(d) })}
          </span>
        )}
        {d.received_at && (
          <a class="btn btn-link no-print" href={href('/can-bo/bien-nhan/' + encodeURIComponent(d.code))}>
            {t('officer.receipt.open')}
          </a>
        )}
      </p>

      <section aria-labelledby="actions-h" class="no-print">
        <h2 id="actions-h">{t('officer.dossier.actions')}</h2>
        {done && (
          <Alert kind="success">
            <p>{done}</p>
          </Alert>
        )}
        {actions.length === 0 ? (
          <p class="muted">
            {holderElsewhere
              ? t('officer.dossier.heldElsewhere', { unit: unitLabel(u, d.current_unit) })
              : t('officer.dossier.noActions')}
          </p>
        ) : (
          <div class="action-bar" role="group" aria-label={t('officer.dossier.actions')}>
            {actions.map((a) => (
              <button
                key={a}
                type="button"
                class={`btn btn-small ${a === 'refuse' || a === 'cancel' ? 'btn-danger' : open === a ? 'btn-primary' : 'btn-secondary'}`}
                aria-expanded={open === a}
                aria-controls="action-form"
                data-action={a}
                onClick={() => {
                  setDone(null);
                  setOpen(open === a ? null : a);
                }}
              >
                {actionLabel(a, d)}
              </button>
            ))}
          </div>
        )}
        {open && (
          <div id="action-form">
            <ActionForm
              key={open}
              action={open}
              dossier={d}
              units={u ?? []}
              myUnit={session?.account.unit ?? ''}
              title={actionLabel(open, d)}
              onCancel={() => setOpen(null)}
              onDone={() => {
                setDone(t('officer.action.done', { action: actionLabel(open, d) }));
                setOpen(null);
                doc.reload();
              }}
            />
          </div>
        )}
      </section>

      {d.result_document && <ResultDocumentSection dossierCode={d.code} doc={d.result_document} card={false} />}

      <PaymentPanel code={d.code} payment={d.payment} card={false}>
        <PaymentActions d={d} onDone={doc.reload} />
      </PaymentPanel>

      <div class="dossier-grid">
        <section aria-labelledby="general-h">
          <h2 id="general-h">{t('officer.dossier.general')}</h2>
          <dl class="facts">
            <Row label={t('officer.f.procedure')}>{`${d.procedure_name} (${d.procedure_code})`}</Row>
            <Row label={t('officer.f.channel')}>{label('channel', d.channel)}</Row>
            <Row label={t('officer.f.timeLimit')}>{formatTimeLimit(d.time_limit)}</Row>
            <Row label={t('officer.f.receivingUnit')}>{unitLabel(u, d.receiving_unit)}</Row>
            <Row label={t('officer.f.competentUnit')}>{unitLabel(u, d.competent_unit)}</Row>
            <Row label={t('officer.f.currentUnit')}>{unitLabel(u, d.current_unit)}</Row>
            <Row label={t('officer.f.submitted')}>{formatDateTime(d.submitted_at)}</Row>
            <Row label={t('officer.f.received')}>{formatDateTime(d.received_at)}</Row>
            <Row label={t('officer.f.due')}>{formatDateTime(d.due_at)}</Row>
            {d.apology && (
              <Row label={t('officer.f.originalDue')}>{formatDateTime(d.original_due_at)}</Row>
            )}
            <Row label={t('officer.f.finished')}>{formatDateTime(d.finished_at)}</Row>
            <Row label={t('officer.f.returned')}>{formatDateTime(d.returned_at)}</Row>
            <Row label={t('officer.f.returnChannel')}>
              {d.return_channel ? label('officer.returnChannel', d.return_channel) : ''}
            </Row>
            <Row label={t('officer.f.result')}>{d.result_name}</Row>
            <Row label={t('officer.f.outcomeReason')}>{d.outcome_reason}</Row>
            <Row label={t('officer.f.lookupKey')}>{d.lookup_key ?? ''}</Row>
            {d.rating && (
              <Row label={t('officer.f.rating')}>
                {label('rating', d.rating.value)}
                {d.rating.comment ? ` — ${d.rating.comment}` : ''}
              </Row>
            )}
          </dl>
          {d.fees.length > 0 && !showPaymentPanel(d.payment) && (
            <>
              <h3>{t('officer.dossier.fees')}</h3>
              <ul>
                {d.fees.map((f) => (
                  <li key={f.code}>
                    {f.code}: {formatMoney(f.amount)}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>

        <section aria-labelledby="applicant-h">
          <h2 id="applicant-h">{t('officer.dossier.applicant')}</h2>
          <dl class="facts">
            <Row label={t('officer.f.name')}>{d.applicant.name}</Row>
            <Row label={label('officer.idKind', d.applicant.id_kind)}>{d.applicant.id_number}</Row>
            <Row label={t('officer.f.phone')}>{d.applicant.phone}</Row>
            <Row label={t('officer.f.email')}>{d.applicant.email}</Row>
            <Row label={t('officer.f.address')}>{d.applicant.address}</Row>
            <Row label={t('officer.f.assistedBy')}>{d.assisted_by}</Row>
          </dl>
        </section>
      </div>

      <section aria-labelledby="components-h">
        <h2 id="components-h">{t('officer.dossier.components')}</h2>
        <div class="table-wrap">
          <table class="data">
            <thead>
              <tr>
                <th scope="col">{t('officer.col.component')}</th>
                <th scope="col">{t('officer.col.provided')}</th>
                <th scope="col">{t('officer.col.digitised')}</th>
                <th scope="col">{t('officer.col.files')}</th>
              </tr>
            </thead>
            <tbody>
              {d.components.map((c) => (
                <tr key={c.code}>
                  <td>
                    {c.name} <span class="muted">({c.code})</span>
                    {c.reused_from && (
                      <div class="muted" data-testid="reused-from">
                        {reusedHoldingId(c.reused_from)
                          ? reuseText(c.reused_from, undefined)
                          : t('officer.dossier.reused', { source: label('officer.source', c.reused_from) })}
                      </div>
                    )}
                  </td>
                  <td>{c.provided ? t('common.yes') : t('common.no')}</td>
                  <td>{c.digitised ? t('common.yes') : t('common.no')}</td>
                  <td>
                    {c.files && c.files.length > 0 ? (
                      <ul class="file-list">
                        {c.files.map((f) => (
                          <li key={f.id}>
                            <a href={fileUrl(d.code, f.id)} target="_blank" rel="noopener" data-file-id={f.id}>
                              {f.name}
                            </a>
                          </li>
                        ))}
                      </ul>
                    ) : (
                      <span class="muted">{t('officer.dossier.noFiles')}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <StepsSection d={d} units={u} />
      <Supplements d={d} />
      <Consultations d={d} units={u} />
      <Transfers d={d} units={u} />
      {d.apology && (
        <section aria-labelledby="apology-h">
          <h2 id="apology-h">{t('officer.dossier.apology')}</h2>
          <dl class="facts">
            <Row label={t('officer.f.at')}>{formatDateTime(d.apology.at)}</Row>
            <Row label={t('officer.f.oldDue')}>{formatDateTime(d.apology.old_due)}</Row>
            <Row label={t('officer.f.newDue')}>{formatDateTime(d.apology.new_due)}</Row>
            <Row label={t('officer.f.reason')}>{d.apology.reason}</Row>
          </dl>
        </section>
      )}
      <History d={d} units={u} />
    </>
  );
}

function overdueText(d: OfficerDossier): string {
  return getLang() === 'en' ? d.overdue.display_en : d.overdue.display_vi;
}

function StepsSection(props: { d: OfficerDossier; units?: UnitFull[] }) {
  const { d } = props;
  if (!d.steps || d.steps.length === 0) return null;
  return (
    <section aria-labelledby="steps-h">
      <h2 id="steps-h">{t('officer.dossier.steps')}</h2>
      <div class="table-wrap">
        <table class="data">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t('officer.col.step')}</th>
              <th scope="col">{t('officer.col.role')}</th>
              <th scope="col">{t('officer.col.unit')}</th>
              <th scope="col">{t('officer.col.stepDue')}</th>
              <th scope="col">{t('officer.col.completed')}</th>
            </tr>
          </thead>
          <tbody>
            {d.steps.map((s, i) => (
              <tr key={i} class={i === d.current_step ? 'step-current' : undefined}>
                <td>{i + 1}</td>
                <td>
                  {s.name}
                  {i === d.current_step && (
                    <>
                      {' '}
                      <span class="badge badge-info">{t('officer.dossier.currentStep')}</span>
                    </>
                  )}
                </td>
                <td>{roleLabel(s.role)}</td>
                <td>{s.unit ? unitLabel(props.units, s.unit) : label('staff.unitKind', s.unit_kind)}</td>
                <td class="nowrap">{formatDateTime(s.due_at) || '—'}</td>
                <td>
                  {s.completed_at ? (
                    <>
                      {formatDateTime(s.completed_at)}
                      <div class="muted">{actorName(s.completed_by)}</div>
                      {s.late_minutes > 0 && <div class="t-overdue">{t('officer.dossier.stepLate')}</div>}
                    </>
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Supplements(props: { d: OfficerDossier }) {
  const list = props.d.supplements ?? [];
  if (list.length === 0) return null;
  return (
    <section aria-labelledby="supp-h">
      <h2 id="supp-h">{t('officer.dossier.supplements')}</h2>
      <ul>
        {list.map((s) => (
          <li key={s.round}>
            <p>
              {t('officer.dossier.supplementRound', { round: s.round, at: formatDateTime(s.requested_at) })}
              {' — '}
              {s.reason}
            </p>
            {s.items.length > 0 && (
              <ul>
                {s.items.map((it, i) => (
                  <li key={i}>{it}</li>
                ))}
              </ul>
            )}
            <p class="muted">
              {s.provided_at
                ? t('officer.dossier.supplementProvided', { at: formatDateTime(s.provided_at) })
                : t('officer.dossier.supplementWaiting')}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Consultations(props: { d: OfficerDossier; units?: UnitFull[] }) {
  const list = props.d.consultations ?? [];
  if (list.length === 0) return null;
  return (
    <section aria-labelledby="cons-h">
      <h2 id="cons-h">{t('officer.dossier.consultations')}</h2>
      <ul>
        {list.map((c, i) => (
          <li key={i}>
            <p>
              <strong>{unitLabel(props.units, c.unit)}</strong> — {formatDateTime(c.requested_at)}
            </p>
            <p>
              {t('officer.dossier.question')}: {c.question}
            </p>
            <p>
              {c.answered_at
                ? `${t('officer.dossier.answer')} (${formatDateTime(c.answered_at)}): ${c.answer}`
                : t('officer.dossier.awaitingAnswer')}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Transfers(props: { d: OfficerDossier; units?: UnitFull[] }) {
  const list = props.d.transfers ?? [];
  if (list.length === 0) return null;
  return (
    <section aria-labelledby="tr-h">
      <h2 id="tr-h">{t('officer.dossier.transfers')}</h2>
      <ul>
        {list.map((x, i) => (
          <li key={i}>
            {t('officer.dossier.transferLine', {
              at: formatDateTime(x.at),
              from: unitLabel(props.units, x.from_unit),
              to: unitLabel(props.units, x.to_unit),
            })}
            {x.competent && ` (${t('officer.dossier.transferCompetent')})`} — {x.reason}
          </li>
        ))}
      </ul>
    </section>
  );
}

function History(props: { d: OfficerDossier; units?: UnitFull[] }) {
  const events = props.d.history ?? [];
  if (events.length === 0) return null;
  return (
    <section aria-labelledby="hist-h">
      <h2 id="hist-h">{t('officer.dossier.history')}</h2>
      <ol class="timeline">
        {events.map((e) => (
          <li key={e.seq}>
            <span class="when">{formatDateTime(e.at)}</span>
            <strong>{label('event', e.type)}</strong>
            <span class="muted">
              {' '}
              · {unitLabel(props.units, e.unit)} · {actorName(e.actor)}
            </span>
            {historyDetail(e.payload)}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The human part of an event's payload: its reason, note, question or answer. */
function historyDetail(p: Record<string, unknown>) {
  const text = ['reason', 'note', 'question', 'answer', 'comment']
    .map((k) => p[k])
    .find((v) => typeof v === 'string' && v.trim() !== '') as string | undefined;
  return text ? <div>{text}</div> : null;
}

