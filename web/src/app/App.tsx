// The page frame: skip link, header (province, portal name, navigation, language switch,
// sign-in/out), <main> with the routed page, footer. Pages are found by core/router; pages of
// on-demand areas (officer, admin) are imported the first time their prefix is visited.
import { useEffect, useRef, useState } from 'preact/hooks';
import { areaState, ensureArea, href, match, navigate, useRoute, type Route } from '../core/router';
import {
  hasRole,
  isCitizen,
  isStaff,
  loadSession,
  sessionExpired,
  signOut,
  useSession,
  ROLE,
  type Session,
} from '../core/session';
import { getLang, setLang, t, useLang } from '../i18n';
import { Alert, Loading, PageTitle } from './ui';

export function App() {
  useLang(); // re-render everything on a language change
  const route = useRoute();
  return (
    <>
      <a class="skip-link" href="#main" onClick={skipToMain}>
        {t('site.skip')}
      </a>
      <Header route={route} />
      <main id="main" tabIndex={-1}>
        <RouterView route={route} />
      </main>
      <Footer />
    </>
  );
}

// With hash routing the skip link's own "#main" would become a route: move focus instead.
function skipToMain(ev: Event) {
  ev.preventDefault();
  const main = document.getElementById('main');
  const h1 = main?.querySelector('h1');
  (h1 ?? main)?.focus();
}

function Header(props: { route: Route }) {
  const session = useSession();
  const path = props.route.path;
  const current = (p: string) =>
    (p === '/' ? path === '/' || path.startsWith('/thu-tuc') : path.startsWith(p)) ? 'page' : undefined;
  const staff = isStaff(session);
  const admin = hasRole(session, ROLE.unitAdmin, ROLE.provinceAdmin);
  return (
    <header class="site-header">
      <div class="header-inner">
        <a class="brand" href={href('/')}>
          <span class="brand-emblem" aria-hidden="true" />
          <span class="brand-text">
            <span class="brand-province">{t('site.province')}</span>
            <span class="brand-name">{t('site.name')}</span>
          </span>
        </a>
        <div class="header-tools">
          <LangSwitch />
          {session ? (
            <span class="account">
              <span class="account-name">{t('nav.signedInAs', { name: session.account.name })}</span>
              <button type="button" class="btn btn-header" onClick={() => doSignOut()}>
                {t('nav.signout')}
              </button>
            </span>
          ) : (
            <span class="account">
              <a class="btn btn-header" href={href('/dang-nhap')}>
                {t('nav.signin')}
              </a>
              <a class="btn btn-header btn-header-alt" href={href('/dang-ky')}>
                {t('nav.register')}
              </a>
            </span>
          )}
        </div>
      </div>
      <nav class="site-nav" aria-label={t('nav.label')}>
        <ul>
          <li>
            <a href={href('/')} aria-current={current('/')}>
              {t('nav.home')}
            </a>
          </li>
          <li>
            <a href={href('/tra-cuu')} aria-current={current('/tra-cuu')}>
              {t('nav.lookup')}
            </a>
          </li>
          <li>
            <a href={href('/xac-thuc')} aria-current={current('/xac-thuc')}>
              {t('nav.verify')}
            </a>
          </li>
          {(!session || isCitizen(session)) && (
            <li>
              <a href={href('/ho-so-cua-toi')} aria-current={current('/ho-so')}>
                {t('nav.mine')}
              </a>
            </li>
          )}
          {session && isCitizen(session) && (
            <li>
              <a href={href('/kho-du-lieu')} aria-current={current('/kho-du-lieu')}>
                {t('nav.holdings')}
              </a>
            </li>
          )}
          {staff && (
            <li>
              <a href={href('/can-bo')} aria-current={current('/can-bo')}>
                {t('nav.officer')}
              </a>
            </li>
          )}
          {admin && (
            <li>
              <a href={href('/quan-tri')} aria-current={current('/quan-tri')}>
                {t('nav.admin')}
              </a>
            </li>
          )}
        </ul>
      </nav>
    </header>
  );
}

