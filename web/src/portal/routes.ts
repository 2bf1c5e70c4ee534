// The citizen portal's pages (in the first chunk: they are what most visitors open).
import { registerRoute } from '../core/router';
import { registerMessages } from '../i18n';
import vi from './i18n.vi';
import en from './i18n.en';
import './portal.css';
import { DossierPage } from './DossierPage';
import { HoldingsPage } from './Holdings';
import { HomePage } from './Home';
import { LookupPage } from './Lookup';
import { MyDossiersPage } from './MyDossiers';
import { ProcedurePage } from './ProcedurePage';
import { ReceiptPage } from './Receipt';
import { RegisterPage } from './Register';
import { SignInPage } from './SignIn';
import { SubmitPage } from './SubmitPage';

export function registerPortalRoutes(): void {
  registerMessages({ vi, en });
  registerRoute('/', HomePage, { titleKey: 'home.title' });
  registerRoute('/thu-tuc/:code', ProcedurePage, { titleKey: 'proc.title' });
  registerRoute('/thu-tuc/:code/nop', SubmitPage, { titleKey: 'submit.title', access: 'signed-in' });
  registerRoute('/bien-nhan/:code', ReceiptPage, { titleKey: 'receipt.title', access: 'signed-in' });
  registerRoute('/ho-so-cua-toi', MyDossiersPage, { titleKey: 'mine.title', access: 'signed-in' });
  registerRoute('/ho-so/:code', DossierPage, { titleKey: 'dossier.title', access: 'signed-in' });
  registerRoute('/kho-du-lieu', HoldingsPage, { titleKey: 'holdings.title', access: 'citizen' });
  registerRoute('/tra-cuu', LookupPage, { titleKey: 'lookup.title' });
  registerRoute('/dang-nhap', SignInPage, { titleKey: 'signin.title' });
  registerRoute('/dang-ky', RegisterPage, { titleKey: 'register.title' });
}
