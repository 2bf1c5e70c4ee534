// Entry point: styles, language, session, routes of the citizen portal (in this chunk) and the
// on-demand areas (officer workspace, administration, document verification: separate chunks),
// then the shell.
import { render } from 'preact';
import './app/styles.css';
import { App } from './app/App';
import { registerArea } from './core/router';
import { loadSession } from './core/session';
import { applyLangToDocument } from './i18n';
import { registerPortalRoutes } from './portal/routes';

applyLangToDocument();
registerPortalRoutes();
registerArea('/can-bo', () => import('./officer/index'));
registerArea('/quan-tri', () => import('./admin/index'));
registerArea('/xac-thuc', () => import('./verify/index'));

const root = document.getElementById('app')!;
// The session decides what the header and guarded pages show: ask once before the first paint
// (a failure to reach the server still renders the public pages).
loadSession()
  .catch(() => null)
  .finally(() => {
    root.textContent = '';
    render(<App />, root);
  });
