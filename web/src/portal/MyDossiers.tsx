// "Hồ sơ của tôi": the signed-in person's drafts and dossiers (GET /api/v1/drafts and
// GET /api/v1/dossiers, which the server narrows to the citizen's own), newest first, by pages.
import { useState } from 'preact/hooks';
import { api } from '../core/api';
import { formatDate, formatDateTime } from '../core/format';
import { href, type RouteProps } from '../core/router';
import { ErrorBox, Loading, PageTitle, useLoad } from '../app/ui';
import { pick, t } from '../i18n';
import { getProcedures, listDrafts, stateTone, type DossierPage, type Draft } from './model';

const PAGE = 20;

export function StateBadge(props: { state: string }) {
  return <span class={`badge badge-${stateTone(props.state)}`}>{t(`state.${props.state}`)}</span>;
}

export function MyDossiersPage({ route }: RouteProps) {
  const offset = Math.max(0, Number(route.query.offset ?? 0) || 0);
  const page = useLoad(
    (signal) => api<DossierPage>('/api/v1/dossiers', { query: { limit: PAGE, offset }, signal }),
    [offset],
  );
  const drafts = useLoad(
    () => Promise.all([listDrafts().catch(() => [] as Draft[]), getProcedures().catch(() => [])]),
    [],
  );
  const [, setTick] = useState(0);

  return (
    <>
      <PageTitle sub={t('mine.sub')}>{t('mine.title')}</PageTitle>

      {drafts.data && drafts.data[0].length > 0 && (
        <section aria-labelledby="drafts-h" class="card">
          <h2 id="drafts-h">{t('mine.drafts')}</h2>
          <ul class="plain-list" data-testid="draft-list">
            {drafts.data[0].map((d) => {
              const p = drafts.data![1].find((x) => x.code === d.procedure_code);
              return (
                <li key={d.procedure_code}>
                  <a href={href(`/thu-tuc/${d.procedure_code}/nop`)}>
                    {p ? pick(p.name, p.name_en) : d.procedure_code}
                  </a>{' '}
                  <span class="muted">{t('mine.draftSaved', { time: formatDateTime(d.saved_at) })}</span>
                </li>
              );
            })}
          </ul>
        </section>
      )}

      <section aria-labelledby="dossiers-h">
        <h2 id="dossiers-h">{t('mine.dossiers')}</h2>
        {page.loading && !page.data && <Loading />}
        {page.error && <ErrorBox error={page.error} onRetry={() => { page.reload(); setTick((n) => n + 1); }} />}
        {page.data && page.data.items.length === 0 && offset === 0 && (
          <p>
            {t('mine.empty')} <a href={href('/')}>{t('mine.findProcedure')}</a>
          </p>
        )}
        {page.data && page.data.items.length > 0 && (
          <div class="table-wrap">
            <table class="data responsive" data-testid="my-dossiers">
              <caption class="visually-hidden">{t('mine.dossiers')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('mine.col.code')}</th>
                  <th scope="col">{t('mine.col.procedure')}</th>
                  <th scope="col">{t('mine.col.state')}</th>
                  <th scope="col">{t('mine.col.submitted')}</th>
                  <th scope="col">{t('mine.col.due')}</th>
                </tr>
              </thead>
              <tbody>
                {page.data.items.map((d) => (
                  <tr key={d.code}>
                    <td data-label={t('mine.col.code')}>
                      <a class="code" href={href(`/ho-so/${d.code}`)}>
                        {d.code}
                      </a>
                    </td>
                    <td data-label={t('mine.col.procedure')}>{d.procedure_name}</td>
                    <td data-label={t('mine.col.state')}>
                      <StateBadge state={d.state} />
                      {d.overdue.overdue && <span class="badge badge-bad">{t('mine.overdue')}</span>}
                    </td>
                    <td data-label={t('mine.col.submitted')}>{formatDate(d.submitted_at)}</td>
                    <td data-label={t('mine.col.due')}>{d.due_at ? formatDate(d.due_at) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {page.data && (offset > 0 || page.data.next_offset !== null) && (
          <nav class="pager" aria-label={t('mine.pager')}>
            {offset > 0 && (
              <a class="btn btn-secondary" href={href('/ho-so-cua-toi', { offset: String(Math.max(0, offset - PAGE)) })}>
                {t('common.previous')}
              </a>
            )}
            {page.data.next_offset !== null && (
              <a class="btn btn-secondary" href={href('/ho-so-cua-toi', { offset: String(page.data.next_offset) })}>
                {t('common.next')}
              </a>
            )}
          </nav>
        )}
      </section>
    </>
  );
}
