// Home: the procedure catalogue with an accent-insensitive search (name, English name, code)
// and filters by field and by online submission. Filtering is client-side: the catalogue is small
// (tens of procedures) and comes in one request.
import { useMemo, useState } from 'preact/hooks';
import { formatMoney, formatTimeLimit, matchesQuery } from '../core/format';
import { href, type RouteProps } from '../core/router';
import { ErrorBox, Loading, PageTitle, useLoad } from '../app/ui';
import { getLang, hasMessage, pick, t } from '../i18n';
import { getProcedures, type ProcedureSummary } from './model';

export function feeSummary(p: ProcedureSummary): string {
  const always = p.fees.filter((f) => f.condition === null);
  const total = always.reduce((s, f) => s + f.amount, 0);
  const conditional = p.fees.some((f) => f.condition !== null);
  if (always.length === 0) return conditional ? t('home.fee.conditionalOnly') : t('common.free');
  return conditional ? t('home.fee.fromConditional', { amount: formatMoney(total) }) : formatMoney(total);
}

export function fieldName(key: string): string {
  return hasMessage(`field.${key}`) ? t(`field.${key}`) : key;
}

export function OnlineBadge(props: { level: string }) {
  const tone = props.level === 'full' ? 'ok' : props.level === 'partial' ? 'info' : 'muted';
  return <span class={`badge badge-${tone}`}>{t(`online.${props.level}`)}</span>;
}

function replaceQuery(q: string) {
  const target = '#/' + (q ? `?q=${encodeURIComponent(q)}` : '');
  history.replaceState(null, '', target);
}

export function HomePage({ route }: RouteProps) {
  const [query, setQuery] = useState(route.query.q ?? '');
  const [field, setField] = useState('');
  const [onlineOnly, setOnlineOnly] = useState(false);
  const procs = useLoad(() => getProcedures(), []);

  const fields = useMemo(
    () => [...new Set((procs.data ?? []).map((p) => p.field))].sort((a, b) => fieldName(a).localeCompare(fieldName(b), 'vi')),
    [procs.data],
  );
  const shown = useMemo(
    () =>
      (procs.data ?? [])
        .filter((p) => matchesQuery(query, p.name, p.name_en, p.code))
        .filter((p) => !field || p.field === field)
        .filter((p) => !onlineOnly || p.online_level !== 'none')
        .sort((a, b) => pick(a.name, a.name_en).localeCompare(pick(b.name, b.name_en), getLang())),
    [procs.data, query, field, onlineOnly, getLang()],
  );

  return (
    <>
      <PageTitle sub={t('home.sub')}>{t('home.title')}</PageTitle>
      <form class="search-form" role="search" onSubmit={(e) => e.preventDefault()}>
        <div class="field search-field">
          <label for="q">{t('home.search.label')}</label>
          <p class="hint" id="q-hint">
            {t('home.search.hint')}
          </p>
          <input
            id="q"
            name="q"
            type="search"
            aria-describedby="q-hint"
            autoComplete="off"
            value={query}
            onInput={(e) => {
              setQuery(e.currentTarget.value);
              replaceQuery(e.currentTarget.value);
            }}
          />
        </div>
        <div class="search-filters">
          <div class="field">
            <label for="field-filter">{t('home.filter.field')}</label>
            <select
              id="field-filter"
              value={field}
              onChange={(e) => setField(e.currentTarget.value)}
            >
              <option value="">{t('home.filter.allFields')}</option>
              {fields.map((f) => (
                <option value={f} key={f}>
                  {fieldName(f)}
                </option>
              ))}
            </select>
          </div>
          <label class="check">
            <input
              type="checkbox"
              checked={onlineOnly}
              onChange={(e) => setOnlineOnly(e.currentTarget.checked)}
            />
            <span>{t('home.filter.online')}</span>
          </label>
        </div>
      </form>

      {procs.loading && !procs.data && <Loading />}
      {procs.error && <ErrorBox error={procs.error} onRetry={procs.reload} />}
      {procs.data && (
        <>
          <p class="result-count" role="status" aria-live="polite" data-testid="result-count">
            {t('home.count', { n: shown.length })}
          </p>
          {shown.length === 0 ? (
            <p>{t('home.empty')}</p>
          ) : (
            <ul class="proc-list" data-testid="procedure-list">
              {shown.map((p) => (
                <li class="proc-item" key={p.code}>
                  <h2 class="proc-name">
                    <a href={href(`/thu-tuc/${p.code}`)}>{pick(p.name, p.name_en)}</a>
                  </h2>
                  <p class="proc-meta">
                    <span class="code">{p.code}</span>
                    <span aria-hidden="true"> · </span>
                    <span>{fieldName(p.field)}</span>
                    <span aria-hidden="true"> · </span>
                    <span>{t(`level.${p.competent_level}`)}</span>
                  </p>
                  <dl class="proc-facts">
                    <div>
                      <dt>{t('proc.onlineLevel')}</dt>
                      <dd>
                        <OnlineBadge level={p.online_level} />
                      </dd>
                    </div>
                    <div>
                      <dt>{t('proc.timeLimit')}</dt>
                      <dd>{formatTimeLimit(p.time_limit)}</dd>
                    </div>
                    <div>
                      <dt>{t('proc.fee')}</dt>
                      <dd>{feeSummary(p)}</dd>
                    </div>
                  </dl>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </>
  );
}
