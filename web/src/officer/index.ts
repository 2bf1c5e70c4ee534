// The officer workspace (#/can-bo/…), loaded with import() the first time such an address is
// visited (src/main.tsx): its messages, its style sheet and its pages. Every page is wrapped by
// gated(): officer sign-in with TOTP, the enrolment of a fresh account, the staff navigation.
import './shared/staff.css';
import './officer.css';
import { registerRoute } from '../core/router';
import { registerMessages } from '../i18n';
import vi from './i18n.vi';
import en from './i18n.en';
import { registerStaffMessages } from './shared/staff';
import { gated } from './shared/Gate';
import { QueuePage } from './Queue';
import { DossierPage } from './Dossier';
import { IntakePage } from './Intake';
import { ReceiptPage } from './Receipt';

registerStaffMessages();
registerMessages({ vi, en });

registerRoute('/can-bo', gated(QueuePage), { titleKey: 'officer.queue.title' });
registerRoute('/can-bo/dang-nhap', gated(QueuePage), { titleKey: 'staff.signin.title' });
registerRoute('/can-bo/ho-so/:code', gated(DossierPage), { titleKey: 'officer.dossier.pageTitle' });
registerRoute('/can-bo/tiep-nhan', gated(IntakePage), { titleKey: 'officer.intake.title' });
registerRoute('/can-bo/bien-nhan/:code', gated(ReceiptPage), { titleKey: 'officer.receipt.title' });