async function doSignOut() {
  try {
    await signOut();
  } catch {
    // The answer was lost or refused: ask the server whether the session still exists, so the
    // header tells the truth either way.
    await loadSession().catch(() => undefined);
  }
  navigate('/');
}

function LangSwitch() {
  const lang = getLang();
  const other = lang === 'vi' ? 'en' : 'vi';
  return (
    <button type="button" class="btn btn-header lang-switch" onClick={() => setLang(other)}>
      <span class="visually-hidden">{t('lang.switchToLabel')}: </span>
      <span lang={other}>{t('lang.switchTo')}</span>
    </button>
  );
}

function Footer() {
  return (
    <footer class="site-footer">
      <div class="footer-inner">
        <p>{t('site.footer')}</p>
        <p>{t('site.footer.hotline')}</p>
      </div>
    </footer>
  );
}

function allowed(access: string | undefined, s: Session | null): 'ok' | 'signin' | 'forbidden' {
  switch (access) {
    case 'signed-in':
      return s ? 'ok' : 'signin';
    case 'citizen':
      return !s ? 'signin' : isCitizen(s) ? 'ok' : 'forbidden';
    case 'staff':
      return !s ? 'signin' : isStaff(s) ? 'ok' : 'forbidden';
    default:
      return 'ok';
  }
}

function RouterView(props: { route: Route }) {
  const { route } = props;
  const session = useSession();
  const [, setAreaTick] = useState(0);
  const [areaError, setAreaError] = useState(false);
  const lastPath = useRef<string | null>(null);
  const m = match(route.path);
  const area = areaState(route.path);

  useEffect(() => {
    if (!m && (area === 'idle' || area === 'failed')) {
      setAreaError(false);
      ensureArea(route.path).then(
        () => setAreaTick((n) => n + 1),
        () => setAreaError(true),
      );
    }
  }, [route.path, !!m, area]);

  const titleKey = m?.entry.options.titleKey;
  useEffect(() => {
    document.title = titleKey
      ? `${t(titleKey)} — ${t('site.name')} ${t('site.province')}`
      : `${t('site.name')} — ${t('site.province')}`;
  }, [titleKey, route.path, getLang()]);

  // After a navigation (not the first paint), move focus to the new page's heading so that
  // screen-reader and keyboard users start at the top of the new content.
  useEffect(() => {
    if (lastPath.current !== null && lastPath.current !== route.path) {
      const h1 = document.querySelector<HTMLElement>('main h1');
      (h1 ?? document.getElementById('main'))?.focus();
      window.scrollTo(0, 0);
    }
    lastPath.current = route.path;
  }, [route.path]);

  if (!m) {
    if (area === 'loading' || (area === 'idle' && !areaError)) return <Loading />;
    if (areaError || area === 'failed') return <Alert kind="error">{t('error.areaFailed')}</Alert>;
    return <NotFound />;
  }
  const gate = allowed(m.entry.options.access, session);
  if (gate === 'signin') return <SignInRequired route={route} />;
  if (gate === 'forbidden') {
    return (
      <>
        <PageTitle>{t('error.forbidden.title')}</PageTitle>
        <p>{t('error.forbidden.body')}</p>
      </>
    );
  }
  const Page = m.entry.component;
  return <Page route={{ ...route, params: m.params }} />;
}

function NotFound() {
  return (
    <>
      <PageTitle>{t('error.notFound.title')}</PageTitle>
      <p>{t('error.notFound.body')}</p>
      <p>
        <a href={href('/')}>{t('nav.home')}</a>
      </p>
    </>
  );
}

function SignInRequired(props: { route: Route }) {
  const next = props.route.path + (Object.keys(props.route.query).length
    ? '?' + new URLSearchParams(props.route.query).toString()
    : '');
  return (
    <>
      <PageTitle>{t('error.signInRequired.title')}</PageTitle>
      {sessionExpired() && <Alert kind="warning">{t('error.sessionExpired')}</Alert>}
      <p>{t('error.signInRequired.body')}</p>
      <p>
        <a class="btn btn-primary" href={href('/dang-nhap', { next })}>
          {t('nav.signin')}
        </a>
      </p>
    </>
  );
}
