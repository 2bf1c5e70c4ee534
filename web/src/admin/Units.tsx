// The unit tree on a date (GET /api/v1/units?date=): province, service centre, departments,
// districts and communes by parent, with level, commune type and validity, and the successors of
// units dissolved by a reorganisation. A filter shows the matching units as a flat list.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { formatDate, matchesQuery } from '../core/format';
import { navigate, type RouteProps } from '../core/router';
import { ErrorBox, Field, Loading, PageTitle, useLoad } from '../app/ui';
import { hasMessage, pick, t } from '../i18n';
import { todayInVietnam } from '../officer/model';
import { DateInput, getUnitsOn, levelLabel, type UnitFull } from '../officer/shared/staff';

const LEVEL_ORDER = ['province', 'pasc', 'department', 'district', 'commune'];

function validity(u: UnitFull): string {
  return u.valid_to
    ? t('admin.units.validRange', { from: formatDate(u.valid_from), to: formatDate(u.valid_to) })
    : t('admin.units.validFrom', { from: formatDate(u.valid_from) });
}

function UnitLine(props: { u: UnitFull; count?: number }) {
  const { u } = props;
  const ct = u.commune_type && hasMessage(`admin.communeType.${u.commune_type}`)
    ? t(`admin.communeType.${u.commune_type}`)
    : u.commune_type;
  return (
    <span class="unit-line" data-unit={u.code}>
      <strong>{pick(u.name, u.name_en)}</strong> <span class="code">{u.code}</span>{' '}
      <span class="badge badge-muted">{ct || levelLabel(u.level)}</span>{' '}
      <span class="muted">{validity(u)}</span>
      {props.count !== undefined && (
        <span class="muted"> · {t('admin.units.children', { n: props.count })}</span>
      )}
      {(u.predecessors ?? []).length > 0 && (
        <span class="muted"> · {t('admin.units.predecessors', { list: (u.predecessors ?? []).join(', ') })}</span>
      )}
    </span>
  );
}

function Tree(props: { units: UnitFull[] }) {
  const children = new Map<string, UnitFull[]>();
  const codes = new Set(props.units.map((u) => u.code));
  const roots: UnitFull[] = [];
  for (const u of props.units) {
    if (u.parent && codes.has(u.parent)) {
      const l = children.get(u.parent) ?? [];
      l.push(u);
      children.set(u.parent, l);
    } else {
      roots.push(u);
    }
  }
  const sorted = (l: UnitFull[]) =>
    [...l].sort(
      (a, b) =>
        LEVEL_ORDER.indexOf(a.level) - LEVEL_ORDER.indexOf(b.level) || a.name.localeCompare(b.name, 'vi'),
    );
  function node(u: UnitFull, depth: number): ComponentChildren {
    const kids = children.get(u.code);
    if (!kids) {
      return (
        <li key={u.code}>
          <UnitLine u={u} />
        </li>
      );
    }
    return (
      <li key={u.code}>
        <details open={depth === 0}>
          <summary>
            <UnitLine u={u} count={kids.length} />
          </summary>
          <ul class="tree">{sorted(kids).map((k) => node(k, depth + 1))}</ul>
        </details>
      </li>
    );
  }
  return <ul class="tree tree-root">{sorted(roots).map((r) => node(r, 0))}</ul>;
}

export function UnitsPage({ route }: RouteProps) {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(route.query.date ?? '') ? route.query.date! : todayInVietnam();
  const [filter, setFilter] = useState('');
  const [pending, setPending] = useState(date);
  useEffect(() => setPending(date), [date]);
  const units = useLoad(() => getUnitsOn(date), [date]);
  const list = units.data ?? [];
  const matches = filter.trim() ? list.filter((u) => matchesQuery(filter, u.name, u.name_en, u.code)) : [];

  return (
    <>
      <PageTitle sub={t('admin.units.sub')}>{t('admin.units.title')}</PageTitle>
      <form
        class="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          if (pending) navigate('/quan-tri/don-vi', { date: pending });
        }}
      >
        <Field label={t('admin.units.date')} hint={t('staff.date.hint')}>
          {(p) => <DateInput {...p} name="date" value={pending} onChange={setPending} />}
        </Field>
        <button type="submit" class="btn btn-secondary btn-small" disabled={!pending}>
          {t('admin.units.show')}
        </button>
      </form>
      <div class="toolbar">
        <Field label={t('admin.units.filter')}>
          {(p) => <input {...p} type="search" name="filter" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />}
        </Field>
      </div>
      {units.error ? (
        <ErrorBox error={units.error} onRetry={units.reload} />
      ) : !units.data || units.loading ? (
        // While another date loads, the previous date's units must not show under the new date.
        <Loading />
      ) : (
        <>
          <p data-testid="unit-count">
            {t('admin.units.count', {
              n: list.length,
              date: formatDate(date),
              communes: list.filter((u) => u.level === 'commune').length,
            })}
          </p>
          {filter.trim() ? (
            matches.length === 0 ? (
              <p>{t('admin.units.noMatch')}</p>
            ) : (
              <ul class="tree">
                {matches.map((u) => (
                  <li key={u.code}>
                    <UnitLine u={u} />
                  </li>
                ))}
              </ul>
            )
          ) : (
            <Tree units={list} />
          )}
        </>
      )}
    </>
  );
}
