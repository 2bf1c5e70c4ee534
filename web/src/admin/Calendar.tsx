// The working calendar of a year (GET /api/v1/calendar?year=, contract §6): public holidays,
// compensatory days off, swapped days off and the weekend days worked in exchange (make_up),
// with their official names and sources; every other Saturday and Sunday is a day off.
// A province administrator also sets or changes a day (PUT /api/v1/calendar/days/{date}) and
// clears a day set that way (DELETE …, "managed" days); entries of the official data file
// (data/calendar/overrides.json) cannot be cleared. Everyone else sees the list only.
import { useEffect, useRef, useState } from 'preact/hooks';
import { describeError } from '../core/api';
import { formatDate } from '../core/format';
import { navigate, type RouteProps } from '../core/router';
import { hasRole, ROLE, useSession } from '../core/session';
import { Alert, ErrorBox, Field, Loading, PageTitle, useLoad } from '../app/ui';
import { hasMessage, pick, t } from '../i18n';
import { todayInVietnam } from '../officer/model';
import { DateInput } from '../officer/shared/staff';
import {
  checkOverride,
  clearCalendarDay,
  getCalendar,
  OVERRIDE_KINDS,
  setCalendarDay,
  weekdayOf,
  type CalendarDay,
  type DayOverride,
  type OverrideKind,
} from './model';

const weekday = (date: string) => t(`admin.cal.wd.${weekdayOf(date)}`);

function kindLabel(kind: string): string {
  return hasMessage(`admin.cal.kind.${kind}`) ? t(`admin.cal.kind.${kind}`) : kind;
}

const worked = (d: CalendarDay) => d.working ?? (d.kind === 'make_up' || d.kind === 'swap_work');

function tone(d: CalendarDay): string {
  return worked(d) ? 'badge-warn' : d.kind === 'holiday' ? 'badge-bad' : 'badge-info';
}

const EMPTY = { date: '', kind: '', name_vi: '', name_en: '', source: '' };
type Draft = typeof EMPTY;

