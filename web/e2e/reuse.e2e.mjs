// Digitisation and reuse (issue #8) against a real server (see run.mjs for ctx, staff-helpers.mjs
// for the officer sign-in). A citizen's dossier of a commune procedure whose result has a document
// type (Đăng ký khai sinh → giay_khai_sinh when the catalogue says so) is filed, processed and
// returned through the API; then, in the browser:
//   1. the citizen finds its electronic result in "Kho dữ liệu của tôi" and downloads it;
//   2. submits a dossier of a procedure whose component accepts that document type, reusing it
//      instead of an upload; the dossier page says "Dùng lại từ kho dữ liệu: <title> (<dossier>)";
//   3. a one-stop officer uploads a generated scan of an ID card at the counter, sees the OCR text
//      and fields, corrects one, confirms and fills the applicant fields from it;
//   4. the officer looks up the applicant's data store by ID number and receives a dossier
//      reusing the holding.
// Tests run in order and share what the first one set up (a later one fails, saying so, alone).
import { readFileSync } from 'node:fs';
import { demoCommunes, getJson, officerApi, officerOf, officerPage, pageFetch, text } from './staff-helpers.mjs';

const OPEN = new Set(['received', 'in_processing']);
const PREFERRED_SOURCE = '1.001193'; // Đăng ký khai sinh: result giay_khai_sinh in the catalogue

const shared = { unit: '', citizen: null, api: null, dossier: '', holding: null, target: null, targetComponent: '' };

/** dd/mm/yyyy in Vietnam time (UTC+7), as the pages must show it whatever their zone. */
function vietnamDate(iso) {
  const d = new Date(Date.parse(iso) + 7 * 3600 * 1000);
  const p = (n) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
}

const fold = (s) =>
  String(s ?? '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();

async function apiFor(cache, ctx, unit, role) {
  if (!cache.has(role)) cache.set(role, await officerApi(ctx, officerOf(ctx, unit, role)));
  return cache.get(role);
}

/** Procedure details of the whole catalogue (56 or so), once. */
let catalogue = null;
async function procedures(ctx) {
  if (!catalogue) {
    catalogue = [];
    for (const s of (await getJson(ctx, '/api/v1/procedures')).items) catalogue.push(await getJson(ctx, `/api/v1/procedures/${s.code}`));
  }
  return catalogue;
}

/** A procedure submitted online whose component accepts docType, and that component. */
async function procedureAccepting(ctx, docType, except) {
  for (const p of await procedures(ctx)) {
    if (p.code === except || p.online_level === 'none' || p.competent_level !== 'commune') continue;
    const c = p.components.find((x) => Array.isArray(x.accepts) && x.accepts.includes(docType));
    if (c) return { proc: p, component: c };
  }
  return null;
}

/** POST /api/v1/dossiers from the citizen's browser session, each listed component with an
 *  uploaded PDF (POST /api/v1/files); the dossier document. */
async function fileWithUploads(ctx, citizen, body, codes) {
  const page = await ctx.page();
  await ctx.signIn(page, citizen.login, citizen.password);
  const pdf = ctx.pdf('Ho so e2e').toString('base64');
  const r = await page.evaluate(
    async ([b, cs, pdfB64]) => {
      const csrf = (await (await fetch('/api/v1/session')).json()).csrf_token;
      const bytes = Uint8Array.from(atob(pdfB64), (c) => c.charCodeAt(0));
      const components = [];
      for (const code of cs) {
        const up = await fetch('/api/v1/files', {
          method: 'POST',
          headers: { 'Content-Type': 'application/pdf', 'X-File-Name': encodeURIComponent(`${code}.pdf`), 'X-CSRF-Token': csrf },
          body: bytes,
        });
        if (up.status !== 201) return { status: up.status, body: await up.text() };
        components.push({ code, files: [(await up.json()).id] });
      }
      const res = await fetch('/api/v1/dossiers', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
        body: JSON.stringify({ ...b, components }),
      });
      return { status: res.status, body: await res.text() };
    },
    [body, codes, pdf],
  );
  await page.context().close();
  if (r.status !== 201 && r.status !== 200) throw new Error(`filing ${body.procedure_code} → ${r.status} ${r.body}`);
  return JSON.parse(r.body);
}

