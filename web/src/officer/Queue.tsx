// The work queue (hàng đợi hồ sơ) of the officer's unit: tabs for the contract's queues (new,
// due soon, overdue, awaiting supplement) and the whole list, a search by code, and a table that
// is worked from the keyboard: j/k or ↓/↑ move, Enter opens, "/" jumps to the search.
import { useEffect, useRef, useState } from 'preact/hooks';
import { href, navigate, type RouteProps } from '../core/router';
import { formatDate } from '../core/format';
import { stateTone } from '../portal/model';
import { Alert, ErrorBox, Loading, PageTitle, useLoad } from '../app/ui';
import { getLang, t } from '../i18n';
import { useSession } from '../core/session';
import { isProcessor } from './shared/staff';
import { isQueue, listQueue, PAGE_SIZE, QUEUES, type Queue, type QueueSummary } from './model';

function remaining(d: QueueSummary) {
  const o = d.overdue;
  const text = getLang() === 'en' ? o.display_en : o.display_vi;
  if (!d.due_at || ['returned', 'refused', 'withdrawn', 'cancelled'].includes(d.state)) {
    return <span class="muted">{t('officer.queue.noDeadline')}</span>;
  }
  if (o.paused) return <span class="t-paused">{t('officer.time.paused', { time: text })}</span>;
  if (o.overdue) return <span class="t-overdue">{t('officer.time.overdue', { time: text })}</span>;
  if (d.state === 'result_ready') return <span class="muted">{t('officer.time.done')}</span>;
  return <span>{t('officer.time.remaining', { time: text })}</span>;
}

function isTyping(el: EventTarget | null): boolean {
  const e = el as HTMLElement | null;
  if (!e || !e.tagName) return false;
  return ['INPUT', 'TEXTAREA', 'SELECT'].includes(e.tagName) || e.isContentEditable;
}

export function QueuePage(props: RouteProps) {
  const session = useSession();
  if (!isProcessor(session)) {
    return (
      <>
        <PageTitle>{t('officer.queue.title')}</PageTitle>
        <Alert kind="info">
          <p>{t('staff.noRole')}</p>
        </Alert>
      </>
    );
  }
  return <Queue {...props} />;
}

