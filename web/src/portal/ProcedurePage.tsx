// One procedure of the catalogue: time limit, fees, the documents to prepare, where to submit,
// how it is processed, the legal basis, and the button to submit online.
import { formatMoney, formatTimeLimit } from '../core/format';
import { href, type RouteProps } from '../core/router';
import { ErrorBox, Loading, PageTitle, Row, useLoad } from '../app/ui';
import { hasMessage, pick, t } from '../i18n';
import { fieldName, OnlineBadge } from './Home';
import { getProcedure, getUnits, type Procedure, type Unit } from './model';

export function whereToSubmit(p: Procedure, units: Unit[] | undefined): string {
  const centre = units?.find((u) => u.level === 'pasc');
  const centreName = centre ? pick(centre.name, centre.name_en) : t('proc.where.centreGeneric');
  if (p.competent_level === 'commune') return t('proc.where.commune', { centre: centreName });
  return t('proc.where.province', { centre: centreName });
}

export function ProcedurePage({ route }: RouteProps) {
  const code = route.params.code;
  const proc = useLoad(() => getProcedure(code), [code]);
  const units = useLoad(() => getUnits(), []);
  const p = proc.data;

  if (proc.error) {
    return (
      <>
        <PageTitle>{t('proc.title')}</PageTitle>
        <ErrorBox error={proc.error} onRetry={proc.reload} />
        <p>
          <a href={href('/')}>{t('proc.backToList')}</a>
        </p>
      </>
    );
  }
  if (!p) return <Loading />;

  const canOnline = p.online_level !== 'none';
  return (
    <>
      <p class="breadcrumb">
        <a href={href('/')}>{t('nav.home')}</a> <span aria-hidden="true">›</span>{' '}
        <span class="code">{p.code}</span>
      </p>
      <PageTitle sub={t('proc.code', { code: p.code })}>
        {pick(p.name, p.name_en)}
      </PageTitle>

      <div class="proc-cta card">
        <p>
          <OnlineBadge level={p.online_level} />
        </p>
        {canOnline ? (
          <>
            <p>{t(p.online_level === 'full' ? 'proc.cta.full' : 'proc.cta.partial')}</p>
            <a class="btn btn-primary" href={href(`/thu-tuc/${p.code}/nop`)} data-testid="submit-online">
              {t('proc.submitOnline')}
            </a>
          </>
        ) : (
          <p>{t('proc.cta.none')}</p>
        )}
      </div>

      <section aria-labelledby="s-summary" class="card">
        <h2 id="s-summary">{t('proc.summary')}</h2>
        <dl class="facts">
          <Row label={t('proc.field')}>{fieldName(p.field)}</Row>
          <Row label={t('proc.level')}>{t(`level.${p.competent_level}`)}</Row>
          <Row label={t('proc.timeLimit')}>{formatTimeLimit(p.time_limit)}</Row>
          <Row label={t('proc.where')}>{whereToSubmit(p, units.data)}</Row>
          <Row label={t('proc.result')}>{p.result ? pick(p.result.name, p.result.name_en) : ''}</Row>
        </dl>
      </section>

      <section aria-labelledby="s-fees" class="card">
        <h2 id="s-fees">{t('proc.fees')}</h2>
        {p.fees.length === 0 ? (
          <p>{t('proc.fees.none')}</p>
        ) : (
          <ul class="plain-list">
            {p.fees.map((f) => (
              <li key={f.code}>
                <span class="money">
                  <strong>{formatMoney(f.amount)}</strong>
                </span>{' '}
                — {pick(f.name, f.name_en)}
                {f.condition && (
                  <span class="muted">
                    {' '}
                    ({hasMessage(`condition.${f.condition}`) ? t(`condition.${f.condition}`) : t('proc.fees.conditional')})
                  </span>
                )}
              </li>
            ))}
          </ul>
        )}
        {p.exemptions && p.exemptions.length > 0 && <p class="muted">{t('proc.fees.exemptions')}</p>}
      </section>

      <section aria-labelledby="s-components" class="card">
        <h2 id="s-components">{t('proc.components')}</h2>
        <div class="table-wrap">
          <table class="data">
            <caption class="visually-hidden">{t('proc.components')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('proc.components.name')}</th>
                <th scope="col">{t('proc.components.kind')}</th>
                <th scope="col">{t('proc.components.required')}</th>
              </tr>
            </thead>
            <tbody>
              {p.components.map((c) => (
                <tr key={c.code}>
                  <td>{pick(c.name, c.name_en)}</td>
                  <td>
                    {c.paper_type && hasMessage(`paper.${c.paper_type}`) ? t(`paper.${c.paper_type}`) : ''}
                    {c.copies ? ` × ${c.copies}` : ''}
                  </td>
                  <td>
                    {c.required ? (
                      <span class="badge badge-warn">{t('common.required')}</span>
                    ) : (
                      <span class="badge badge-muted">{t('common.optional')}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      {p.steps && p.steps.length > 0 && (
        <section aria-labelledby="s-steps" class="card">
          <h2 id="s-steps">{t('proc.steps')}</h2>
          <ol>
            {p.steps.map((s) => (
              <li key={s.code}>{pick(s.name, s.name_en)}</li>
            ))}
          </ol>
        </section>
      )}

      {p.legal_basis && p.legal_basis.length > 0 && (
        <section aria-labelledby="s-legal" class="card">
          <h2 id="s-legal">{t('proc.legal')}</h2>
          <ul>
            {p.legal_basis.map((l) => (
              <li key={l}>{l}</li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
