// The procedure catalogue and its fees, read-only (GET /api/v1/procedures[/code]); editing the
// catalogue arrives with issue #10, and the page says so.
import { useState } from 'preact/hooks';
import { formatMoney, formatTimeLimit, matchesQuery } from '../core/format';
import { href, type RouteProps } from '../core/router';
import { getProcedure, getProcedures, type Fee } from '../portal/model';
import { Alert, ErrorBox, Field, Loading, PageTitle, Row, useLoad } from '../app/ui';
import { hasMessage, pick, t } from '../i18n';
import { roleLabel } from '../officer/shared/staff';

function label(prefix: string, key: string | null | undefined): string {
  if (!key) return '';
  return hasMessage(`${prefix}.${key}`) ? t(`${prefix}.${key}`) : key;
}

function feesText(fees: Fee[]): string {
  if (fees.length === 0) return t('common.free');
  return fees
    .map((f) => (f.condition ? t('admin.proc.feeIf', { amount: formatMoney(f.amount) }) : formatMoney(f.amount)))
    .join('; ');
}

function ReadOnlyNote() {
  return (
    <Alert kind="info">
      <p>{t('admin.proc.readOnly')}</p>
    </Alert>
  );
}

export function ProceduresPage(_: RouteProps) {
  const list = useLoad(() => getProcedures(), []);
  const [filter, setFilter] = useState('');
  const items = (list.data ?? []).filter((p) => matchesQuery(filter, p.name, p.name_en, p.code));
  return (
    <>
      <PageTitle sub={t('admin.proc.sub')}>{t('admin.proc.title')}</PageTitle>
      <ReadOnlyNote />
      <div class="toolbar">
        <Field label={t('admin.proc.filter')}>
          {(p) => <input {...p} type="search" name="filter" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />}
        </Field>
      </div>
      {list.error ? (
        <ErrorBox error={list.error} onRetry={list.reload} />
      ) : !list.data ? (
        <Loading />
      ) : (
        <>
          <p>{t('admin.proc.count', { n: items.length, total: list.data.length })}</p>
          <table class="data">
            <caption class="visually-hidden">{t('admin.proc.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('admin.proc.code')}</th>
                <th scope="col">{t('admin.proc.name')}</th>
                <th scope="col">{t('admin.proc.field')}</th>
                <th scope="col">{t('admin.proc.level')}</th>
                <th scope="col">{t('admin.proc.timeLimit')}</th>
                <th scope="col">{t('admin.proc.online')}</th>
                <th scope="col">{t('admin.proc.fees')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((p) => (
                <tr key={p.code}>
                  <td class="nowrap">
                    <a href={href('/quan-tri/thu-tuc/' + encodeURIComponent(p.code))}>{p.code}</a>
                  </td>
                  <td>{pick(p.name, p.name_en)}</td>
                  <td>{label('field', p.field)}</td>
                  <td>{label('level', p.competent_level)}</td>
                  <td>{formatTimeLimit(p.time_limit)}</td>
                  <td>{label('online', p.online_level)}</td>
                  <td>{feesText(p.fees)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}

export function ProcedurePage({ route }: RouteProps) {
  const code = route.params.code;
  const p = useLoad(() => getProcedure(code), [code]);
  if (p.error) {
    return (
      <>
        <PageTitle>{code}</PageTitle>
        <ErrorBox error={p.error} onRetry={p.reload} />
      </>
    );
  }
  if (!p.data) return <Loading />;
  const d = p.data;
  return (
    <>
      <p class="breadcrumb">
        <a href={href('/quan-tri/thu-tuc')}>{t('admin.proc.back')}</a>
      </p>
      <PageTitle sub={d.code}>{pick(d.name, d.name_en)}</PageTitle>
      <ReadOnlyNote />
      <dl class="facts">
        <Row label={t('admin.proc.field')}>{label('field', d.field)}</Row>
        <Row label={t('admin.proc.level')}>{label('level', d.competent_level)}</Row>
        <Row label={t('admin.proc.timeLimit')}>{formatTimeLimit(d.time_limit)}</Row>
        <Row label={t('admin.proc.online')}>{label('online', d.online_level)}</Row>
        <Row label={t('admin.proc.result')}>{d.result ? pick(d.result.name, d.result.name_en) : ''}</Row>
      </dl>
      <h2>{t('admin.proc.fees')}</h2>
      {d.fees.length === 0 ? (
        <p>{t('common.free')}</p>
      ) : (
        <table class="data">
          <thead>
            <tr>
              <th scope="col">{t('admin.proc.feeName')}</th>
              <th scope="col">{t('admin.proc.feeKind')}</th>
              <th scope="col">{t('admin.proc.amount')}</th>
              <th scope="col">{t('admin.proc.condition')}</th>
            </tr>
          </thead>
          <tbody>
            {d.fees.map((f) => (
              <tr key={f.code}>
                <td>{pick(f.name, f.name_en)}</td>
                <td>{label('admin.feeKind', f.kind)}</td>
                <td class="nowrap">{formatMoney(f.amount)}</td>
                <td>{f.condition ? f.condition : t('admin.proc.always')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>{t('admin.proc.components')}</h2>
      <table class="data">
        <thead>
          <tr>
            <th scope="col">{t('admin.proc.code')}</th>
            <th scope="col">{t('admin.proc.document')}</th>
            <th scope="col">{t('admin.proc.required')}</th>
            <th scope="col">{t('admin.proc.copies')}</th>
            <th scope="col">{t('admin.proc.paper')}</th>
          </tr>
        </thead>
        <tbody>
          {d.components.map((c) => (
            <tr key={c.code}>
              <td>{c.code}</td>
              <td>{pick(c.name, c.name_en)}</td>
              <td>{c.required ? t('common.yes') : t('common.no')}</td>
              <td>{c.copies ?? ''}</td>
              <td>{label('paper', c.paper_type)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t('admin.proc.steps')}</h2>
      <table class="data">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">{t('admin.proc.step')}</th>
            <th scope="col">{t('admin.proc.role')}</th>
            <th scope="col">{t('admin.proc.stepUnit')}</th>
            <th scope="col">{t('admin.proc.share')}</th>
          </tr>
        </thead>
        <tbody>
          {d.steps.map((s, i) => (
            <tr key={i}>
              <td>{i + 1}</td>
              <td>{pick(s.name, s.name_en)}</td>
              <td>{roleLabel(s.role)}</td>
              <td>{label('staff.unitKind', s.unit)}</td>
              <td>{s.share !== undefined ? `${s.share}%` : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {d.legal_basis && d.legal_basis.length > 0 && (
        <>
          <h2>{t('admin.proc.legal')}</h2>
          <ul>
            {d.legal_basis.map((l, i) => (
              <li key={i}>{l}</li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