/** Files, processes and returns one dossier for the citizen; sets shared.{unit,citizen,api,dossier}. */
async function setUp(ctx) {
  if (shared.dossier) return shared;
  const { assert } = ctx;
  const units = (await getJson(ctx, '/api/v1/units')).items;
  const communes = demoCommunes(ctx, units).filter((u) =>
    ['leader', 'clerk', 'specialist', 'one_stop_officer'].every((role) => ctx.creds.officers.some((o) => o.unit === u && o.roles.includes(role))),
  );
  assert.ok(communes.length > 0, 'a demo commune with a one-stop officer, a specialist, a leader and a clerk');
  const unit = communes[0];
  const roles = new Set(ctx.creds.officers.filter((o) => o.unit === unit).flatMap((o) => o.roles));
  // The source procedure: fully online at the commune, every step there by roles it has, and a
  // result some other procedure's component accepts (Đăng ký khai sinh first).
  const all = await procedures(ctx);
  const processable = all.filter(
    (p) => p.competent_level === 'commune' && p.online_level === 'full' && p.steps.every((s) => s.unit === 'competent' && roles.has(s.role)),
  );
  const accepted = new Set(all.flatMap((p) => p.components.flatMap((c) => c.accepts ?? [])));
  assert.ok(accepted.size > 0, 'no procedure component carries "accepts" (GET /api/v1/procedures/{code}, issue #8)');
  const source =
    processable.find((p) => p.code === PREFERRED_SOURCE && accepted.has(p.result?.doc_type)) ??
    processable.find((p) => accepted.has(p.result?.doc_type)) ??
    processable.find((p) => p.code === PREFERRED_SOURCE);
  assert.ok(source, `a commune procedure ${unit}'s officers can process`);

  const citizen = ctx.creds.citizens[6] ?? ctx.creds.citizens.at(-1);
  const api = await ctx.apiSession(citizen.login, citizen.password);
  // Filed with an uploaded PDF per required component (a reused_from must name a holding now).
  const filed = await fileWithUploads(ctx, citizen, {
    procedure_code: source.code,
    channel: 'online',
    applicant: { id_number: citizen.login, name: api.account.name, phone: '0912000444' },
    receiving_unit: unit,
    competent_unit: unit,
  }, source.components.filter((x) => x.required).map((x) => x.code));
  const apis = new Map();
  const oneStop = await apiFor(apis, ctx, unit, 'one_stop_officer');
  await oneStop.post(`/api/v1/dossiers/${filed.code}/receive`, {});
  let d = await oneStop.get(`/api/v1/dossiers/${filed.code}`);
  while (OPEN.has(d.state) && d.current_step >= 0 && d.current_step < d.steps.length) {
    const role = d.steps[d.current_step].role;
    d = await (await apiFor(apis, ctx, unit, role)).post(`/api/v1/dossiers/${filed.code}/complete-step`, { note: 'Đạt yêu cầu' });
  }
  assert.equal(d.state, 'result_ready', `${filed.code} after its steps: ${d.state}`);
  d = await oneStop.post(`/api/v1/dossiers/${filed.code}/return`, { return_channel: 'online' });
  assert.equal(d.state, 'returned');
  const full = await api.get(`/api/v1/dossiers/${filed.code}`);
  assert.ok(full.result_document, `${filed.code} has an electronic result`);
  console.log(`    filed ${filed.code} (${source.code}) at ${unit} for ${citizen.login}, returned with ${full.result_document.id}`);
  Object.assign(shared, { unit, citizen, api, dossier: filed.code });
  return shared;
}

