// End-to-end tests of the officer workspace and the administration pages against a real server
// (see run.mjs for ctx, staff-helpers.mjs for the officer sign-in). Tests run in order; the
// first creates the dossiers the queue tests read.
import {
  demoCommunes,
  getJson,
  noHorizontalScroll,
  officerApi,
  officerOf,
  officerPage,
  officerSignIn,
  pageFetch,
  text,
} from './staff-helpers.mjs';

const shared = { unit: '', codes: [], newOfficer: null };

// A commune-level procedure offered fully online, with a deadline in working days.
async function pickProcedure(ctx) {
  const all = (await getJson(ctx, '/api/v1/procedures')).items;
  const p = all.find(
    (x) => x.competent_level === 'commune' && x.online_level === 'full' && x.time_limit.unit === 'working_days',
  );
  if (!p) throw new Error('no commune procedure offered online with a deadline in working days');
  return getJson(ctx, `/api/v1/procedures/${p.code}`);
}

export default async function (t) {
  t.test('officer sign-in with TOTP; queue tabs match the API', async (ctx) => {
    const { assert } = ctx;
    const units = (await getJson(ctx, '/api/v1/units')).items;
    shared.unit = demoCommunes(ctx, units)[0];
    assert.ok(shared.unit, 'a demo commune with officers');
    // Three new online dossiers for the commune, filed by a demo citizen.
    const proc = await pickProcedure(ctx);
    const c = ctx.creds.citizens[3];
    const citizen = await ctx.apiSession(c.login, c.password);
    for (let i = 0; i < 3; i++) {
      const d = await citizen.post('/api/v1/dossiers', {
        procedure_code: proc.code,
        channel: 'online',
        applicant: { id_number: c.login, name: citizen.account.name, phone: '0912000111' },
        receiving_unit: shared.unit,
        components: proc.components.filter((x) => x.required).map((x) => ({ code: x.code })),
      });
      shared.codes.push(d.code);
    }

    const officer = officerOf(ctx, shared.unit, 'one_stop_officer');
    const page = await ctx.page({ viewport: { width: 1366, height: 768 } });
    await page.goto('/#/can-bo');
    await page.waitForSelector('h1:has-text("Đăng nhập cán bộ")');
    await ctx.assertNoSeriousAxe(page, 'officer sign-in');
    // A wrong code is refused with the server's message.
    await page.fill('input[name=login]', officer.login);
    await page.fill('input[name=password]', officer.password);
    await page.fill('input[name=totp]', '000000');
    await page.click('form[aria-label="Đăng nhập cán bộ"] button[type=submit]');
    await page.waitForSelector('.alert-error:has-text("Mã xác thực không đúng")');
    await officerSignIn(ctx, page, officer);
    await page.waitForSelector('h1:has-text("Hàng đợi hồ sơ")');
    // The unit's name comes with the unit list, fetched after the page shows: wait for it.
    await page.waitForFunction(
      (want) => document.querySelector('nav.staff-nav')?.textContent?.replace(/\s+/g, ' ').includes(want),
      `(${shared.unit}) · Vai trò: Cán bộ một cửa`,
    );

    for (const [tab, label] of [
      ['new', 'Mới, chờ tiếp nhận'],
      ['due_soon', 'Sắp đến hạn'],
      ['overdue', 'Quá hạn'],
      ['supplement', 'Chờ bổ sung'],
      ['all', 'Tất cả'],
    ]) {
      await page.click(`.queue-tabs a:has-text("${label}")`);
      await page.waitForFunction((q) => location.hash === `#/can-bo?tab=${q}`, tab);
      await page.waitForSelector('table.queue, .alert-info');
      const api = await pageFetch(page, `/api/v1/dossiers?limit=25${tab === 'all' ? '' : `&queue=${tab}`}`);
      assert.equal(api.status, 200, `queue ${tab}: ${JSON.stringify(api.body)}`);
      await page.waitForFunction(
        (n) => document.querySelectorAll('table.queue tbody tr').length === n,
        api.body.items.length,
      );
      const shown = await page.$$eval('table.queue tbody tr', (rows) => rows.map((r) => r.dataset.code));
      assert.deepEqual(shown, api.body.items.map((d) => d.code), `tab ${tab}`);
      assert.equal(await page.getAttribute(`.queue-tabs a:has-text("${label}")`, 'aria-current'), 'page');
    }
    // The new dossiers are in the "new" tab, with dates dd/mm/yyyy and the state's name.
    await page.click('.queue-tabs a:has-text("Mới, chờ tiếp nhận")');
    await page.waitForSelector(`table.queue tr[data-code="${shared.codes[0]}"]`);
    const row = await text(page, `table.queue tr[data-code="${shared.codes[0]}"]`);
    assert.ok(row.includes(proc.name), row);
    assert.ok(row.includes('Đã nộp, chờ tiếp nhận'), row);
    assert.ok(row.includes('Chưa tiếp nhận'), row);
    const count = await text(page, '.queue-tabs a:has-text("Mới, chờ tiếp nhận") .count');
    const total = (await pageFetch(page, '/api/v1/dossiers?queue=new&total=true&limit=1')).body.total;
    assert.equal(count, `(${total})`);
    assert.ok(total >= 3);
  });

  t.test('keyboard: "/" searches, j/k and arrows move, Enter opens; 1366×768 without horizontal scroll', async (ctx) => {
    const { assert } = ctx;
    const officer = officerOf(ctx, shared.unit, 'one_stop_officer');
    const page = await officerPage(ctx, officer, '/#/can-bo?tab=all', { viewport: { width: 1366, height: 768 } });
    await page.waitForSelector('table.queue tbody tr');
    assert.ok(await noHorizontalScroll(page), 'the queue scrolls sideways at 1366×768');
    await ctx.assertNoSeriousAxe(page, 'queue');
    await ctx.shot(page, 'officer-queue');
    const codes = await page.$$eval('table.queue tbody tr', (rows) => rows.map((r) => r.dataset.code));
    assert.ok(codes.length >= 3);

    // "/" focuses the search; Escape leaves it.
    await page.click('h1');
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'queue-search');
    await page.keyboard.press('Escape');
    await page.click('h1');
    const focused = () => page.evaluate(() => document.activeElement?.closest('tr')?.dataset.code ?? null);
    // The first row starts selected; j moves down, k up; arrows too.
    assert.equal(await page.getAttribute('table.queue tbody tr.selected', 'data-code'), codes[0]);
    await page.keyboard.press('j');
    assert.equal(await focused(), codes[1]);
    await page.keyboard.press('j');
    assert.equal(await focused(), codes[2]);
    await page.keyboard.press('k');
    assert.equal(await focused(), codes[1]);
    await page.keyboard.press('ArrowDown');
    assert.equal(await focused(), codes[2]);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    assert.equal(await focused(), codes[0]);
    assert.equal(await page.getAttribute('table.queue tbody tr.selected', 'data-code'), codes[0]);
    await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    await page.waitForFunction((c) => location.hash === `#/can-bo/ho-so/${c}`, codes[1]);
    await page.waitForSelector(`h1:has-text("Hồ sơ ${codes[1]}")`);

    // Search by code from the keyboard: "/" then type then Enter; ↓ reaches the result.
    await page.goto('/#/can-bo?tab=new');
    await page.waitForSelector('table.queue tbody tr');
    await page.click('h1');
    await page.keyboard.press('/');
    await page.keyboard.type(shared.codes[2]);
    await page.keyboard.press('Enter');
    await page.waitForFunction((c) => location.hash.includes(`code=${c}`), shared.codes[2]);
    await page.waitForFunction(
      (c) => [...document.querySelectorAll('table.queue tbody tr')].map((r) => r.dataset.code).join() === c,
      shared.codes[2],
    );
    await page.focus('#queue-search');
    await page.keyboard.press('ArrowDown');
    assert.equal(await focused(), shared.codes[2]);
    await page.keyboard.press('Enter');
    await page.waitForFunction((c) => location.hash === `#/can-bo/ho-so/${c}`, shared.codes[2]);
    // A code outside the officer's reach finds nothing.
    await page.goto('/#/can-bo?tab=new&code=00000-000000');
    await page.waitForSelector('text=Không có hồ sơ nào trong phạm vi của bạn');
  });

  t.test('dossier page: receive with digitised components; a stale action shows the server message', async (ctx) => {
    const { assert } = ctx;
    const officer = officerOf(ctx, shared.unit, 'one_stop_officer');
    const code = shared.codes[0];
    const page = await officerPage(ctx, officer, `/#/can-bo/ho-so/${code}`, { viewport: { width: 1366, height: 768 } });
    await page.waitForSelector(`h1:has-text("Hồ sơ ${code}")`);
    const d = (await pageFetch(page, `/api/v1/dossiers/${code}`)).body;
    const main = await text(page, 'main');
    assert.ok(main.includes(d.applicant.name));
    for (const c of d.components) assert.ok(main.includes(c.name), c.code);
    for (const s of d.steps) assert.ok(main.includes(s.name), s.code);
    assert.ok((await text(page, '.timeline')).includes('Nộp hồ sơ'));
    const buttons = await page.$$eval('.action-bar button', (b) => b.map((x) => x.dataset.action));
    assert.deepEqual(buttons, ['receive', 'supplement-request', 'transfer', 'refuse']);
    await ctx.assertNoSeriousAxe(page, 'dossier');
    await ctx.shot(page, 'officer-dossier-new');

    // Receive, marking the first component as digitised.
    await page.click('.action-bar button[data-action=receive]');
    await page.waitForSelector('form[data-form=receive]');
    await ctx.assertNoSeriousAxe(page, 'receive form');
    await page.check(`form[data-form=receive] input[value="${d.components[0].code}"]`);
    await page.click('form[data-form=receive] button[type=submit]');
    await page.waitForSelector('text=Đã thực hiện: Tiếp nhận.');
    await page.waitForSelector('[data-testid=dossier-state]:has-text("Đã tiếp nhận")');
    const after = (await pageFetch(page, `/api/v1/dossiers/${code}`)).body;
    assert.equal(after.state, 'received');
    assert.equal(after.components[0].digitised, true);
    assert.ok(after.due_at);
    const general = await text(page, 'section[aria-labelledby=general-h]');
    assert.ok(general.includes(after.due_at_vi.slice(0, 10)), `due ${after.due_at_vi} in ${general}`);
    assert.ok((await text(page, '.timeline')).includes('Tiếp nhận hồ sơ'));

    // Another dossier: the page shows "Tiếp nhận", someone receives it meanwhile, the click
    // then gets the server's refusal, shown as it is.
    const other = shared.codes[1];
    await page.goto(`/#/can-bo/ho-so/${other}`);
    await page.waitForSelector('.action-bar button[data-action=receive]');
    const api = await officerApi(ctx, officer);
    await api.post(`/api/v1/dossiers/${other}/receive`, {});
    await page.click('.action-bar button[data-action=receive]');
    await page.click('form[data-form=receive] button[type=submit]');
    await page.waitForSelector('form[data-form=receive] .alert-error');
    const msg = await text(page, 'form[data-form=receive] .alert-error');
    assert.ok(msg.includes('Không thể thực hiện thao tác'), msg);
    // The very text the server sends for that refusal.
    const refusal = await api.post(`/api/v1/dossiers/${other}/receive`, {}).then(() => '', (e) => e.message);
    assert.ok(refusal.includes(JSON.stringify(msg).slice(1, -1)), `${msg} vs ${refusal}`);
  });

  t.test('consultation and its answer, apology with a new date (dd/mm/yyyy), stop; transfer before receipt', async (ctx) => {
    const { assert } = ctx;
    const units = (await getJson(ctx, '/api/v1/units')).items;
    const other = demoCommunes(ctx, units).find((u) => u !== shared.unit);
    const code = shared.codes[0]; // received by the previous test

    // The home commune's specialist asks the other commune's opinion.
    const specialist = officerOf(ctx, shared.unit, 'specialist');
    const sp = await officerPage(ctx, specialist, `/#/can-bo/ho-so/${code}`, { viewport: { width: 1366, height: 768 } });
    await sp.click('.action-bar button[data-action=consultations]');
    await sp.selectOption('form[data-form=consultations] select[name=unit]', other);
    await sp.fill('form[data-form=consultations] textarea[name=question]', 'Người nộp có đang cư trú tại địa bàn không?');
    await sp.click('form[data-form=consultations] button[type=submit]');
    await sp.waitForSelector('section[aria-labelledby=cons-h] :text("Chưa có trả lời.")');

    // The consulted commune's specialist sees the dossier and answers.
    const answerer = officerOf(ctx, other, 'specialist');
    const ap = await officerPage(ctx, answerer, `/#/can-bo/ho-so/${code}`, { viewport: { width: 1366, height: 768 } });
    await ap.waitForSelector(`h1:has-text("Hồ sơ ${code}")`);
    await ap.waitForSelector('.action-bar button');
    const offered = await ap.$$eval('.action-bar button', (b) => b.map((x) => x.dataset.action));
    assert.deepEqual(offered, ['consultation-answer']);
    await ap.click('.action-bar button[data-action=consultation-answer]');
    assert.ok((await text(ap, 'form[data-form=consultation-answer]')).includes('Người nộp có đang cư trú'));
    await ap.fill('form[data-form=consultation-answer] textarea[name=answer]', 'Có, đăng ký thường trú từ năm 2020.');
    await ap.click('form[data-form=consultation-answer] button[type=submit]');
    await ap.waitForSelector('section[aria-labelledby=cons-h] :text("đăng ký thường trú từ năm 2020")');

    // The leader sets a new appointment with an apology, typed as dd/mm/yyyy.
    const leader = officerOf(ctx, shared.unit, 'leader');
    const lp = await officerPage(ctx, leader, `/#/can-bo/ho-so/${code}`, { viewport: { width: 1366, height: 768 } });
    const before = (await pageFetch(lp, `/api/v1/dossiers/${code}`)).body;
    const due = new Date(Date.parse(before.due_at) + 7 * 3600 * 1000 + 3 * 86400 * 1000); // Vietnam time + 3 days
    const dd = String(due.getUTCDate()).padStart(2, '0');
    const mm = String(due.getUTCMonth() + 1).padStart(2, '0');
    const yyyy = due.getUTCFullYear();
    await lp.click('.action-bar button[data-action=apology]');
    await lp.fill('form[data-form=apology] input[name=new-date]', `${dd}/${mm}/${yyyy}`);
    await lp.fill('form[data-form=apology] input[name=new-time]', '16:30');
    await lp.fill('form[data-form=apology] textarea[name=reason]', 'Chờ ý kiến phối hợp của xã bạn');
    await lp.click('form[data-form=apology] button[type=submit]');
    await lp.waitForSelector('section[aria-labelledby=apology-h]');
    assert.ok((await text(lp, 'section[aria-labelledby=apology-h]')).includes(`${dd}/${mm}/${yyyy} 16:30`));
    const after = (await pageFetch(lp, `/api/v1/dossiers/${code}`)).body;
    assert.equal(after.due_at_vi, `${dd}/${mm}/${yyyy} 16:30`);
    assert.equal(after.original_due_at, before.due_at);
    // Only once: the button is gone.
    assert.equal(await lp.locator('.action-bar button[data-action=apology]').count(), 0);

    // …and stops the processing with a reason.
    await lp.click('.action-bar button[data-action=cancel]');
    await lp.click('form[data-form=cancel] button[type=submit]');
    await lp.waitForSelector('form[data-form=cancel] .alert-error:has-text("Vui lòng nhập lý do")');
    await lp.fill('form[data-form=cancel] textarea[name=reason]', 'Người nộp đề nghị dừng để bổ sung sau');
    await lp.click('form[data-form=cancel] button[type=submit]');
    await lp.waitForSelector('[data-testid=dossier-state]:has-text("Đã dừng xử lý")');
    await ctx.shot(lp, 'officer-dossier-cancelled');

    // Before receipt, the one-stop officer transfers a dossier to the other commune: it leaves
    // the home commune's hands.
    const oneStop = officerOf(ctx, shared.unit, 'one_stop_officer');
    const op = await officerPage(ctx, oneStop, `/#/can-bo/ho-so/${shared.codes[2]}`, { viewport: { width: 1366, height: 768 } });
    await op.click('.action-bar button[data-action=transfer]');
    await op.selectOption('form[data-form=transfer] select[name=unit]', other);
    await op.fill('form[data-form=transfer] textarea[name=reason]', 'Người nộp cư trú tại xã bạn');
    await ctx.assertNoSeriousAxe(op, 'transfer form');
    await op.click('form[data-form=transfer] button[type=submit]');
    await op.waitForSelector('text=chỉ đơn vị đang giữ hồ sơ mới thao tác được');
    assert.ok((await text(op, 'section[aria-labelledby=tr-h]')).includes(`(${other})`));
    assert.equal((await pageFetch(op, `/api/v1/dossiers/${shared.codes[2]}`)).body.current_unit, other);
  });

  t.test('counter intake with an upload prints a receipt with code and appointment on one A4 page', async (ctx) => {
    const { assert } = ctx;
    const officer = officerOf(ctx, shared.unit, 'one_stop_officer');
    const proc = await pickProcedure(ctx);
    const page = await officerPage(ctx, officer, '/#/can-bo/tiep-nhan', { viewport: { width: 1366, height: 768 } });
    await page.waitForSelector('h1:has-text("Tiếp nhận hồ sơ trực tiếp")');
    await page.fill('input[name=procedure-filter]', proc.name);
    await page.selectOption('select[name=procedure]', proc.code);
    await page.waitForSelector(`[data-component="${proc.components[0].code}"]`);
    await ctx.assertNoSeriousAxe(page, 'intake');
    // Required fields are checked before anything is sent.
    await page.click('button:has-text("Tiếp nhận và in giấy hẹn")');
    await page.waitForSelector('.alert-error:has-text("Vui lòng sửa")');
    await page.fill('input[name=id-number]', '051095000777');
    await page.fill('input[name=name]', 'Lê Thị Hoa');
    await page.fill('input[name=phone]', '0905123456');
    await page.fill('input[name=address]', 'Thôn Bắc, phường thử nghiệm');
    const first = proc.components[0].code;
    const bytes = ctx.pdf('Ban khai tai quay');
    await page.locator(`[data-component="${first}"] input[type=file]`).setInputFiles({
      name: 'bản-khai.pdf',
      mimeType: 'application/pdf',
      buffer: bytes,
    });
    await page.waitForSelector(`[data-component="${first}"] .upload-list li[data-file-id]:has-text("bản-khai.pdf")`);
    assert.ok(await page.isChecked(`input[name="digitised-${first}"]`), 'an uploaded component counts as digitised');
    await ctx.shot(page, 'officer-intake');
    await page.click('button:has-text("Tiếp nhận và in giấy hẹn")');
    await page.waitForSelector('[data-testid=receipt]');
    const code = (await text(page, '[data-testid=receipt-code]'));
    assert.match(code, new RegExp(`^${shared.unit}-\\d{6}-\\d{4}$`));
    const d = (await pageFetch(page, `/api/v1/dossiers/${code}`)).body;
    assert.equal(d.channel, 'counter');
    assert.equal(d.state, 'received');
    assert.equal(d.applicant.name, 'Lê Thị Hoa');
    const comp = d.components.find((x) => x.code === first);
    assert.equal(comp.digitised, true);
    assert.equal(comp.files.length, 1);
    const got = await page.evaluate(
      async ([c, id]) => Array.from(new Uint8Array(await (await fetch(`/api/v1/dossiers/${c}/files/${id}`)).arrayBuffer())),
      [code, comp.files[0].id],
    );
    assert.deepEqual(Buffer.from(got), bytes);

    const receipt = await text(page, '[data-testid=receipt]');
    assert.ok(receipt.includes('Giấy tiếp nhận hồ sơ và hẹn trả kết quả'.toUpperCase()) || receipt.includes('Giấy tiếp nhận hồ sơ và hẹn trả kết quả'));
    assert.ok(receipt.includes(proc.name));
    assert.ok(receipt.includes('Lê Thị Hoa'));
    const due = d.due_at_vi; // "dd/mm/yyyy HH:MM"
    assert.equal(await text(page, '[data-testid=receipt-appointment]'), `${due.slice(11)} ngày ${due.slice(0, 10)}`);
    assert.equal(await text(page, '[data-testid=receipt-received]'), d.received_at_vi);
    if (d.lookup_key) assert.equal(await text(page, '[data-testid=receipt-lookup-key]'), d.lookup_key);
    assert.ok((await text(page, '[data-testid=receipt-officer]')).length > 0);
    await ctx.assertNoSeriousAxe(page, 'receipt');
    await ctx.shot(page, 'officer-receipt');

    // The print view: only the slip, with code and appointment, on one A4 page.
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.isVisible('header.site-header'), false);
    assert.equal(await page.isVisible('nav.staff-nav'), false);
    assert.equal(await page.isVisible('.receipt-tools'), false);
    assert.ok(await page.isVisible('[data-testid=receipt-code]'));
    assert.ok(await page.isVisible('[data-testid=receipt-appointment]'));
    await ctx.shot(page, 'officer-receipt-print');
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    assert.equal(pages, 1, 'the receipt prints on one page');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(new URL('../test-artifacts/officer-receipt.pdf', import.meta.url), pdf);
    await page.emulateMedia({ media: 'screen' });
  });

  t.test('administration: units, officers (create, roles, disable), procedures, calendar', async (ctx) => {
    const { assert } = ctx;
    const admin = ctx.creds.officers.find((o) => (o.roles ?? []).includes('province_admin'));
    const page = await officerPage(ctx, admin, '/#/quan-tri', { viewport: { width: 1366, height: 768 } });
    await page.waitForSelector('h1:has-text("Quản trị")');

    // Units on a date: the count and the tree match the API.
    const date = '2025-06-01';
    const units = await getJson(ctx, `/api/v1/units?date=${date}`);
    await page.goto('/#/quan-tri/don-vi');
    await page.waitForSelector('[data-testid=unit-count]');
    await page.fill('input[name=date]', '01/06/2025'); // dd/mm/yyyy whatever the browser's language
    await page.click('button:has-text("Xem")');
    await page.waitForFunction((d) => location.hash === `#/quan-tri/don-vi?date=${d}`, date);
    await page.waitForSelector('[data-testid=unit-count]:has-text("01/06/2025")');
    assert.ok((await text(page, '[data-testid=unit-count]')).startsWith(`${units.count} đơn vị có hiệu lực ngày 01/06/2025`));
    assert.equal(await page.$$eval('[data-unit]', (n) => n.length), units.count);
    const district = units.items.find((u) => u.level === 'district');
    assert.ok(district, 'districts exist before 1 July 2025');
    await page.fill('input[name=filter]', district.name);
    await page.waitForSelector(`.tree [data-unit="${district.code}"]`);
    await ctx.assertNoSeriousAxe(page, 'units');
    await ctx.shot(page, 'admin-units');

    // Officers: the list is the API's first page; create an account through the form.
    await page.goto('/#/quan-tri/can-bo');
    await page.waitForSelector('table.officers');
    const list = (await pageFetch(page, '/api/v1/officers?limit=50')).body;
    assert.equal(await page.$$eval('table.officers tbody tr', (r) => r.length), list.items.length);
    await ctx.assertNoSeriousAxe(page, 'officers');
    await page.click('button:has-text("Tạo tài khoản cán bộ")');
    await page.fill('form[aria-labelledby=create-h] input[name=login]', 'canbo-moi-e2e');
    await page.fill('form[aria-labelledby=create-h] input[name=name]', 'Phạm Minh Đức');
    await page.selectOption('form[aria-labelledby=create-h] select[name=unit]', shared.unit);
    await page.check('form[aria-labelledby=create-h] input[value=specialist]');
    await page.fill('form[aria-labelledby=create-h] input[name=password]', 'Mật-khẩu-Sông-Trà-2026');
    await page.click('button:has-text("Tạo tài khoản")');
    await page.waitForSelector('text=Đã tạo tài khoản canbo-moi-e2e');
    shared.newOfficer = { login: 'canbo-moi-e2e', password: 'Mật-khẩu-Sông-Trà-2026' };
    // Change roles, disable and enable it again.
    const all = async () => {
      let after = '';
      const items = [];
      for (;;) {
        const p = (await pageFetch(page, `/api/v1/officers?limit=500${after ? `&after=${after}` : ''}`)).body;
        items.push(...p.items);
        if (!p.next_after) return items;
        after = p.next_after;
      }
    };
    const created = (await all()).find((a) => a.login === 'canbo-moi-e2e');
    assert.ok(created, 'the new account exists');
    assert.deepEqual(created.roles, ['specialist']);
    assert.equal(created.totp_enrolled, false);
    await page.goto('/#/quan-tri/can-bo');
    let row = page.locator('tr[data-login="canbo-moi-e2e"]');
    for (let i = 0; (await row.count()) === 0 && i < 20; i++) {
      await page.click('button:has-text("Trang sau")');
      await page.waitForTimeout(200);
      row = page.locator('tr[data-login="canbo-moi-e2e"]');
    }
    await row.locator('button:has-text("Đổi đơn vị, vai trò")').click();
    await page.check('form[data-form=roles] input[value=leader]');
    await page.click('form[data-form=roles] button[type=submit]');
    await page.waitForSelector('text=Đã lưu đơn vị và vai trò của canbo-moi-e2e.');
    await row.locator('button:has-text("Khóa")').click();
    await page.click('form[data-form=disable] button[type=submit]');
    await page.waitForSelector('form[data-form=disable] .alert-error:has-text("Vui lòng nhập lý do")');
    await page.fill('form[data-form=disable] textarea', 'Kiểm thử khóa tài khoản');
    await page.click('form[data-form=disable] button[type=submit]');
    await page.waitForSelector('text=Đã khóa tài khoản canbo-moi-e2e.');
    assert.ok((await text(page, 'tr[data-login="canbo-moi-e2e"]')).includes('Đã khóa'));
    await row.locator('button:has-text("Mở khóa")').click();
    await page.fill('form[data-form=enable] textarea', 'Hết kiểm thử');
    await page.click('form[data-form=enable] button[type=submit]');
    await page.waitForSelector('text=Đã mở khóa tài khoản canbo-moi-e2e.');
    const updated = (await all()).find((a) => a.login === 'canbo-moi-e2e');
    assert.deepEqual([...updated.roles].sort(), ['leader', 'specialist']);
    assert.equal(updated.disabled, false);
    await ctx.shot(page, 'admin-officers');

    // Procedures: every procedure listed, read-only note, one detail page with its fees.
    const procs = (await getJson(ctx, '/api/v1/procedures')).items;
    await page.goto('/#/quan-tri/thu-tuc');
    await page.waitForSelector('table.data tbody tr');
    assert.equal(await page.$$eval('table.data tbody tr', (r) => r.length), procs.length);
    assert.ok((await text(page, 'main')).includes('issue #10'));
    await ctx.assertNoSeriousAxe(page, 'procedures');
    await ctx.shot(page, 'admin-procedures');
    const withFee = procs.find((p) => p.fees.some((f) => f.amount >= 1000));
    await page.click(`a:text-is("${withFee.code}")`);
    await page.waitForSelector(`h1:has-text("${withFee.name}")`);
    const fee = withFee.fees.find((f) => f.amount >= 1000);
    const money = String(fee.amount).replace(/\B(?=(\d{3})+(?!\d))/g, '.') + ' ₫';
    assert.ok((await text(page, 'main')).includes(money), money);

    // Calendar: the year's days with their names.
    const cal = await getJson(ctx, '/api/v1/calendar?year=2026');
    await page.goto('/#/quan-tri/lich?year=2026');
    await page.waitForSelector('[data-testid=calendar-summary]');
    assert.equal(await page.$$eval('table.calendar tbody tr', (r) => r.length), cal.days.length);
    const tet = cal.days.find((d) => d.date === '2026-02-17') ?? cal.days[0];
    const [y, m, dd] = tet.date.split('-');
    assert.ok((await text(page, `tr[data-date="${tet.date}"]`)).includes(`${dd}/${m}/${y}`));
    assert.ok((await text(page, `tr[data-date="${tet.date}"]`)).includes(tet.name_vi));
    // The province administrator gets the form (e2e/calendar.e2e.mjs) and the note that the
    // official data file's days cannot be cleared, not the read-only note.
    assert.ok((await text(page, 'main')).includes('tệp dữ liệu chính thức'));
    assert.ok(!(await text(page, 'main')).includes('chỉ để xem'));
    // Every kind of day has its name from the catalogue, none shows its raw code.
    for (const d of cal.days) {
      const row = await text(page, `tr[data-date="${d.date}"]`);
      assert.ok(!row.includes(d.kind), `${d.date}: ${row}`);
    }
    const makeUp = cal.days.find((d) => d.working);
    if (makeUp) assert.ok((await text(page, `tr[data-date="${makeUp.date}"]`)).includes('Làm bù'));
    await ctx.assertNoSeriousAxe(page, 'calendar');
    await ctx.shot(page, 'admin-calendar');
  });

  t.test('a fresh officer enrols the second factor: secret and otpauth URI shown as text', async (ctx) => {
    const { assert } = ctx;
    assert.ok(shared.newOfficer, 'needs the account created by the previous test');
    const page = await ctx.page();
    await page.goto('/#/can-bo');
    await page.waitForSelector('form[aria-label="Đăng nhập cán bộ"]');
    await page.fill('input[name=login]', shared.newOfficer.login);
    await page.fill('input[name=password]', shared.newOfficer.password);
    await page.click('form[aria-label="Đăng nhập cán bộ"] button[type=submit]');
    await page.waitForSelector('h1:has-text("Thiết lập xác thực hai lớp")');
    await page.waitForSelector('[data-testid=totp-secret]');
    const secret = await text(page, '[data-testid=totp-secret]');
    const uri = await text(page, '[data-testid=totp-uri]');
    assert.match(secret, /^[A-Z2-7]{16,}$/);
    assert.ok(uri.startsWith('otpauth://totp/'), uri);
    assert.ok(uri.includes(`secret=${secret}`), uri);
    await ctx.assertNoSeriousAxe(page, 'enrolment');
    await page.fill('input[name=totp-confirm]', '12345');
    await page.click('button:has-text("Xác nhận")');
    await page.waitForSelector('.alert-error:has-text("6 chữ số")');
    await page.fill('input[name=totp-confirm]', await ctx.totp(secret));
    await page.click('button:has-text("Xác nhận")');
    await page.waitForSelector('h1:has-text("Hàng đợi hồ sơ")');
    const s = (await pageFetch(page, '/api/v1/session')).body;
    assert.equal(s.stage, 'full');
    assert.equal(s.account.totp_enrolled, true);
  });

  t.test('English: the queue and the dossier page switch language', async (ctx) => {
    const { assert } = ctx;
    const officer = officerOf(ctx, shared.unit, 'one_stop_officer');
    const page = await officerPage(ctx, officer, '/#/can-bo?tab=all', { viewport: { width: 1366, height: 768 } });
    await page.waitForSelector('table.queue tbody tr');
    await page.click('button.lang-switch');
    await page.waitForSelector('h1:has-text("Work queue")');
    assert.ok((await text(page, '.queue-tabs')).includes('Awaiting supplement'));
    await page.goto(`/#/can-bo/ho-so/${shared.codes[0]}`);
    await page.waitForSelector(`h1:has-text("Dossier ${shared.codes[0]}")`);
    assert.ok((await text(page, 'main')).includes('Processing steps'));
    assert.ok(await noHorizontalScroll(page));
  });
}
