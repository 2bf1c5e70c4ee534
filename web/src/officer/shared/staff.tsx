// Pieces shared by the officer workspace and the administration area: their messages, the unit
// list (GET /api/v1/units?date=), role and level names, the staff navigation and a unit picker.
// Imported by both on-demand areas (Vite puts it in a chunk of its own that both load).
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../core/api';
import { useLoad } from '../../app/ui';
import { href } from '../../core/router';
import { hasRole, ROLE, type Session } from '../../core/session';
import { hasMessage, pick, registerMessages, t } from '../../i18n';
import vi from './i18n.vi';
import en from './i18n.en';

let registered = false;
export function registerStaffMessages(): void {
  if (registered) return;
  registerMessages({ vi, en });
  registered = true;
}

export interface UnitFull {
  code: string;
  name: string;
  name_en: string;
  level: 'province' | 'department' | 'pasc' | 'district' | 'commune' | string;
  parent: string | null;
  valid_from: string;
  valid_to: string | null;
  agency_key?: string;
  commune_type?: string;
  schedule: string;
  successors?: { code: string; date: string; instrument: string }[];
  predecessors?: string[];
}

const unitsByDate = new Map<string, Promise<UnitFull[]>>();

/** Units valid on date (yyyy-mm-dd; '' = today on the server), fetched once per date. */
export function getUnitsOn(date = ''): Promise<UnitFull[]> {
  let p = unitsByDate.get(date);
  if (!p) {
    p = api<{ items: UnitFull[] }>('/api/v1/units', { query: { date } }).then(
      (r) => r.items,
      (e) => {
        unitsByDate.delete(date);
        throw e;
      },
    );
    unitsByDate.set(date, p);
  }
  return p;
}

/** "Phường An Bình (99501)", or the code alone when the unit is not in the list. */
export function unitLabel(units: UnitFull[] | undefined, code: string | null | undefined): string {
  if (!code) return '';
  const u = units?.find((x) => x.code === code);
  return u ? `${pick(u.name, u.name_en)} (${u.code})` : code;
}

export function unitName(units: UnitFull[] | undefined, code: string | null | undefined): string {
  if (!code) return '';
  const u = units?.find((x) => x.code === code);
  return u ? pick(u.name, u.name_en) : code;
}

export function roleLabel(role: string): string {
  const key = `staff.role.${role}`;
  return hasMessage(key) ? t(key) : role;
}

export function levelLabel(level: string): string {
  const key = `staff.level.${level}`;
  return hasMessage(key) ? t(key) : level;
}

/** Roles that administrators may grant to officer accounts (src/domain/access.h). */
export const OFFICER_ROLES = [
  ROLE.oneStopOfficer,
  ROLE.specialist,
  ROLE.leader,
  ROLE.clerk,
  ROLE.communityTeam,
  ROLE.unitAdmin,
  ROLE.provinceAdmin,
  ROLE.dashboardViewer,
  ROLE.auditor,
] as const;

export function isAdmin(s: Session | null): boolean {
  return hasRole(s, ROLE.unitAdmin, ROLE.provinceAdmin);
}

/** Roles that work on dossiers (the work queue). */
export function isProcessor(s: Session | null): boolean {
  return hasRole(
    s,
    ROLE.oneStopOfficer,
    ROLE.specialist,
    ROLE.leader,
    ROLE.clerk,
    ROLE.provinceAdmin,
    ROLE.auditor,
  );
}

/** The second navigation row of the staff areas. */
export function StaffNav(props: { session: Session | null; current: string }) {
  const s = props.session;
  const units = useLoad(() => getUnitsOn(), []);
  const items: [string, string][] = [];
  if (isProcessor(s)) items.push(['/can-bo', 'staff.nav.queue']);
  if (hasRole(s, ROLE.oneStopOfficer)) items.push(['/can-bo/tiep-nhan', 'staff.nav.intake']);
  if (isAdmin(s)) {
    items.push(['/quan-tri/don-vi', 'staff.nav.units']);
    items.push(['/quan-tri/can-bo', 'staff.nav.officers']);
  }
  if (s) {
    items.push(['/quan-tri/thu-tuc', 'staff.nav.procedures']);
    items.push(['/quan-tri/lich', 'staff.nav.calendar']);
  }
  if (items.length === 0) return null;
  return (
    <nav class="staff-nav no-print" aria-label={t('staff.nav.label')}>
      <ul>
        {items.map(([path, key]) => (
          <li key={path}>
            <a href={href(path)} aria-current={props.current === path ? 'page' : undefined}>
              {t(key)}
            </a>
          </li>
        ))}
      </ul>
      {s && (
        <p class="staff-whoami muted">
          {t('staff.unit', { unit: unitLabel(units.data, s.account.unit) })} ·{' '}
          {t('staff.roles', { roles: s.account.roles.map(roleLabel).join(', ') })}
        </p>
      )}
    </nav>
  );
}

const LEVEL_ORDER = ['province', 'pasc', 'department', 'district', 'commune'];

/** A <select> of units grouped by level. */
export function UnitSelect(props: {
  units: UnitFull[];
  value: string;
  onChange: (code: string) => void;
  exclude?: string[];
  levels?: string[];
  id?: string;
  name?: string;
  required?: boolean;
  'aria-describedby'?: string;
  'aria-invalid'?: boolean;
}) {
  const { units, value, onChange, exclude, levels, ...rest } = props;
  const groups = LEVEL_ORDER.filter((l) => !levels || levels.includes(l))
    .map((level) => ({
      level,
      items: units
        .filter((u) => u.level === level && !(exclude ?? []).includes(u.code))
        .sort((a, b) => a.name.localeCompare(b.name, 'vi')),
    }))
    .filter((g) => g.items.length > 0);
  return (
    <select {...rest} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
      <option value="">{t('staff.unitSelect.placeholder')}</option>
      {groups.map((g) => (
        <optgroup key={g.level} label={levelLabel(g.level)}>
          {g.items.map((u) => (
            <option key={u.code} value={u.code}>
              {pick(u.name, u.name_en)} ({u.code})
            </option>
          ))}
        </optgroup>
      ))}
    </select>
  );
}

/** "dd/mm/yyyy" → "yyyy-mm-dd", or null when it is not a real date. */
export function parseVnDate(text: string): string | null {
  const m = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(text);
  if (!m) return null;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** "yyyy-mm-dd" → "dd/mm/yyyy". */
export function isoToVn(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : '';
}

/**
 * A date typed as dd/mm/yyyy whatever the browser's language (a native date input shows the
 * browser's own order, e.g. mm/dd/yyyy). onChange gets yyyy-mm-dd, or '' while not a valid date.
 */
export function DateInput(props: {
  value: string;
  onChange: (iso: string) => void;
  id?: string;
  name?: string;
  required?: boolean;
  'aria-describedby'?: string;
  'aria-invalid'?: boolean;
}) {
  const { value, onChange, ...rest } = props;
  const [text, setText] = useState(isoToVn(value));
  useEffect(() => {
    if (parseVnDate(text) !== value) setText(isoToVn(value));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);
  return (
    <input
      {...rest}
      type="text"
      inputMode="numeric"
      placeholder={t('staff.date.placeholder')}
      maxLength={10}
      value={text}
      onInput={(e) => {
        const v = e.currentTarget.value;
        setText(v);
        onChange(parseVnDate(v) ?? '');
      }}
    />
  );
}