/** The citizen's holding made from the returned dossier's result (waits a little for it). */
async function resultHolding(ctx) {
  if (shared.holding) return shared.holding;
  const { api, dossier } = await setUp(ctx);
  const until = Date.now() + 15000;
  for (;;) {
    const { items } = await api.get('/api/v1/me/holdings');
    const h = items.find((x) => x.dossier === dossier && x.source === 'result');
    if (h) {
      shared.holding = h;
      return h;
    }
    if (Date.now() > until) throw new Error(`no holding from the result of ${dossier} in GET /api/v1/me/holdings: ${JSON.stringify(items)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** A PNG of a citizen ID card's front as a counter scanner would give it (rendered by Chromium). */
async function scanImage(ctx, lines) {
  const page = await ctx.page({ viewport: { width: 1400, height: 900 } });
  const body = lines.map((l) => `<p>${l}</p>`).join('');
  await page.setContent(
    `<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>
       body { margin: 0; background: #fff; color: #000; font: 40px/1.35 'DejaVu Sans', 'Noto Sans', sans-serif; }
       main { padding: 60px 70px; width: 1400px; } p { margin: 0 0 18px; }
     </style></head><body><main>${body}</main></body></html>`,
  );
  const png = await page.locator('main').screenshot({ type: 'png' });
  await page.close();
  return png;
}

export default async function (t) {
  t.test('the citizen finds the returned dossier’s electronic result in "Kho dữ liệu" and downloads it', async (ctx) => {
    const { assert } = ctx;
    const { citizen, dossier } = await setUp(ctx);
    const h = await resultHolding(ctx);
    assert.ok(h.title, 'the holding has a title');
    assert.ok(h.file?.id, 'the holding has a file');

    const page = await ctx.page();
    await ctx.signIn(page, citizen.login, citizen.password);
    await page.goto('/#/');
    await page.click('nav.site-nav a:has-text("Kho dữ liệu của tôi")');
    await page.waitForSelector('h1:has-text("Kho dữ liệu của tôi")');
    assert.equal(await page.evaluate(() => location.hash), '#/kho-du-lieu');
    assert.equal(await page.getAttribute('nav.site-nav a:has-text("Kho dữ liệu của tôi")', 'aria-current'), 'page');
    const row = `[data-testid=holdings] tr[data-holding="${h.id}"]`;
    await page.waitForSelector(row);
    const rowText = await text(page, row);
    assert.ok(rowText.includes(h.title), rowText);
    assert.equal(await text(page, `${row} [data-testid=holding-source]`), 'Kết quả điện tử');
    assert.ok(rowText.includes(h.issuing_unit_name || h.issuing_unit), rowText);
    assert.equal(await text(page, `${row} [data-testid=holding-issued]`), vietnamDate(h.issued_at));
    const validity = await text(page, `${row} [data-testid=holding-validity]`);
    if (h.valid_until === null) assert.equal(validity, 'Không thời hạn');
    else assert.ok(validity.includes(h.valid_until.split('-').reverse().join('/')), validity);
    assert.equal(await page.getAttribute(`${row} a.code`, 'href'), `#/ho-so/${dossier}`);
    const link = `${row} [data-testid=holding-download]`;
    assert.equal(await page.getAttribute(link, 'href'), `/api/v1/me/holdings/${encodeURIComponent(h.id)}/file`);
    await ctx.assertNoSeriousAxe(page, 'my documents');
    await ctx.shot(page, 'reuse-1-holdings');

    // The download: the result's PDF, byte for byte its size.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(link)]);
    const bytes = readFileSync(await download.path());
    assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
    if (h.file.size) assert.equal(bytes.length, h.file.size);
    assert.match(download.suggestedFilename(), /\.pdf$/i);

    // The dossier link opens the returned dossier.
    await page.click(`${row} a.code`);
    await page.waitForSelector('[data-testid=result-document]');

    // At 360 px the table becomes labelled cards.
    await page.setViewportSize({ width: 360, height: 780 });
    await page.goto('/#/kho-du-lieu');
    await page.waitForSelector(row);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no sideways scroll at 360 px');
    await ctx.shot(page, 'reuse-1-holdings-360');

    // Another citizen with nothing stored sees the empty state.
    const other = ctx.creds.citizens.find((c) => c.login !== citizen.login);
    if (other) {
      const os = await ctx.apiSession(other.login, other.password);
      if ((await os.get('/api/v1/me/holdings')).items.length === 0) {
        const op = await ctx.page();
        await ctx.signIn(op, other.login, other.password);
        await op.goto('/#/kho-du-lieu');
        await op.waitForSelector('[data-testid=holdings-empty]');
        assert.ok((await text(op, '[data-testid=holdings-empty]')).includes('chưa có giấy tờ nào'));
      }
    }
  });

  t.test('a new dossier reuses the holding instead of an upload; the dossier page shows the reuse', async (ctx) => {
    const { assert } = ctx;
    const { citizen, unit } = await setUp(ctx);
    const h = await resultHolding(ctx);
    const found = await procedureAccepting(ctx, h.doc_type, '');
    assert.ok(found, `a commune procedure offered online with a component that accepts "${h.doc_type}"`);
    const { proc, component } = found;
    shared.target = proc;
    shared.targetComponent = component.code;

    const page = await ctx.page();
    await ctx.signIn(page, citizen.login, citizen.password);
    await page.goto(`/#/thu-tuc/${proc.code}/nop`);
    await page.waitForSelector('[data-testid=submit-form]');
    const comp = `[data-component="${component.code}"]`;
    await page.waitForSelector(`${comp} [data-testid=reuse-choice]`);
    assert.ok((await text(page, `${comp} [data-testid=reuse-choice]`)).includes('Dùng lại giấy tờ đã có trong kho dữ liệu'));
    await page.fill('#in-applicant-phone', '0912000555');
    await page.selectOption('#in-unit', unit);
    await page.check(`${comp} [data-testid=reuse-radio]`);
    await page.selectOption(`${comp} [data-testid=reuse-holding]`, h.id);
    assert.equal(await page.locator(`#file-${component.code}`).count(), 0, 'no upload once reuse is chosen');
    // The other required components get an upload each.
    for (const c of proc.components.filter((x) => x.required && x.code !== component.code)) {
      if (await page.locator(`[data-component="${c.code}"] [data-testid=reuse-radio]`).count()) {
        await page.check(`[data-component="${c.code}"] input[type=radio][value=upload]`);
      }
      await page.locator(`#file-${c.code}`).setInputFiles({ name: `${c.code}.pdf`, mimeType: 'application/pdf', buffer: ctx.pdf(c.code) });
      await page.waitForSelector(`[data-component="${c.code}"] .file-list :text("${c.code}.pdf")`);
    }
    await page.check('#declaration');
    await ctx.assertNoSeriousAxe(page, 'submit with reuse');
    await ctx.shot(page, 'reuse-2-submit');
    const posted = page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/dossiers');
    await page.click('[data-testid=submit-button]');
    const body = JSON.parse((await posted).postData());
    assert.deepEqual(
      body.components.find((x) => x.code === component.code),
      { code: component.code, reused_from: h.id },
      'the reused component goes without files',
    );
    await page.waitForSelector('[data-testid=receipt-code]');
    const code = (await text(page, '[data-testid=receipt-code]')).trim();

    // The server resolved the holding: "holding:<id>" and the holding's file under the component.
    const d = (await pageFetch(page, `/api/v1/dossiers/${code}`)).body;
    const rec = d.components.find((x) => x.code === component.code);
    assert.equal(rec.reused_from, `holding:${h.id}`);
    assert.ok(rec.files?.length > 0, `files of the reused component: ${JSON.stringify(rec)}`);

    await page.goto(`/#/ho-so/${code}`);
    await page.waitForSelector('[data-testid=reused-from]');
    assert.equal(await text(page, '[data-testid=reused-from]'), `Dùng lại từ kho dữ liệu: ${h.title} (${h.dossier})`);
    await ctx.assertNoSeriousAxe(page, 'dossier with reuse');
    await ctx.shot(page, 'reuse-2-dossier');
  });

  t.test('at the counter the officer uploads a scan, checks the OCR text and fields, corrects, confirms and fills the form', async (ctx) => {
    const { assert } = ctx;
    const units = (await getJson(ctx, '/api/v1/units')).items;
    const unit = shared.unit || demoCommunes(ctx, units)[0];
    const officer = officerOf(ctx, unit, 'one_stop_officer');
    const id = '001099012345';
    const png = await scanImage(ctx, [
      'CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'CĂN CƯỚC CÔNG DÂN',
      `Số định danh cá nhân / Personal identification number: ${id}`,
      'Họ và tên / Full name: NGUYỄN VĂN AN',
      'Ngày sinh / Date of birth: 01/02/1990',
      'Giới tính / Sex: Nam   Quốc tịch / Nationality: Việt Nam',
    ]);

    const page = await officerPage(ctx, officer, '/#/can-bo/tiep-nhan', { viewport: { width: 1366, height: 768 } });
    await page.waitForSelector('select[name=procedure]');
    const proc = (await procedures(ctx)).find((p) => p.code === PREFERRED_SOURCE) ?? (await procedures(ctx))[0];
    await page.selectOption('select[name=procedure]', proc.code);
    const comp = proc.components.find((c) => c.code === 'GTTT') ?? proc.components[0];
    const row = `[data-component="${comp.code}"]`;
    await page.waitForSelector(row);
    await page.check(`${row} input[name=provided-${comp.code}]`);
    const ocrCalls = [];
    page.on('request', (r) => /\/api\/v1\/files\/[^/]+\/ocr$/.test(new URL(r.url()).pathname) && ocrCalls.push(Date.now()));
    await page.locator(`${row} input[type=file]`).setInputFiles({ name: 'cccd-mat-truoc.png', mimeType: 'image/png', buffer: png });
    await page.waitForSelector(`${row} [data-file-id]`);
    const fileId = await page.getAttribute(`${row} .upload-list [data-file-id]`, 'data-file-id');
    const panel = `[data-testid=ocr][data-file-id="${fileId}"]`;
    await page.waitForSelector(panel);
    // "Đang nhận dạng…" while pending (may be too quick to see), then the result.
    await page.waitForSelector(`${panel}[data-state=done]`, { timeout: 90000 });
    assert.ok(ocrCalls.length >= 1, 'polled GET /api/v1/files/{id}/ocr');
    const ocr = (await pageFetch(page, `/api/v1/files/${fileId}/ocr`)).body;
    assert.equal(ocr.state, 'done');

    // The recognised text, collapsed until asked for.
    assert.equal(await page.isVisible(`${panel} [data-testid=ocr-text] pre`), false);
    await page.click(`${panel} [data-testid=ocr-text] summary`);
    const shownText = await text(page, `${panel} [data-testid=ocr-text]`);
    assert.ok(fold(shownText).includes('can cuoc cong dan'), shownText);
    assert.ok(fold(shownText).includes(fold(ocr.pages[0].text).slice(0, 30)), 'the page shows the server’s text');
    // The fields as the server read them, low-confidence ones marked.
    assert.equal(await page.inputValue(`${panel} input[name=ocr-id_number]`), ocr.fields.id_number.value ?? '');
    assert.equal(ocr.fields.id_number.value, id);
    assert.ok(fold(ocr.fields.full_name.value).includes('nguyen van an'), JSON.stringify(ocr.fields.full_name));
    assert.equal(await page.inputValue(`${panel} input[name=ocr-date_of_birth]`), '01/02/1990');
    for (const f of ['id_number', 'full_name', 'date_of_birth']) {
      const low = !ocr.fields[f]?.value || ocr.fields[f].confidence < 0.8;
      assert.equal(await page.getAttribute(`${panel} [data-field=${f}]`, 'data-low'), low ? 'true' : null, `low mark of ${f}`);
    }
    await ctx.assertNoSeriousAxe(page, 'counter OCR');
    await ctx.shot(page, 'reuse-3-ocr');

    // A bad date is refused in the page; the corrected values are confirmed.
    await page.fill(`${panel} input[name=ocr-date_of_birth]`, '31/02/1990');
    await page.click(`${panel} [data-testid=ocr-confirm]`);
    await page.waitForSelector(`${panel} [data-field=date_of_birth] .field-error`);
    await page.fill(`${panel} input[name=ocr-date_of_birth]`, '01/02/1990');
    await page.fill(`${panel} input[name=ocr-full_name]`, 'NGUYỄN VĂN ANH');
    const confirmed = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === `/api/v1/files/${fileId}/fields`);
    await page.click(`${panel} [data-testid=ocr-confirm]`);
    const answer = await confirmed;
    assert.ok([200, 201].includes(answer.status()), `POST fields → ${answer.status()}`);
    assert.deepEqual(JSON.parse(answer.request().postData()), {
      kind: 'citizen_id_card',
      fields: { id_number: id, full_name: 'NGUYỄN VĂN ANH', date_of_birth: '01/02/1990' },
    });
    await page.waitForSelector(`${panel} [data-testid=ocr-confirmed]:has-text("Đã xác nhận lúc")`);
    const after = (await pageFetch(page, `/api/v1/files/${fileId}/ocr`)).body;
    assert.equal(after.confirmed?.fields?.full_name, 'NGUYỄN VĂN ANH');
    // The API keeps dates as ISO yyyy-mm-dd (the page shows dd/mm/yyyy).
    assert.equal(after.confirmed?.fields?.date_of_birth, '1990-02-01');
    assert.match(after.confirmed?.by ?? '', /^officer:/);

    // "Điền vào hồ sơ": the empty applicant fields take the confirmed values.
    assert.equal(await page.inputValue('input[name=id-number]'), '');
    await page.click(`${panel} [data-testid=ocr-fill]`);
    assert.equal(await page.inputValue('input[name=id-number]'), id);
    assert.equal(await page.inputValue('input[name=name]'), 'Nguyễn Văn Anh');
    await page.waitForSelector(`${panel} [data-testid=ocr-filled]`);
    await ctx.shot(page, 'reuse-3-ocr-confirmed');

    // Removing the file removes its panel (and stops its polling).
    await page.click(`${row} .upload-list [data-file-id="${fileId}"] button`);
    assert.equal(await page.locator(panel).count(), 0);
  });

  t.test('at the counter the officer looks up the applicant’s data store and receives a dossier reusing the holding', async (ctx) => {
    const { assert } = ctx;
    const { unit, citizen } = await setUp(ctx);
    const h = await resultHolding(ctx);
    const found = shared.target ? { proc: shared.target, component: { code: shared.targetComponent } } : await procedureAccepting(ctx, h.doc_type, '');
    assert.ok(found, `a procedure with a component that accepts "${h.doc_type}"`);
    const { proc, component } = found;
    const officer = officerOf(ctx, unit, 'one_stop_officer');
    const page = await officerPage(ctx, officer, '/#/can-bo/tiep-nhan', { viewport: { width: 1366, height: 768 } });
    await page.waitForSelector('select[name=procedure]');
    await page.selectOption('select[name=procedure]', proc.code);
    await page.waitForSelector(`[data-component="${component.code}"]`);
    await page.fill('input[name=id-number]', citizen.login);
    await page.fill('input[name=name]', shared.api.account.name);
    await page.click('[data-testid=holdings-lookup-button]');
    await page.waitForSelector('[data-testid=holdings-found]');
    assert.ok((await text(page, '[data-testid=holdings-found]')).includes(citizen.login));
    const comp = `[data-component="${component.code}"]`;
    await page.check(`${comp} [data-testid=reuse-radio]`);
    await page.selectOption(`${comp} [data-testid=reuse-holding]`, h.id);
    for (const c of proc.components.filter((x) => x.required)) {
      await page.check(`input[name=provided-${c.code}]`);
    }
    await ctx.assertNoSeriousAxe(page, 'counter intake with reuse');
    await ctx.shot(page, 'reuse-4-intake');
    const posted = page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/dossiers');
    await page.click('main form button.btn-primary[type=submit]');
    const body = JSON.parse((await posted).postData());
    assert.deepEqual(body.components.find((x) => x.code === component.code), { code: component.code, reused_from: h.id });
    await page.waitForFunction(() => location.hash.startsWith('#/can-bo/bien-nhan/'));
    const code = decodeURIComponent((await page.evaluate(() => location.hash)).slice('#/can-bo/bien-nhan/'.length));
    const d = (await pageFetch(page, `/api/v1/dossiers/${code}`)).body;
    assert.equal(d.components.find((x) => x.code === component.code)?.reused_from, `holding:${h.id}`);
    await page.goto(`/#/can-bo/ho-so/${code}`);
    await page.waitForSelector('[data-testid=reused-from]');
    assert.ok((await text(page, '[data-testid=reused-from]')).startsWith('Dùng lại từ kho dữ liệu:'));
  });
}