function Queue({ route }: RouteProps) {
  const tab: Queue = isQueue(route.query.tab) ? route.query.tab : 'new';
  const code = (route.query.code ?? '').trim();
  const offset = Math.max(0, Number(route.query.offset) || 0);
  const [search, setSearch] = useState(code);
  const [sel, setSelState] = useState(-1);
  // The key handler reads these refs: effects re-register only after a paint, and a fast typist
  // presses the next key before that.
  const selRef = useRef(-1);
  const itemsRef = useRef<QueueSummary[]>([]);
  const setSel = (i: number) => {
    selRef.current = i;
    setSelState(i);
  };
  const searchRef = useRef<HTMLInputElement>(null);
  const tableRef = useRef<HTMLTableElement>(null);

  useEffect(() => setSearch(code), [code]);

  // A search by code looks through every dossier within reach, whatever the tab.
  const list = useLoad(
    (signal) => listQueue(code ? 'all' : tab, { code, offset }, signal),
    [tab, code, offset],
  );
  const counts = useLoad(
    (signal) =>
      Promise.all(
        QUEUES.filter((q) => q !== 'all').map((q) =>
          listQueue(q, { limit: 1, total: true }, signal).then(
            (p) => [q, p.total] as const,
            () => [q, undefined] as const,
          ),
        ),
      ).then((pairs) => Object.fromEntries(pairs) as Partial<Record<Queue, number>>),
    [],
  );
  const items = list.data?.items ?? [];
  itemsRef.current = items;

  useEffect(() => setSel(items.length > 0 ? 0 : -1), [list.data]);

  function focusRow(i: number) {
    const row = tableRef.current?.querySelectorAll<HTMLTableRowElement>('tbody tr')[i];
    row?.querySelector<HTMLAnchorElement>('a')?.focus();
  }

  function open(i: number) {
    const d = itemsRef.current[i];
    if (d) navigate('/can-bo/ho-so/' + encodeURIComponent(d.code));
  }

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === '/' && !isTyping(e.target)) {
        e.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
        return;
      }
      const rows = itemsRef.current;
      const cur = selRef.current;
      if (isTyping(e.target) || rows.length === 0) return;
      const target = e.target as HTMLElement | null;
      const inTable = !!target && !!tableRef.current?.contains(target);
      const onPage = !target || target === document.body || target.id === 'main' || target.tagName === 'H1';
      const arrows = e.key === 'ArrowDown' || e.key === 'ArrowUp';
      if (arrows && !inTable && !onPage) return;
      if (e.key === 'j' || e.key === 'ArrowDown' || e.key === 'k' || e.key === 'ArrowUp') {
        e.preventDefault();
        const d = e.key === 'j' || e.key === 'ArrowDown' ? 1 : -1;
        const next = Math.min(rows.length - 1, Math.max(0, (cur < 0 ? -d : cur) + d));
        setSel(next);
        focusRow(next);
      } else if (e.key === 'Enter' && !inTable && onPage && cur >= 0) {
        // On a focused row link, Enter follows the link itself.
        e.preventDefault();
        open(cur);
      }
    }
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  function submitSearch(ev: Event) {
    ev.preventDefault();
    const q = search.trim();
    navigate('/can-bo', q ? { tab, code: q } : { tab });
  }

  function pageTo(o: number) {
    const q: Record<string, string> = { tab };
    if (code) q.code = code;
    if (o > 0) q.offset = String(o);
    navigate('/can-bo', q);
  }

  return (
    <>
      <PageTitle>{t('officer.queue.title')}</PageTitle>
      <nav aria-label={t('officer.queue.tabs')}>
        <ul class="queue-tabs">
          {QUEUES.map((q) => (
            <li key={q}>
              <a href={href('/can-bo', { tab: q })} aria-current={!code && q === tab ? 'page' : undefined}>
                {t(`officer.queue.tab.${q}`)}
                {counts.data?.[q] !== undefined && (
                  <span class="count">({counts.data[q]})</span>
                )}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div class="toolbar">
        <form class="queue-search" role="search" onSubmit={submitSearch}>
          <label for="queue-search">{t('officer.queue.search')}</label>
          <input
            id="queue-search"
            ref={searchRef}
            type="search"
            name="code"
            value={search}
            placeholder={t('officer.queue.search.placeholder')}
            aria-keyshortcuts="/"
            onInput={(e) => setSearch(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'ArrowDown' && items.length > 0) {
                e.preventDefault();
                setSel(0);
                focusRow(0);
              } else if (e.key === 'Escape') {
                e.currentTarget.blur();
              }
            }}
          />
          <button type="submit" class="btn btn-secondary btn-small">
            {t('common.search')}
          </button>
          {code && (
            <a class="btn btn-link" href={href('/can-bo', { tab })}>
              {t('officer.queue.search.clear')}
            </a>
          )}
        </form>
        <p class="kbd-hint muted" id="queue-keys">
          {t('officer.queue.keys.prefix')} <kbd>j</kbd>/<kbd>k</kbd> {t('officer.queue.keys.or')}{' '}
          <kbd>↓</kbd>/<kbd>↑</kbd> {t('officer.queue.keys.move')}, <kbd>Enter</kbd>{' '}
          {t('officer.queue.keys.open')}, <kbd>/</kbd> {t('officer.queue.keys.search')}
        </p>
      </div>
      {code && <p>{t('officer.queue.searchResult', { code })}</p>}
      {list.error ? (
        <ErrorBox error={list.error} onRetry={list.reload} />
      ) : list.loading && !list.data ? (
        <Loading />
      ) : items.length === 0 ? (
        <Alert kind="info">
          <p>{code ? t('officer.queue.noMatch', { code }) : t('officer.queue.empty')}</p>
        </Alert>
      ) : (
        <>
          <table class="data queue" ref={tableRef} aria-describedby="queue-keys">
            <caption class="visually-hidden">
              {code ? t('officer.queue.searchResult', { code }) : t(`officer.queue.tab.${tab}`)}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('officer.col.code')}</th>
                <th scope="col">{t('officer.col.procedure')}</th>
                <th scope="col">{t('officer.col.applicant')}</th>
                <th scope="col">{t('officer.col.received')}</th>
                <th scope="col">{t('officer.col.due')}</th>
                <th scope="col">{t('officer.col.time')}</th>
                <th scope="col">{t('officer.col.state')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((d, i) => (
                <tr key={d.code} class={i === sel ? 'selected' : undefined} data-code={d.code}>
                  <td class="c-code">
                    <a
                      href={href('/can-bo/ho-so/' + encodeURIComponent(d.code))}
                      onFocus={() => setSel(i)}
                    >
                      {d.code}
                    </a>
                  </td>
                  <td class="c-proc">{d.procedure_name}</td>
                  <td>{d.applicant.name}</td>
                  <td class="c-date">
                    {d.received_at ? (
                      formatDate(d.received_at)
                    ) : (
                      <span class="muted">{t('officer.queue.notReceived')}</span>
                    )}
                  </td>
                  <td class="c-date">{formatDate(d.due_at) || '—'}</td>
                  <td class="c-time">{remaining(d)}</td>
                  <td>
                    <span class={`badge badge-${stateTone(d.state)}`}>{t(`state.${d.state}`)}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div class="pager">
            {offset > 0 && (
              <button type="button" class="btn btn-secondary btn-small" onClick={() => pageTo(Math.max(0, offset - PAGE_SIZE))}>
                {t('common.previous')}
              </button>
            )}
            {list.data?.next_offset != null && (
              <button type="button" class="btn btn-secondary btn-small" onClick={() => pageTo(list.data!.next_offset!)}>
                {t('common.next')}
              </button>
            )}
          </div>
        </>
      )}
    </>
  );
}
