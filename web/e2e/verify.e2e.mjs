// End-to-end tests of the public verification page (#/xac-thuc) and of the electronic result on
// the dossier pages (issue #6), against a real server (see run.mjs for ctx, staff-helpers.mjs for
// the officer sign-in). The last test takes a dossier of a demo commune to its leader's step,
// approves it in the officer workspace (the leader's personal signature), has the commune's
// clerk complete the last step (the unit's organisation signature) and verifies the result.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  demoCommunes,
  getJson,
  noHorizontalScroll,
  officerApi,
  officerOf,
  officerPage,
  pageFetch,
  text,
} from './staff-helpers.mjs';

const OPEN = new Set(['received', 'in_processing']);

/** dd/mm/yyyy HH:mm in Vietnam time (UTC+7), as the page must show it whatever its zone. */
function vietnamTime(iso) {
  const d = new Date(Date.parse(iso) + 7 * 3600 * 1000);
  const p = (n) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

/** The {code, message} of an error answer (docs/api.md; a {"error": {…}} wrapper is read too). */
function apiError(body) {
  return body?.error && typeof body.error === 'object' ? body.error : body;
}

async function publicJson(ctx, path) {
  const r = await fetch(ctx.base + path);
  return { status: r.status, body: await r.json() };
}

/** The verdict banner of the page once a verification has finished. */
async function waitVerdict(page) {
  await page.waitForSelector('[data-testid=verdict]');
  return page.getAttribute('[data-testid=verdict]', 'data-verdict');
}

// Dossiers of the demo commune waiting at a leader's step of the commune, found through the
// API as one of the commune's officers sees them (the "all" list, then each open one).
async function demoDossierAtLeaderStep(api, unit) {
  const found = [];
  for (let offset = 0; offset !== null && offset < 2000; ) {
    const page = await api.get(`/api/v1/dossiers?limit=100&offset=${offset}`);
    for (const s of page.items) {
      if (!OPEN.has(s.state)) continue;
      const d = await api.get(`/api/v1/dossiers/${s.code}`);
      const step = d.steps?.[d.current_step];
      if (step && step.role === 'leader' && d.current_unit === unit) found.push(d);
    }
    offset = page.next_offset;
  }
  return found;
}

// A commune procedure offered fully online whose steps are all done at the competent unit by
// roles the commune's demo officers hold, with a leader's step.
async function procedureWithLeaderStep(ctx, unit) {
  const roles = new Set(ctx.creds.officers.filter((o) => o.unit === unit).flatMap((o) => o.roles));
  for (const s of (await getJson(ctx, '/api/v1/procedures')).items) {
    if (s.competent_level !== 'commune' || s.online_level !== 'full') continue;
    const p = await getJson(ctx, `/api/v1/procedures/${s.code}`);
    if (p.steps.some((st) => st.role === 'leader') && p.steps.every((st) => st.unit === 'competent' && roles.has(st.role))) {
      return p;
    }
  }
  return null;
}

export default async function (t) {
  t.test('a file that is not a PDF or too large is refused before upload; PDF-named garbage gets the server’s message', async (ctx) => {
    const { assert } = ctx;
    const page = await ctx.page({ viewport: { width: 360, height: 780 } });
    let posted = 0;
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/verify') posted++;
    });
    await page.goto('/');
    // The portal's navigation leads to the page.
    await page.click('nav.site-nav a:has-text("Kiểm tra văn bản")');
    await page.waitForSelector('h1:has-text("Kiểm tra văn bản điện tử")');
    assert.equal(await page.getAttribute('nav.site-nav a:has-text("Kiểm tra văn bản")', 'aria-current'), 'page');
    await ctx.assertNoSeriousAxe(page, 'verify page');

    await page.setInputFiles('#verify-file', { name: 'ghi-chu.txt', mimeType: 'text/plain', buffer: Buffer.from('xin chào') });
    await page.waitForSelector('[data-testid=verify-file-error]');
    assert.equal(await text(page, '[data-testid=verify-file-error]'), 'Chỉ kiểm tra được tệp PDF (đuôi .pdf).');
    assert.equal(await page.getAttribute('#verify-file', 'aria-invalid'), 'true');

    // One byte over 20 MiB, handed over as a path (a buffer would be copied through the
    // browser's protocol, which takes seconds).
    const dir = mkdtempSync(join(tmpdir(), 'motcua-verify-'));
    try {
      const big = join(dir, 'lon.pdf');
      const bytes = Buffer.alloc(20 * 1024 * 1024 + 1, 0x20);
      bytes.write('%PDF-1.4\n');
      writeFileSync(big, bytes);
      await page.setInputFiles('#verify-file', big);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    await page.waitForSelector('[data-testid=verify-file-error]:has-text("20 MB")');
    assert.equal(await text(page, '[data-testid=verify-file-error]'), 'Tệp lớn hơn 20 MB, không kiểm tra được.');
    assert.equal(posted, 0, 'nothing was sent for the refused files');

    // Named .pdf but not a PDF: the browser cannot tell, the server refuses with its message.
    const answer = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/verify');
    await page.setInputFiles('#verify-file', { name: 'x.pdf', mimeType: 'application/pdf', buffer: Buffer.from('this is not a PDF at all') });
    const r = await answer;
    assert.equal(r.status(), 422);
    const err = apiError(await r.json());
    assert.equal(err.code, 'pdf.not_pdf');
    assert.ok(err.message, 'the server sends a message');
    await page.waitForSelector('[data-testid=verify-error]');
    assert.equal(await text(page, '[data-testid=verify-error]'), err.message);
    assert.equal(await page.locator('[data-testid=verify-file-error]').count(), 0, 'the earlier refusal is gone');
    assert.ok(await noHorizontalScroll(page), 'the page scrolls sideways at 360 px');
    await ctx.shot(page, 'verify-not-pdf-360');

    // A real PDF without any signature: "chưa được ký số", no signature card.
    await page.setInputFiles('#verify-file', { name: 'khong-ky.pdf', mimeType: 'application/pdf', buffer: ctx.pdf('Khong ky') });
    assert.equal(await waitVerdict(page), 'unsigned');
    assert.ok((await text(page, '[data-testid=verdict]')).includes('Văn bản chưa được ký số'));
    assert.equal(await page.locator('[data-testid=signature]').count(), 0);
    assert.ok((await text(page, '[data-testid=verify-report]')).includes('Tệp không trùng với văn bản nào do hệ thống phát hành.'));
    assert.equal(posted, 2);
  });

  t.test('codes: a malformed one is refused in the page, an unknown one shows the not-found message', async (ctx) => {
    const { assert } = ctx;
    const page = await ctx.page();
    await page.goto('/#/xac-thuc');
    await page.waitForSelector('[data-testid=verify-code-form]');
    // Keyboard only: the code field is labelled, Enter sends the form.
    await page.focus('#verify-code');
    await page.keyboard.type('ABC-123');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#verify-code-err');
    assert.equal(await text(page, '#verify-code-err'), 'Mã kiểm tra gồm 12 ký tự: chữ cái A–Z và chữ số 2–7.');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'verify-code');
    assert.equal(await page.evaluate(() => location.hash), '#/xac-thuc');

    // Well formed but unknown (a Base32 code no document has: 60 random bits make a clash
    // with the demo's handful of codes negligible; the API is asked first to be sure).
    const unknown = 'AAAA2222ZZZZ';
    const api = await publicJson(ctx, `/api/v1/verify/${unknown}`);
    assert.equal(api.status, 404);
    assert.equal(apiError(api.body).code, 'document.not_found');
    await page.fill('#verify-code', unknown.toLowerCase().replace(/(.{4})(?=.)/g, '$1-'));
    await page.keyboard.press('Enter');
    await page.waitForFunction((c) => location.hash === `#/xac-thuc/${c}`, unknown);
    await page.waitForSelector('[data-testid=verify-error]');
    assert.equal(
      await text(page, '[data-testid=verify-error]'),
      `Không tìm thấy văn bản nào có mã kiểm tra ${unknown}. Vui lòng kiểm tra lại mã.`,
    );
    // The address with a code verifies at once (a link, a scanned QR code).
    const direct = await ctx.page();
    await direct.goto(`/#/xac-thuc/${unknown}`);
    await direct.waitForSelector('[data-testid=verify-error]');
    assert.ok((await text(direct, '[data-testid=verify-error]')).includes(unknown));
    assert.equal(await direct.inputValue('#verify-code'), unknown);
    await ctx.assertNoSeriousAxe(direct, 'verify not found');
  });

  t.test('leader approves (personal signature), clerk finishes (organisation signature): the electronic result verifies', async (ctx) => {
    const { assert } = ctx;
    const units = (await getJson(ctx, '/api/v1/units')).items;
    const communes = demoCommunes(ctx, units).filter((u) =>
      ['leader', 'clerk', 'specialist'].every((role) => ctx.creds.officers.some((o) => o.unit === u && o.roles.includes(role))),
    );
    assert.ok(communes.length > 0, 'a demo commune with a leader, a specialist and a clerk');

    // 1. A dossier of a demo commune at its leader's step: from the demo when there is one.
    let unit = '';
    let dossier = null;
    for (const u of communes) {
      const clerkApi = await officerApi(ctx, officerOf(ctx, u, 'clerk'));
      const found = await demoDossierAtLeaderStep(clerkApi, u);
      if (found.length) {
        unit = u;
        dossier = found[0];
        break;
      }
    }
    let citizen = null;
    if (dossier) {
      console.log(`    demo dossier ${dossier.code} of ${unit} is at the leader's step`);
    } else {
      // The demo province (--seed 1 --until 2026-11-20) ends with no dossier waiting for a
      // commune leader: one is filed and brought to that step through the API, as people would.
      unit = communes[communes.length - 1];
      const proc = await procedureWithLeaderStep(ctx, unit);
      assert.ok(proc, `a commune procedure with a leader's step that ${unit}'s officers can process`);
      citizen = ctx.creds.citizens[4];
      const cs = await ctx.apiSession(citizen.login, citizen.password);
      const filed = await cs.post('/api/v1/dossiers', {
        procedure_code: proc.code,
        channel: 'online',
        applicant: { id_number: citizen.login, name: cs.account.name, phone: '0912000222' },
        receiving_unit: unit,
        components: proc.components.filter((x) => x.required).map((x) => ({ code: x.code })),
      });
      await (await officerApi(ctx, officerOf(ctx, unit, 'one_stop_officer'))).post(`/api/v1/dossiers/${filed.code}/receive`, {});
      const apis = new Map();
      for (;;) {
        const d = await getJsonAs(apis, ctx, unit, 'one_stop_officer', `/api/v1/dossiers/${filed.code}`);
        const step = d.steps[d.current_step];
        if (step.role === 'leader') {
          dossier = d;
          break;
        }
        const api = await apiFor(apis, ctx, unit, step.role);
        await api.post(`/api/v1/dossiers/${filed.code}/complete-step`, { note: 'Đạt yêu cầu' });
      }
      console.log(`    no demo dossier waits at a commune leader's step: filed ${dossier.code} (${proc.code}) at ${unit} and brought it there`);
    }
    const code = dossier.code;
    const leader = officerOf(ctx, unit, 'leader');

    // 2. The leader approves in the officer workspace.
    const lp = await officerPage(ctx, leader, `/#/can-bo/ho-so/${code}`, { viewport: { width: 1366, height: 768 } });
    await lp.waitForSelector(`h1:has-text("Hồ sơ ${code}")`);
    await lp.waitForSelector('.action-bar button[data-action=complete-step]');
    const label = await text(lp, '.action-bar button[data-action=complete-step]');
    assert.equal(label, 'Phê duyệt');
    await lp.click('.action-bar button[data-action=complete-step]');
    await lp.fill('form[data-form=complete-step] textarea[name=note]', 'Đồng ý, ký duyệt kết quả');
    await lp.click('form[data-form=complete-step] button[type=submit]');
    await lp.waitForSelector('text=Đã thực hiện: Phê duyệt.');
    let d = (await pageFetch(lp, `/api/v1/dossiers/${code}`)).body;
    const leaderName = (await pageFetch(lp, '/api/v1/session')).body.account.name;
    assert.ok(leaderName, 'the leader has a name');

    // 3. The commune's officers finish the remaining steps; the last is the clerk's.
    const apis = new Map();
    const roles = [];
    while (OPEN.has(d.state) && d.current_step >= 0 && d.current_step < d.steps.length) {
      const role = d.steps[d.current_step].role;
      roles.push(role);
      d = await (await apiFor(apis, ctx, unit, role)).post(`/api/v1/dossiers/${code}/complete-step`, {});
    }
    assert.equal(roles.at(-1), 'clerk', `the last step is the clerk's (steps after the leader: ${roles.join(', ')})`);
    d = (await pageFetch(lp, `/api/v1/dossiers/${code}`)).body;
    assert.equal(d.state, 'result_ready');
    assert.ok(d.result_document, 'the dossier has an electronic result');
    assert.equal(d.result_document.id, `${code}-KQ1`);
    assert.match(d.result_document.verify_code, /^[A-Z2-7]{12}$/);

    // 4. The officer's dossier page: "Kết quả điện tử", the download and the verification code.
    await lp.reload();
    await lp.waitForSelector('[data-testid=result-document]');
    const section = await text(lp, '[data-testid=result-document]');
    assert.ok(section.startsWith('Kết quả điện tử'), section);
    const verifyCode = await text(lp, '[data-testid=result-verify-code]');
    assert.equal(verifyCode, d.result_document.verify_code);
    assert.equal(await lp.getAttribute('[data-testid=result-download]', 'href'), `/api/v1/dossiers/${code}/result.pdf`);
    assert.equal(await lp.getAttribute('[data-testid=result-download]', 'download'), `${code}-KQ1.pdf`);
    const pdfBytes = Buffer.from(
      await lp.evaluate(async (h) => {
        const r = await fetch(h);
        if (!r.ok) throw new Error(`${h} → ${r.status}`);
        return Array.from(new Uint8Array(await r.arrayBuffer()));
      }, `/api/v1/dossiers/${code}/result.pdf`),
    );
    assert.equal(pdfBytes.subarray(0, 5).toString('latin1'), '%PDF-');
    if (d.result_document.file?.size) assert.equal(pdfBytes.length, d.result_document.file.size);
    await ctx.assertNoSeriousAxe(lp, 'officer dossier with result');
    await ctx.shot(lp, 'verify-officer-result');

    // 5. The link opens the public page on the code: valid, two cards, personal then organisation.
    await lp.click('[data-testid=result-verify]');
    await lp.waitForFunction((c) => location.hash === `#/xac-thuc/${c}`, verifyCode);
    assert.equal(await waitVerdict(lp), 'valid');
    assert.ok((await text(lp, '[data-testid=verdict]')).includes('Văn bản còn nguyên vẹn và các chữ ký số hợp lệ'));
    const api = await publicJson(ctx, `/api/v1/verify/${verifyCode}`);
    assert.equal(api.status, 200);
    assert.equal(api.body.verdict, 'valid');
    const kinds = await lp.$$eval('[data-testid=signature]', (cards) => cards.map((c) => c.dataset.kind));
    assert.deepEqual(kinds, ['personal', 'organisation']);
    const cards = await lp.$$eval('[data-testid=signature]', (cards) => cards.map((c) => c.textContent.replace(/\s+/g, ' ')));
    assert.ok(cards[0].includes('Chữ ký số cá nhân'), cards[0]);
    assert.ok(cards[0].includes(leaderName), `${leaderName} in ${cards[0]}`);
    assert.ok(cards[1].includes('Chữ ký số của cơ quan, tổ chức'), cards[1]);
    for (const [i, s] of api.body.signatures.entries()) {
      assert.equal(s.certificate_status, 'trusted');
      assert.ok(cards[i].includes('Chứng thư số thuộc tổ chức chứng thực gốc của tỉnh, còn hiệu lực khi ký'), cards[i]);
      assert.ok(cards[i].includes('Nội dung được ký còn nguyên vẹn'), cards[i]);
      assert.ok(cards[i].includes(vietnamTime(s.signed_at)), `${vietnamTime(s.signed_at)} in ${cards[i]}`);
      for (const v of [s.signer?.name, s.signer?.position, s.signer?.organisation, s.signer?.identifier]) {
        if (v) assert.ok(cards[i].includes(v), `${v} in ${cards[i]}`);
      }
    }
    assert.ok(api.body.signatures[1].signer?.identifier, 'the organisation signature names its MST/MNS');
    const docCard = await text(lp, '[data-testid=verify-document]');
    assert.ok(docCard.includes(`${code}-KQ1`), docCard);
    assert.ok(docCard.includes('Kết quả giải quyết thủ tục hành chính'), docCard);
    await ctx.assertNoSeriousAxe(lp, 'verify valid');
    await ctx.shot(lp, 'verify-valid');

    // English through the switch.
    await lp.click('button.lang-switch');
    await lp.waitForSelector('[data-testid=verdict]:has-text("Valid document")');
    assert.ok((await text(lp, '[data-testid=signature][data-kind=personal]')).includes('Personal digital signature'));
    await lp.click('button.lang-switch');

    // 6. The downloaded file verifies the same, and is the registered latest revision; with
    //    bytes appended after the last signature it no longer does.
    const vp = await ctx.page({ viewport: { width: 360, height: 780 } });
    await vp.goto('/#/xac-thuc');
    await vp.setInputFiles('#verify-file', { name: `${code}-KQ1.pdf`, mimeType: 'application/pdf', buffer: pdfBytes });
    assert.equal(await waitVerdict(vp), 'valid');
    assert.equal(await vp.locator('[data-testid=signature]').count(), 2);
    assert.ok((await text(vp, '[data-testid=verify-document]')).includes(verifyCode));
    assert.equal(await vp.locator('text=Tệp này là một bản trước của văn bản').count(), 0);
    assert.ok(await noHorizontalScroll(vp), 'the result scrolls sideways at 360 px');
    await ctx.shot(vp, 'verify-file-valid-360');
    const appended = Buffer.concat([pdfBytes, Buffer.from('\n% thêm sau khi ký\n', 'utf8')]);
    await vp.setInputFiles('#verify-file', { name: 'sua.pdf', mimeType: 'application/pdf', buffer: appended });
    await vp.waitForSelector('[data-testid=verdict][data-verdict=invalid]');
    await vp.waitForSelector('[data-testid=verify-changed]');
    assert.ok((await text(vp, '[data-testid=verify-changed]')).includes('sau chữ ký số cuối cùng'));

    // 7. The applicant sees the electronic result on their own dossier page.
    const applicant = citizen ?? (await findApplicant(ctx, code));
    assert.ok(applicant, `a demo citizen can read ${code}`);
    const cp = await ctx.page();
    await ctx.signIn(cp, applicant.login, applicant.password);
    await cp.goto(`/#/ho-so/${code}`);
    await cp.waitForSelector('[data-testid=result-document]');
    assert.equal(await text(cp, '[data-testid=result-verify-code]'), verifyCode);
    assert.ok((await text(cp, '[data-testid=timeline]')).includes('Phát hành kết quả điện tử'));
    const status = await cp.evaluate(async (h) => (await fetch(h)).status, `/api/v1/dossiers/${code}/result.pdf`);
    assert.equal(status, 200);
    await ctx.shot(cp, 'verify-citizen-result');
  });
}

async function apiFor(cache, ctx, unit, role) {
  if (!cache.has(role)) cache.set(role, await officerApi(ctx, officerOf(ctx, unit, role)));
  return cache.get(role);
}

async function getJsonAs(cache, ctx, unit, role, path) {
  return (await apiFor(cache, ctx, unit, role)).get(path);
}

/** The demo citizen who may read the dossier (its applicant), or null. */
async function findApplicant(ctx, code) {
  for (const c of ctx.creds.citizens) {
    const s = await ctx.apiSession(c.login, c.password);
    try {
      await s.get(`/api/v1/dossiers/${code}`);
      return c;
    } catch {
      // not theirs
    }
  }
  return null;
}
