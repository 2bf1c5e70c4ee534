// Helpers of the officer and administration e2e tests (officer.e2e.mjs, flow.e2e.mjs): signing
// in through the officer sign-in form, API sessions that survive the demo's TOTP enrolment, and
// the demo people and procedure the scenarios need, chosen from credentials.json and the
// catalogue rather than hard-coded.

// The demo enrols every officer's TOTP with the code of the moment it ran; the server takes each
// code once, so a sign-in in that same 30 s step is refused with auth.totp_invalid. The runner's
// ctx.totp() then moves on to the next step: one retry is enough.
export async function officerApi(ctx, officer) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await ctx.apiSession(officer.login, officer.password, officer.totp_secret);
    } catch (e) {
      if (attempt < 2 && String(e.message).includes('auth.totp_invalid')) continue;
      throw e;
    }
  }
}

// Session cookies of officers who signed in through the form once in this run: later tests
// open their pages in a fresh browser context with the same session, as an officer keeps a
// browser open, instead of spending a TOTP code (two per 30 s per account) on every test.
const sessions = new Map();

/** Signs in at #/can-bo (or the given address) with login, password and a TOTP code. */
export async function officerSignIn(ctx, page, officer, path = '/#/can-bo') {
  await page.goto(path);
  await page.waitForSelector('form[aria-label="Đăng nhập cán bộ"]');
  for (let attempt = 0; ; attempt++) {
    await page.fill('input[name=login]', officer.login);
    await page.fill('input[name=password]', officer.password);
    await page.fill('input[name=totp]', await ctx.totp(officer.totp_secret));
    await page.click('form[aria-label="Đăng nhập cán bộ"] button[type=submit]');
    const outcome = await Promise.race([
      page.waitForSelector('nav.staff-nav', { timeout: 10000 }).then(() => 'ok'),
      page.waitForSelector('form[aria-label="Đăng nhập cán bộ"] .alert-error', { timeout: 10000 }).then(() => 'error'),
    ]);
    if (outcome === 'ok') {
      sessions.set(officer.login, await page.context().cookies());
      return;
    }
    const msg = await page.textContent('form[aria-label="Đăng nhập cán bộ"] .alert-error');
    if (attempt < 2 && msg.includes('Mã xác thực không đúng')) continue;
    throw new Error(`officer sign-in of ${officer.login} failed: ${msg}`);
  }
}

export function officerOf(ctx, unit, role) {
  const o = ctx.creds.officers.find((x) => x.unit === unit && (x.roles ?? []).includes(role));
  if (!o) throw new Error(`no demo officer with role ${role} at ${unit}`);
  return o;
}

/** Communes of the demo that have a one-stop officer, in credentials order. */
export function demoCommunes(ctx, units) {
  const communes = new Set(units.filter((u) => u.level === 'commune').map((u) => u.code));
  const out = [];
  for (const o of ctx.creds.officers) {
    if (communes.has(o.unit) && (o.roles ?? []).includes('one_stop_officer') && !out.includes(o.unit)) out.push(o.unit);
  }
  return out;
}

export async function getJson(ctx, path) {
  const r = await fetch(ctx.base + path);
  if (!r.ok) throw new Error(`GET ${path} → ${r.status}`);
  return r.json();
}

/** Fetches a path inside the page (its session cookie); returns {status, body}. */
export async function pageFetch(page, path, init) {
  return page.evaluate(
    async ([p, i]) => {
      const r = await fetch(p, i);
      const text = await r.text();
      return { status: r.status, body: text ? JSON.parse(text) : null };
    },
    [path, init ?? {}],
  );
}

export async function noHorizontalScroll(page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

/** Text of the element, whitespace collapsed. */
export async function text(page, selector) {
  return ((await page.textContent(selector)) ?? '').replace(/\s+/g, ' ').trim();
}


/** A new page (new browser context) at path, signed in as officer. */
export async function officerPage(ctx, officer, path, opts = {}) {
  const page = await ctx.page(opts);
  const saved = sessions.get(officer.login);
  if (saved) {
    await page.context().addCookies(saved);
    await page.goto(path);
    const ok = await Promise.race([
      page.waitForSelector('nav.staff-nav').then(() => true),
      page.waitForSelector('form[aria-label="Đăng nhập cán bộ"]').then(() => false),
    ]);
    if (ok) return page;
  }
  await officerSignIn(ctx, page, officer, path);
  return page;
}
