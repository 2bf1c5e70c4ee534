// The administration area's first page: what an administrator can open here.
import { href, type RouteProps } from '../core/router';
import { useSession } from '../core/session';
import { PageTitle } from '../app/ui';
import { t } from '../i18n';
import { isAdmin } from '../officer/shared/staff';

export function AdminHome(_: RouteProps) {
  const session = useSession();
  const cards: [string, string, string][] = [];
  if (isAdmin(session)) {
    cards.push(['/quan-tri/don-vi', 'staff.nav.units', 'admin.home.units']);
    cards.push(['/quan-tri/can-bo', 'staff.nav.officers', 'admin.home.officers']);
  }
  cards.push(['/quan-tri/thu-tuc', 'staff.nav.procedures', 'admin.home.procedures']);
  cards.push(['/quan-tri/lich', 'staff.nav.calendar', 'admin.home.calendar']);
  return (
    <>
      <PageTitle sub={t('admin.home.sub')}>{t('admin.home.title')}</PageTitle>
      <ul class="admin-cards">
        {cards.map(([path, title, body]) => (
          <li key={path} class="card">
            <h2>
              <a href={href(path)}>{t(title)}</a>
            </h2>
            <p>{t(body)}</p>
          </li>
        ))}
      </ul>
    </>
  );
}
