// "Kho dữ liệu của tôi": the signed-in citizen's documents kept by the province (issue #8) —
// electronic results of returned dossiers and components digitised at reception — from
// GET /api/v1/me/holdings, each with its source, issuing unit, date, validity, the dossier it
// came from and a download of its file (GET /api/v1/me/holdings/{id}/file).
import { formatDate, formatSize } from '../core/format';
import { href, type RouteProps } from '../core/router';
import { isCitizen, useSession } from '../core/session';
import { Alert, ErrorBox, Loading, PageTitle, useLoad } from '../app/ui';
import { getLang, t } from '../i18n';
import { holdingFileUrl, isExpired, listMyHoldings, sourceText, validityText } from './holdings-model';

export function HoldingsPage(_: RouteProps) {
  const session = useSession();
  const citizen = isCitizen(session);
  const list = useLoad((signal) => (citizen ? listMyHoldings(signal) : Promise.resolve([])), [citizen]);
  const lang = getLang();

  if (!citizen) {
    return (
      <>
        <PageTitle>{t('holdings.title')}</PageTitle>
        <Alert kind="warning">{t('holdings.citizensOnly')}</Alert>
      </>
    );
  }

  const items = list.data;
  return (
    <>
      <PageTitle sub={t('holdings.sub')}>{t('holdings.title')}</PageTitle>
      {list.loading && !items && <Loading />}
      {list.error && <ErrorBox error={list.error} onRetry={list.reload} />}
      {items && items.length === 0 && (
        <p data-testid="holdings-empty">
          {t('holdings.empty')} <a href={href('/ho-so-cua-toi')}>{t('nav.mine')}</a>
        </p>
      )}
      {items && items.length > 0 && (
        <div class="table-wrap">
          <table class="data responsive" data-testid="holdings">
            <caption class="visually-hidden">{t('holdings.caption', { n: items.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('holdings.col.title')}</th>
                <th scope="col">{t('holdings.col.source')}</th>
                <th scope="col">{t('holdings.col.unit')}</th>
                <th scope="col">{t('holdings.col.issued')}</th>
                <th scope="col">{t('holdings.col.validity')}</th>
                <th scope="col">{t('holdings.col.dossier')}</th>
                <th scope="col">{t('holdings.col.file')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((h) => (
                <tr key={h.id} data-holding={h.id}>
                  <td data-label={t('holdings.col.title')}>
                    <strong>{h.title}</strong>
                  </td>
                  <td data-label={t('holdings.col.source')} data-testid="holding-source">
                    {sourceText(h.source)}
                  </td>
                  <td data-label={t('holdings.col.unit')}>{h.issuing_unit_name || h.issuing_unit}</td>
                  <td data-label={t('holdings.col.issued')} data-testid="holding-issued">
                    <time dateTime={h.issued_at}>{formatDate(h.issued_at)}</time>
                  </td>
                  <td data-label={t('holdings.col.validity')} data-testid="holding-validity">
                    {isExpired(h) ? <span class="badge badge-bad">{validityText(h)}</span> : validityText(h)}
                  </td>
                  <td data-label={t('holdings.col.dossier')}>
                    {h.dossier ? (
                      <a class="code" href={href(`/ho-so/${h.dossier}`)}>
                        {h.dossier}
                      </a>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td data-label={t('holdings.col.file')}>
                    <a href={holdingFileUrl(h.id)} download={h.file?.name || `${h.id}.pdf`} data-testid="holding-download">
                      {t('holdings.download')}
                      <span class="visually-hidden"> {h.title}</span>
                    </a>
                    {h.file?.size ? <span class="muted nowrap"> ({formatSize(h.file.size, lang)})</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
