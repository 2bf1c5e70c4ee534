// The administration area (#/quan-tri/…), loaded with import() on the first visit
// (src/main.tsx): units, officers and roles, the procedure catalogue and the working calendar.
// Pages share the officer workspace's gate (sign-in with TOTP) and staff navigation.
import '../officer/shared/staff.css';
import './admin.css';
import { registerRoute } from '../core/router';
import { registerMessages } from '../i18n';
import vi from './i18n.vi';
import en from './i18n.en';
import { registerStaffMessages } from '../officer/shared/staff';
import { gated } from '../officer/shared/Gate';
import { AdminHome } from './Home';
import { UnitsPage } from './Units';
import { OfficersPage } from './Officers';
import { ProcedurePage, ProceduresPage } from './Procedures';
import { CalendarPage } from './Calendar';

registerStaffMessages();
registerMessages({ vi, en });

registerRoute('/quan-tri', gated(AdminHome), { titleKey: 'admin.home.title' });
registerRoute('/quan-tri/don-vi', gated(UnitsPage), { titleKey: 'admin.units.title' });
registerRoute('/quan-tri/can-bo', gated(OfficersPage), { titleKey: 'admin.officers.title' });
registerRoute('/quan-tri/thu-tuc', gated(ProceduresPage), { titleKey: 'admin.proc.title' });
registerRoute('/quan-tri/thu-tuc/:code', gated(ProcedurePage), { titleKey: 'admin.proc.title' });
registerRoute('/quan-tri/lich', gated(CalendarPage), { titleKey: 'admin.cal.titleShort' });