/** Adds or changes one day; `initial` fills it in to change a day of the list. */
function DayForm(props: { initial: Draft; editing: boolean; onSaved: (d: DayOverride) => void; onCancel: () => void }) {
  const [draft, setDraft] = useState<Draft>(props.initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const set = (k: keyof Draft) => (v: string) => setDraft((d) => ({ ...d, [k]: v }));

  useEffect(() => {
    if (!props.editing) return;
    formRef.current?.scrollIntoView({ block: 'start' });
    formRef.current?.querySelector<HTMLElement>('input[name=date]')?.focus();
  }, [props.editing]);

  async function submit(ev: Event) {
    ev.preventDefault();
    const problems = checkOverride(draft);
    const e: Record<string, string> = {};
    for (const [field, p] of Object.entries(problems)) e[field] = t(p.key, p.params);
    setErrors(e);
    if (Object.keys(e).length) {
      setError(t('validate.summary', { n: Object.keys(e).length }));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const saved = await setCalendarDay({
        date: draft.date,
        kind: draft.kind as OverrideKind,
        name_vi: draft.name_vi.trim(),
        name_en: draft.name_en.trim(),
        source: draft.source.trim(),
      });
      setDraft(EMPTY);
      props.onSaved(saved);
    } catch (err) {
      // The server's own sentence (calendar.bad_override, auth.forbidden…), as it comes.
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form ref={formRef} class="inline-form cal-form" onSubmit={submit} noValidate aria-labelledby="cal-form-h">
      <h2 id="cal-form-h">{t(props.editing ? 'admin.cal.form.titleEdit' : 'admin.cal.form.title')}</h2>
      {error && <Alert kind="error">{error}</Alert>}
      <div class="cal-form-grid">
        <Field label={t('admin.cal.form.date')} hint={t('admin.cal.form.date.hint')} required error={errors.date}>
          {(p) => <DateInput {...p} name="date" value={draft.date} onChange={set('date')} />}
        </Field>
        <Field
          label={t('admin.cal.form.kind')}
          hint={hasMessage(`admin.cal.form.rule.${draft.kind}`) ? t(`admin.cal.form.rule.${draft.kind}`) : undefined}
          required
          error={errors.kind}
        >
          {(p) => (
            <select {...p} name="kind" value={draft.kind} onChange={(e) => set('kind')(e.currentTarget.value)}>
              <option value="">{t('admin.cal.form.kind.placeholder')}</option>
              {OVERRIDE_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`admin.cal.form.kind.${k}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('admin.cal.form.nameVi')} required error={errors.name_vi}>
          {(p) => (
            <input {...p} name="name_vi" lang="vi" autoComplete="off" value={draft.name_vi} onInput={(e) => set('name_vi')(e.currentTarget.value)} />
          )}
        </Field>
        <Field label={t('admin.cal.form.nameEn')} required error={errors.name_en}>
          {(p) => (
            <input {...p} name="name_en" lang="en" autoComplete="off" value={draft.name_en} onInput={(e) => set('name_en')(e.currentTarget.value)} />
          )}
        </Field>
      </div>
      <Field label={t('admin.cal.form.source')} hint={t('admin.cal.form.source.hint')} required error={errors.source}>
        {(p) => <textarea {...p} name="source" rows={2} value={draft.source} onInput={(e) => set('source')(e.currentTarget.value)} />}
      </Field>
      <div class="actions">
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {t('admin.cal.form.submit')}
        </button>
        {props.editing && (
          <button type="button" class="btn btn-secondary" onClick={props.onCancel}>
            {t('common.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}

/** Asks before clearing a day set through the API. */
function ClearConfirm(props: { day: CalendarDay; onDone: (cleared: boolean) => void; onCancel: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => confirmRef.current?.focus(), []);
  const d = props.day;

  async function clear() {
    setBusy(true);
    setError(null);
    try {
      const r = await clearCalendarDay(d.date);
      props.onDone(r.cleared);
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  }

  return (
    <div class="inline-form" role="group" aria-labelledby="cal-clear-h" data-testid="calendar-clear">
      <h2 id="cal-clear-h">{t('admin.cal.clear.title', { date: formatDate(d.date), name: pick(d.name_vi, d.name_en) })}</h2>
      <p>{t('admin.cal.clear.body')}</p>
      {error && <Alert kind="error">{error}</Alert>}
      <div class="actions">
        <button ref={confirmRef} type="button" class="btn btn-danger" disabled={busy} onClick={clear}>
          {t('admin.cal.clear.confirm')}
        </button>
        <button type="button" class="btn btn-secondary" onClick={props.onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </div>
  );
}

export function CalendarPage({ route }: RouteProps) {
  const session = useSession();
  const canEdit = hasRole(session, ROLE.provinceAdmin);
  const thisYear = Number(todayInVietnam().slice(0, 4));
  const year = /^\d{4}$/.test(route.query.year ?? '') ? Number(route.query.year) : thisYear;
  const cal = useLoad((signal) => getCalendar(year, signal), [year]);
  const [editing, setEditing] = useState<Draft | null>(null);
  const [formSeq, setFormSeq] = useState(0);
  const [clearing, setClearing] = useState<CalendarDay | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const days: CalendarDay[] = cal.data?.days ?? [];
  const byMonth = new Map<number, CalendarDay[]>();
  for (const d of days) {
    const m = Number(d.date.slice(5, 7));
    byMonth.set(m, [...(byMonth.get(m) ?? []), d]);
  }
  const workedDays = days.filter(worked).length;
  const off = days.length - workedDays;

  function saved(d: DayOverride) {
    setEditing(null);
    setFormSeq((n) => n + 1);
    setMessage(t('admin.cal.saved', { date: formatDate(d.date), kind: kindLabel(d.kind) }));
    const y = Number(d.date.slice(0, 4));
    if (y !== year) navigate('/quan-tri/lich', { year: String(y) });
    else cal.reload();
  }

  function edit(d: CalendarDay) {
    setClearing(null);
    setMessage(null);
    setFormSeq((n) => n + 1);
    setEditing({ date: d.date, kind: d.kind, name_vi: d.name_vi, name_en: d.name_en, source: d.source ?? '' });
  }

  return (
    <>
      <PageTitle sub={t('admin.cal.sub')}>{t('admin.cal.title', { year })}</PageTitle>
      <Alert kind="info">
        <p>{t(canEdit ? 'admin.cal.officialNote' : 'admin.cal.readOnly')}</p>
      </Alert>
      {message && (
        <Alert kind="success">
          <p>{message}</p>
        </Alert>
      )}
      {canEdit && (
        <DayForm
          key={formSeq}
          initial={editing ?? EMPTY}
          editing={!!editing}
          onSaved={saved}
          onCancel={() => {
            setEditing(null);
            setFormSeq((n) => n + 1);
          }}
        />
      )}
      {canEdit && clearing && (
        <ClearConfirm
          key={clearing.date}
          day={clearing}
          onCancel={() => {
            // Back to the row's own button, where the administrator was.
            const date = clearing.date;
            setClearing(null);
            document.querySelector<HTMLElement>(`tr[data-date="${date}"] [data-action=clear]`)?.focus();
          }}
          onDone={(cleared) => {
            setMessage(
              t(cleared ? 'admin.cal.cleared' : 'admin.cal.notCleared', { date: formatDate(clearing.date) }),
            );
            setClearing(null);
            cal.reload();
          }}
        />
      )}
      <nav class="toolbar" aria-label={t('admin.cal.years')}>
        <button type="button" class="btn btn-secondary btn-small" onClick={() => navigate('/quan-tri/lich', { year: String(year - 1) })}>
          {t('admin.cal.prev', { year: year - 1 })}
        </button>
        <button type="button" class="btn btn-secondary btn-small" onClick={() => navigate('/quan-tri/lich', { year: String(year + 1) })}>
          {t('admin.cal.next', { year: year + 1 })}
        </button>
      </nav>
      {cal.error ? (
        <ErrorBox error={cal.error} onRetry={cal.reload} />
      ) : !cal.data ? (
        <Loading />
      ) : days.length === 0 ? (
        <p>{t('admin.cal.empty', { year })}</p>
      ) : (
        <>
          <p data-testid="calendar-summary">{t('admin.cal.summary', { off, worked: workedDays })}</p>
          {[...byMonth.entries()]
            .sort((a, b) => a[0] - b[0])
            .map(([m, list]) => (
              <section key={m} aria-labelledby={`m-${m}`}>
                <h2 id={`m-${m}`}>{t('admin.cal.month', { month: m, year })}</h2>
                <table class="data calendar">
                  <thead>
                    <tr>
                      <th scope="col">{t('admin.cal.date')}</th>
                      <th scope="col">{t('admin.cal.weekday')}</th>
                      <th scope="col">{t('admin.cal.kind')}</th>
                      <th scope="col">{t('admin.cal.name')}</th>
                      {canEdit && <th scope="col">{t('admin.cal.actions')}</th>}
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((d) => (
                      <tr key={d.date} data-date={d.date} data-managed={d.managed ? 'true' : undefined}>
                        <td class="nowrap">{formatDate(d.date)}</td>
                        <td>{weekday(d.date)}</td>
                        <td>
                          <span class={`badge ${tone(d)}`}>{kindLabel(d.kind)}</span>
                        </td>
                        <td>
                          {pick(d.name_vi, d.name_en)}
                          {d.managed && (
                            <>
                              {' '}
                              <span class="badge badge-muted">{t('admin.cal.managed')}</span>
                            </>
                          )}
                          {d.source && <div class="muted cal-source">{t('admin.cal.source', { source: d.source })}</div>}
                        </td>
                        {canEdit && (
                          <td>
                            {d.managed && (
                              <div class="row-actions">
                                <button type="button" class="btn btn-link" onClick={() => edit(d)}>
                                  {t('admin.cal.edit')}
                                  <span class="visually-hidden"> {formatDate(d.date)}</span>
                                </button>
                                <button
                                  type="button"
                                  class="btn btn-link"
                                  data-action="clear"
                                  onClick={() => {
                                    setMessage(null);
                                    setClearing(d);
                                  }}
                                >
                                  {t('admin.cal.clear')}
                                  <span class="visually-hidden"> {formatDate(d.date)}</span>
                                </button>
                              </div>
                            )}
                          </td>
                        )}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
            ))}
        </>
      )}
    </>
  );
}
