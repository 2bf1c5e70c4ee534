// The public verification page (#/xac-thuc…), loaded with import() the first time such an
// address is visited (src/main.tsx), so the portal's first page does not carry it.
import './verify.css';
import { registerRoute } from '../core/router';
import { registerMessages } from '../i18n';
import vi from './i18n.vi';
import en from './i18n.en';
import { VerifyPage } from './VerifyPage';

registerMessages({ vi, en });

registerRoute('/xac-thuc', VerifyPage, { titleKey: 'verify.title' });
registerRoute('/xac-thuc/:code', VerifyPage, { titleKey: 'verify.title' });
