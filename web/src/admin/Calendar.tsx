// The working calendar of a year (GET /api/v1/calendar?year=, contract §6): public holidays,
// compensatory days off, swapped days off and the weekend days worked in exchange (make_up),
// with their
// official names; every other Saturday and Sunday is a day off. Read-only: the API has no way
// to change overrides yet (they are data/calendar/overrides.json), and the page says so.
import { formatDate } from '../core/format';
import { navigate, type RouteProps } from '../core/router';
import { Alert, ErrorBox, Loading, PageTitle, useLoad } from '../app/ui';
import { hasMessage, pick, t } from '../i18n';
import { todayInVietnam } from '../officer/model';
import { getCalendar, type CalendarDay } from './model';

function weekday(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const w = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return t(`admin.cal.wd.${w}`);
}

function kindLabel(kind: string): string {
  return hasMessage(`admin.cal.kind.${kind}`) ? t(`admin.cal.kind.${kind}`) : kind;
}

const worked = (d: CalendarDay) => d.working ?? (d.kind === 'make_up' || d.kind === 'swap_work');

function tone(d: CalendarDay): string {
  return worked(d) ? 'badge-warn' : d.kind === 'holiday' ? 'badge-bad' : 'badge-info';
}

export function CalendarPage({ route }: RouteProps) {
  const thisYear = Number(todayInVietnam().slice(0, 4));
  const year = /^\d{4}$/.test(route.query.year ?? '') ? Number(route.query.year) : thisYear;
  const cal = useLoad((signal) => getCalendar(year, signal), [year]);
  const days: CalendarDay[] = cal.data?.days ?? [];
  const byMonth = new Map<number, CalendarDay[]>();
  for (const d of days) {
    const m = Number(d.date.slice(5, 7));
    byMonth.set(m, [...(byMonth.get(m) ?? []), d]);
  }
  const workedDays = days.filter(worked).length;
  const off = days.length - workedDays;

  return (
    <>
      <PageTitle sub={t('admin.cal.sub')}>{t('admin.cal.title', { year })}</PageTitle>
      <Alert kind="info">
        <p>{t('admin.cal.readOnly')}</p>
      </Alert>
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
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((d) => (
                      <tr key={d.date} data-date={d.date}>
                        <td class="nowrap">{formatDate(d.date)}</td>
                        <td>{weekday(d.date)}</td>
                        <td>
                          <span class={`badge ${tone(d)}`}>{kindLabel(d.kind)}</span>
                        </td>
                        <td>{pick(d.name_vi, d.name_en)}</td>
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
