// End-to-end tests of the citizen portal against a real server (see run.mjs for ctx).
// Tests run in order and share what earlier ones created (the submitted dossier's code and key).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const fold = (s) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase();

const shared = { code: '', key: '', phone: '0912345678' };

async function procedures(ctx) {
  const r = await fetch(`${ctx.base}/api/v1/procedures`);
  return (await r.json()).items;
}

async function listedNames(page) {
  return page.$$eval('[data-testid=procedure-list] .proc-name a', (as) => as.map((a) => a.textContent.trim()));
}

async function noHorizontalScroll(page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

export default async function (t) {
  t.test('catalogue search with and without diacritics, and by code', async (ctx) => {
    const { assert } = ctx;
    const all = await procedures(ctx);
    const page = await ctx.page();
    const scripts = [];
    page.on('response', (r) => r.request().resourceType() === 'script' && scripts.push(r.url()));
    await page.goto('/');
    await page.waitForSelector('[data-testid=procedure-list]');
    // The first page loads only the portal's chunk, well under 200 KB gzip.
    assert.ok(scripts.length >= 1);
    assert.ok(!scripts.some((u) => /officer|admin/.test(u)), scripts.join(' '));
    let gz = 0;
    for (const u of scripts) gz += gzipSync(Buffer.from(await (await fetch(u)).arrayBuffer())).length;
    assert.ok(gz < 200 * 1024, `first page JS ${gz} bytes gzip`);
    console.log(`    first page JS: ${scripts.length} file(s), ${(gz / 1024).toFixed(1)} KB gzip`);
    assert.equal((await listedNames(page)).length, all.length);
    await ctx.assertNoSeriousAxe(page, 'home');
    await ctx.shot(page, 'home');

    // Every word, in any order (so "Đăng ký lại khai sinh" matches too).
    const words = ['dang', 'ky', 'khai', 'sinh'];
    const expected = all.filter((p) => words.every((w) => fold(p.name).includes(w))).map((p) => p.name).sort();
    assert.ok(expected.includes('Đăng ký lại khai sinh'));
    assert.ok(expected.includes('Đăng ký khai sinh'));
    await page.fill('#q', 'dang ky khai sinh');
    assert.deepEqual((await listedNames(page)).sort(), expected);
    await page.fill('#q', 'ĐĂNG KÝ KHAI SINH');
    assert.deepEqual((await listedNames(page)).sort(), expected);
    await page.fill('#q', 'khai sinh dang ky'); // any word order
    assert.deepEqual((await listedNames(page)).sort(), expected);
    await page.fill('#q', '1.001193');
    assert.deepEqual(await listedNames(page), ['Đăng ký khai sinh']);
    await page.fill('#q', 'khong co thu tuc nay xyz');
    assert.equal((await listedNames(page)).length, 0);
    assert.match(await page.textContent('[data-testid=result-count]'), /Tìm thấy 0 thủ tục/);
    // The query is kept in the address, so going back to the list keeps it.
    await page.fill('#q', 'ket hon');
    assert.match(await page.evaluate(() => location.hash), /q=ket%20hon/);
    const marriage = all.filter((p) => ['ket', 'hon'].every((w) => fold(`${p.name} ${p.name_en} ${p.code}`).includes(w)));
    assert.equal((await listedNames(page)).length, marriage.length);
    assert.ok(marriage.length > 0);
  });

  t.test('procedure page: time limit, fees, components, online button', async (ctx) => {
    const { assert } = ctx;
    const detail = await (await fetch(`${ctx.base}/api/v1/procedures/1.001193`)).json();
    const page = await ctx.page();
    await page.goto('/#/?q=1.001193');
    await page.click('text=Đăng ký khai sinh');
    await page.waitForSelector('h1:has-text("Đăng ký khai sinh")');
    assert.equal(await page.evaluate(() => location.hash), '#/thu-tuc/1.001193');
    const text = await page.textContent('main');
    assert.ok(text.includes('Trong ngày'), 'time limit');
    assert.ok(text.includes('8.000 ₫'), 'late registration fee as money');
    for (const c of detail.components) assert.ok(text.includes(c.name), `component ${c.code}`);
    assert.ok(text.includes('Cấp xã'));
    assert.ok(await page.isVisible('[data-testid=submit-online]'));
    await ctx.assertNoSeriousAxe(page, 'procedure');
    await ctx.shot(page, 'procedure');

    // A procedure that is not offered online has no submit button.
    const offline = (await procedures(ctx)).find((p) => p.online_level === 'none');
    await page.goto(`/#/thu-tuc/${offline.code}`);
    await page.waitForSelector(`h1:has-text("${offline.name}")`);
    assert.equal(await page.isVisible('[data-testid=submit-online]'), false);
    assert.ok((await page.textContent('main')).includes('chỉ nộp trực tiếp'));
  });

  t.test('the submit form refuses bad files before uploading', async (ctx) => {
    const { assert } = ctx;
    const c = ctx.creds.citizens[0];
    const page = await ctx.page();
    await ctx.signIn(page, c.login, c.password);
    await page.goto('/#/thu-tuc/1.001193/nop');
    await page.waitForSelector('[data-testid=submit-form]');
    const uploads = [];
    page.on('request', (r) => r.url().endsWith('/api/v1/files') && uploads.push(r.url()));
    const input = page.locator('#file-TK');
    await input.setInputFiles({ name: 'ghi-chu.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    await page.waitForSelector('text=Chỉ nhận tệp PDF, JPEG hoặc PNG.');
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    await input.setInputFiles({ name: 'anh.pdf', mimeType: 'application/pdf', buffer: png });
    await page.waitForSelector('text=Nội dung tệp không đúng định dạng PDF, JPEG hoặc PNG.');
    await input.setInputFiles({ name: 'rong.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(0) });
    await page.waitForSelector('text=Tệp rỗng.');
    // 10 MiB + 9 bytes, from a file on disk (a path is handed to the browser, not the bytes).
    const dir = mkdtempSync(join(tmpdir(), 'motcua-e2e-big-'));
    const bigPath = join(dir, 'lon.pdf');
    writeFileSync(bigPath, Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(10 * 1024 * 1024)]));
    await input.setInputFiles(bigPath);
    await page.waitForSelector('text=Tệp lớn hơn 10 MB.');
    rmSync(dir, { recursive: true, force: true });
    assert.equal(uploads.length, 0, 'no upload request for refused files');
  });

  t.test('citizen submits with an upload, saves a draft and resumes it', async (ctx) => {
    const { assert } = ctx;
    const c = ctx.creds.citizens[0];
    const page = await ctx.page();
    await ctx.signIn(page, c.login, c.password);
    await page.goto('/#/thu-tuc/1.001193/nop');
    await page.waitForSelector('[data-testid=submit-form]');
    // Prefilled from the account: the ID number is the citizen's login.
    const session = await page.evaluate(async () => (await fetch('/api/v1/session')).json());
    assert.equal(await page.inputValue('#in-applicant-name'), session.account.name);
    assert.equal(await page.inputValue('input[readonly]'), c.login);
    await ctx.assertNoSeriousAxe(page, 'submit form');

    await page.fill('#in-applicant-phone', shared.phone);
    await page.fill('#in-applicant-address', 'Thôn Đông, xã thử nghiệm');
    await page.selectOption('#in-unit', '99501');
    const bytes = ctx.pdf('To khai dang ky khai sinh');
    await page.locator('#file-TK').setInputFiles({ name: 'tờ-khai.pdf', mimeType: 'application/pdf', buffer: bytes });
    await page.waitForSelector('.file-list :text("tờ-khai.pdf")');
    await page.locator('#file-GCS').setInputFiles({ name: 'giấy-chứng-sinh.pdf', mimeType: 'application/pdf', buffer: ctx.pdf('Giay chung sinh') });
    await page.waitForSelector('[data-component=GCS] :text("giấy-chứng-sinh.pdf")');

    // Save a draft, leave, come back: the form is restored (files included).
    await page.click('[data-testid=save-draft]');
    await page.waitForSelector('text=Đã lưu bản nháp lúc');
    await page.goto('/#/ho-so-cua-toi');
    await page.waitForSelector('[data-testid=draft-list]');
    assert.ok((await page.textContent('[data-testid=draft-list]')).includes('Đăng ký khai sinh'));
    await page.reload();
    await page.click('[data-testid=draft-list] a');
    await page.waitForSelector('text=Đã mở lại bản nháp lưu lúc');
    assert.equal(await page.inputValue('#in-applicant-phone'), shared.phone);
    assert.equal(await page.inputValue('#in-unit'), '99501');
    assert.ok(await page.isVisible('.file-list :text("tờ-khai.pdf")'));
    assert.ok(await page.isVisible('[data-component=GCS] :text("giấy-chứng-sinh.pdf")'));

    // Missing pieces are reported before anything is sent.
    await page.click('[data-testid=submit-button]');
    await page.waitForSelector('#error-summary');
    const summary = await page.textContent('#error-summary');
    assert.ok(summary.includes('Lời cam đoan'), summary);
    assert.ok(summary.includes('Giấy tờ tùy thân'), summary);
    await ctx.shot(page, 'submit-form-errors');

    await page.locator('#file-GTTT').setInputFiles({ name: 'căn-cước.pdf', mimeType: 'application/pdf', buffer: ctx.pdf('Can cuoc') });
    await page.waitForSelector('[data-component=GTTT] :text("căn-cước.pdf")');
    await page.check('#declaration');
    await page.click('[data-testid=submit-button]');
    await page.waitForSelector('[data-testid=receipt-code]');
    const code = (await page.textContent('[data-testid=receipt-code]')).trim();
    const key = (await page.textContent('[data-testid=receipt-lookup-key]')).trim();
    assert.match(code, /^99501-\d{6}-\d{4}$/);
    assert.match(key, /^[A-Z0-9]{8}$/);
    assert.ok((await page.textContent('[data-testid=receipt-due]')).includes('Sẽ có khi cơ quan tiếp nhận'));
    await ctx.shot(page, 'receipt');
    // Printed, only the receipt remains: no header, navigation, buttons or footer.
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.isVisible('.site-header'), false);
    assert.equal(await page.isVisible('.site-footer'), false);
    assert.equal(await page.isVisible('button:has-text("In biên nhận")'), false);
    assert.ok(await page.isVisible('.receipt-head'));
    assert.ok(await page.isVisible('[data-testid=receipt-lookup-key]'));
    await ctx.shot(page, 'receipt-print');
    await page.emulateMedia({ media: 'screen' });
    shared.code = code;
    shared.key = key;

    // The server has the file under the component, byte for byte; the draft is gone.
    const d = await page.evaluate(async (cc) => (await fetch(`/api/v1/dossiers/${cc}`)).json(), code);
    const tk = d.components.find((x) => x.code === 'TK');
    assert.equal(tk.files.length, 1);
    assert.equal(tk.files[0].name, 'tờ-khai.pdf');
    const got = await page.evaluate(
      async ([cc, id]) => Array.from(new Uint8Array(await (await fetch(`/api/v1/dossiers/${cc}/files/${id}`)).arrayBuffer())),
      [code, tk.files[0].id],
    );
    assert.deepEqual(Buffer.from(got), bytes);
    assert.equal(d.components.find((x) => x.code === 'GCS').files[0].name, 'giấy-chứng-sinh.pdf');
    assert.equal(d.components.find((x) => x.code === 'GCS').reused_from, '');
    assert.equal(d.channel, 'online');
    assert.equal(d.applicant.phone, shared.phone);
    await page.waitForFunction(async () => (await (await fetch('/api/v1/drafts')).json()).items.length === 0);
  });

  t.test('my dossiers lists it; the detail page shows state and timeline', async (ctx) => {
    const { assert } = ctx;
    assert.ok(shared.code, 'needs the dossier of the previous test');
    const c = ctx.creds.citizens[0];
    const page = await ctx.page();
    await ctx.signIn(page, c.login, c.password);
    assert.equal(await page.evaluate(() => location.hash), '#/ho-so-cua-toi');
    await page.waitForSelector('[data-testid=my-dossiers]');
    await page.click(`[data-testid=my-dossiers] a:text("${shared.code}")`);
    await page.waitForSelector('[data-testid=timeline]');
    const main = await page.textContent('main');
    assert.ok(main.includes('Đã nộp, chờ tiếp nhận'));
    assert.ok((await page.textContent('[data-testid=timeline]')).includes('Nộp hồ sơ'));
    assert.ok(main.includes(shared.key));
    await ctx.assertNoSeriousAxe(page, 'dossier detail');
    await ctx.shot(page, 'my-dossier');
  });

  t.test('a request for more documents is answered with a new upload', async (ctx) => {
    const { assert } = ctx;
    const officer = ctx.creds.officers.find((o) => o.login === 'u99501-motcua');
    const api = await ctx.apiSession(officer.login, officer.password, officer.totp_secret);
    await api.post(`/api/v1/dossiers/${shared.code}/supplement-request`, {
      reason: 'Tờ khai thiếu chữ ký người yêu cầu',
      items: ['Tờ khai có chữ ký'],
    });
    const c = ctx.creds.citizens[0];
    const page = await ctx.page();
    await ctx.signIn(page, c.login, c.password);
    await page.goto(`/#/ho-so/${shared.code}`);
    await page.waitForSelector('text=Tờ khai thiếu chữ ký người yêu cầu');
    assert.ok((await page.textContent('main')).includes('Cần bổ sung hồ sơ'));
    await page.locator('#supp-TK').setInputFiles({ name: 'to-khai-ky.pdf', mimeType: 'application/pdf', buffer: ctx.pdf('Da ky') });
    await page.waitForSelector('.file-list :text("to-khai-ky.pdf")');
    await page.click('button:has-text("Gửi hồ sơ bổ sung")');
    await page.waitForSelector('[data-testid=timeline] :text("Đã bổ sung hồ sơ")');
    assert.ok((await page.textContent('main')).includes('Đã nộp, chờ tiếp nhận'));
    const d = await api.get(`/api/v1/dossiers/${shared.code}`);
    assert.equal(d.state, 'submitted');
    // The new file joins the first round's (the record keeps what was filed).
    assert.deepEqual(d.components.find((x) => x.code === 'TK').files.map((f) => f.name), ['tờ-khai.pdf', 'to-khai-ky.pdf']);
  });

  t.test('public lookup by code and key; a wrong key is refused', async (ctx) => {
    const { assert } = ctx;
    const page = await ctx.page({ timezoneId: 'America/New_York' });
    await page.goto(`/#/tra-cuu?code=${shared.code}`);
    assert.equal(await page.inputValue('input[name=code]'), shared.code);
    await page.fill('input[name=key]', 'WRONGKEY');
    await page.click('[data-testid=lookup-form] button[type=submit]');
    await page.waitForSelector('[data-testid=lookup-failure]');
    assert.ok((await page.textContent('[data-testid=lookup-failure]')).includes('Không tìm thấy hồ sơ'));
    assert.equal(await page.isVisible('[data-testid=lookup-result]'), false);

    await page.fill('input[name=key]', shared.key);
    await page.click('[data-testid=lookup-form] button[type=submit]');
    await page.waitForSelector('[data-testid=lookup-result]');
    const text = await page.textContent('[data-testid=lookup-result]');
    assert.ok(text.includes(shared.code));
    assert.ok(text.includes('Đã nộp, chờ tiếp nhận'));
    assert.ok(text.includes('Đăng ký khai sinh'));
    assert.ok(text.includes('Nộp hồ sơ'));
    // The submission time is shown in Vietnam time although the browser is in New York.
    const res = await (await fetch(`${ctx.base}/api/v1/lookup?code=${shared.code}&key=${shared.key}`)).json();
    assert.ok(text.includes(res.submitted_at_vi), `${res.submitted_at_vi} in ${text}`);
    assert.ok(!text.includes(ctx.creds.citizens[0].login));
    await ctx.assertNoSeriousAxe(page, 'lookup');
    await ctx.shot(page, 'lookup');

    // The last four digits of the applicant's phone work as the second factor too.
    await page.fill('input[name=key]', shared.phone.slice(-4));
    await page.click('[data-testid=lookup-form] button[type=submit]');
    await page.waitForSelector('[data-testid=lookup-result]');
  });

  t.test('the applicant withdraws a dossier with a reason', async (ctx) => {
    const { assert } = ctx;
    const c = ctx.creds.citizens[0];
    const api = await ctx.apiSession(c.login, c.password);
    const d = await api.post('/api/v1/dossiers', {
      procedure_code: '1.001193',
      channel: 'online',
      applicant: { id_number: c.login, name: api.account.name, phone: shared.phone },
      receiving_unit: '99501',
      components: [
        { code: 'TK' },
        { code: 'GCS' },
        { code: 'GTTT' },
      ],
    });
    const page = await ctx.page();
    await ctx.signIn(page, c.login, c.password);
    await page.goto(`/#/ho-so/${d.code}`);
    await page.click('button:has-text("Rút hồ sơ…")');
    await page.click('button:has-text("Xác nhận rút hồ sơ")');
    await page.waitForSelector('text=Vui lòng nêu lý do.');
    await page.fill('textarea', 'Nộp nhầm thủ tục');
    await page.click('button:has-text("Xác nhận rút hồ sơ")');
    await page.waitForSelector('[data-testid=timeline] :text("Rút hồ sơ")');
    assert.ok((await page.textContent('main')).includes('Đã rút hồ sơ'));
    assert.equal((await api.get(`/api/v1/dossiers/${d.code}`)).state, 'withdrawn');
  });

  t.test('the applicant rates a returned dossier once', async (ctx) => {
    const { assert } = ctx;
    // The first demo citizen with a returned dossier not rated yet.
    let c, api, code;
    for (const candidate of ctx.creds.citizens) {
      const s = await ctx.apiSession(candidate.login, candidate.password);
      const list = await s.get('/api/v1/dossiers?state=returned');
      for (const item of list.items) {
        if (!(await s.get(`/api/v1/dossiers/${item.code}`)).rating) {
          [c, api, code] = [candidate, s, item.code];
          break;
        }
      }
      if (code) break;
    }
    assert.ok(code, 'a demo citizen has a returned dossier to rate');
    const page = await ctx.page();
    await ctx.signIn(page, c.login, c.password);
    await page.goto(`/#/ho-so/${code}`);
    await page.waitForSelector('text=Đánh giá mức độ hài lòng');
    await page.click('button:has-text("Gửi đánh giá")');
    await page.waitForSelector('text=Vui lòng chọn một mức đánh giá.');
    await page.check('input[value=satisfied]');
    await page.fill('textarea', 'Cán bộ hướng dẫn tận tình');
    await page.click('button:has-text("Gửi đánh giá")');
    await page.waitForSelector('[data-testid=rating-done]');
    assert.ok((await page.textContent('[data-testid=rating-done]')).includes('Hài lòng'));
    const d = await api.get(`/api/v1/dossiers/${code}`);
    assert.equal(d.rating.value, 'satisfied');
    assert.equal(d.rating.comment, 'Cán bộ hướng dẫn tận tình');
  });

  t.test('a community digital team member submits on the assisted channel', async (ctx) => {
    const { assert } = ctx;
    const member = ctx.creds.officers.find((o) => (o.roles ?? []).includes('community_digital_team'));
    assert.ok(member, 'the demo has a community digital team account');
    const page = await ctx.page();
    await ctx.signIn(page, member.login, member.password, member.totp_secret);
    await page.goto('/#/thu-tuc/1.001193/nop');
    await page.waitForSelector('[data-testid=submit-form]');
    assert.ok((await page.textContent('main')).includes('tổ công nghệ số cộng đồng'));
    await page.fill('#in-applicant-name', 'Nguyễn Thị Bình');
    await page.fill('#in-applicant-id_number', '051095000123');
    await page.fill('#in-applicant-phone', '0387654321');
    await page.selectOption('#in-unit', member.unit);
    await page.locator('#file-TK').setInputFiles({ name: 'to-khai.pdf', mimeType: 'application/pdf', buffer: ctx.pdf('Ho tro') });
    await page.waitForSelector('.file-list :text("to-khai.pdf")');
    await page.locator('#file-GCS').setInputFiles({ name: 'gcs.pdf', mimeType: 'application/pdf', buffer: ctx.pdf('GCS') });
    await page.waitForSelector('[data-component=GCS] :text("gcs.pdf")');
    await page.locator('#file-GTTT').setInputFiles({ name: 'gttt.pdf', mimeType: 'application/pdf', buffer: ctx.pdf('GTTT') });
    await page.waitForSelector('[data-component=GTTT] :text("gttt.pdf")');
    await page.check('#declaration');
    await page.click('[data-testid=submit-button]');
    await page.waitForSelector('[data-testid=receipt-code]');
    const text = await page.textContent('main');
    assert.ok(text.includes('Trực tuyến có hỗ trợ'), text);
    assert.ok(text.includes(member.login));
    const code = (await page.textContent('[data-testid=receipt-code]')).trim();
    const officer = ctx.creds.officers.find((o) => o.login === `u${member.unit}-motcua`);
    const api = await ctx.apiSession(officer.login, officer.password, officer.totp_secret);
    const d = await api.get(`/api/v1/dossiers/${code}`);
    assert.equal(d.channel, 'assisted');
    assert.equal(d.assisted_by, member.login);
    assert.equal(d.applicant.id_number, '051095000123');
  });

  t.test('registration creates a citizen account and signs in', async (ctx) => {
    const { assert } = ctx;
    const page = await ctx.page();
    await page.goto('/#/dang-ky');
    await page.fill('#reg-id_number', '001099012345');
    await page.fill('#reg-name', 'Trần Văn Cường');
    await page.fill('#reg-phone', '0901234567');
    await page.fill('#reg-password', 'ngắn');
    await page.fill('#reg-password2', 'ngắn');
    await page.click('button[type=submit]');
    await page.waitForSelector('text=Mật khẩu phải có từ 10 đến 128 ký tự.');
    await page.fill('#reg-password', 'Sông-Trà-2026-an-toàn');
    await page.fill('#reg-password2', 'Sông-Trà-2026-an-toàn');
    await page.click('button[type=submit]');
    await page.waitForFunction(() => location.hash === '#/ho-so-cua-toi');
    await page.waitForSelector('main :text("Bạn chưa nộp hồ sơ nào.")');
    assert.ok((await page.textContent('header')).includes('Trần Văn Cường'));
    // Signing out ends the session on the server (204) and returns to the public header.
    const signOut = new Promise((res) => {
      const mine = (r) => r.url().endsWith('/api/v1/session') && r.method() === 'DELETE';
      page.on('response', (r) => mine(r.request()) && res(r.status()));
      page.on('requestfailed', (r) => mine(r) && res(`failed: ${r.failure()?.errorText}`));
    });
    await page.click('header button:has-text("Đăng xuất")');
    await page.waitForSelector('header a:has-text("Đăng nhập")');
    assert.equal(await signOut, 204, 'DELETE /api/v1/session must answer 204 (a 401 here is the browser retrying after an empty reply)');
    const after = await page.evaluate(async () => (await fetch('/api/v1/session')).status);
    assert.equal(after, 401);
  });

  t.test('sign-in page: a new officer enrols TOTP, then signs in with a code', async (ctx) => {
    const { assert } = ctx;
    const admin = ctx.creds.officers.find((o) => o.login === 'u99501-quantri');
    const api = await ctx.apiSession(admin.login, admin.password, admin.totp_secret);
    const login = `e2e-portal-${Date.now().toString(36)}`;
    const password = 'Mật-khẩu-cán-bộ-2026';
    await api.post('/api/v1/officers', { login, name: 'Cán bộ thử nghiệm', unit: '99501', roles: ['specialist'], password });
    const page = await ctx.page();
    await page.goto('/#/dang-nhap');
    await page.fill('input[name=login]', login);
    await page.fill('input[name=password]', password);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=totp-secret]');
    const secret = (await page.textContent('[data-testid=totp-secret]')).trim();
    assert.match(secret, /^[A-Z2-7]{16,}$/);
    assert.ok((await page.textContent('[data-testid=totp-uri]')).includes(`secret=${secret}`));
    await ctx.assertNoSeriousAxe(page, 'totp enrolment');
    await page.fill('input[name=totp]', await ctx.totp(secret));
    await page.click('button[type=submit]');
    await page.waitForFunction(() => location.hash.startsWith('#/can-bo'));
    const s = await page.evaluate(async () => (await fetch('/api/v1/session')).json());
    assert.equal(s.stage, 'full');
    // A later sign-in needs the code: the form asks for it after the password.
    const again = await ctx.page();
    await again.goto('/#/dang-nhap');
    await again.fill('input[name=login]', login);
    await again.fill('input[name=password]', password);
    await again.click('button[type=submit]');
    await again.waitForSelector('input[name=totp]');
    await again.fill('input[name=totp]', await ctx.totp(secret));
    await again.click('button[type=submit]');
    await again.waitForFunction(() => location.hash.startsWith('#/can-bo'));
  });

  t.test('English: switch, persisted, same money and date formats', async (ctx) => {
    const { assert } = ctx;
    const page = await ctx.page();
    await page.goto('/#/thu-tuc/1.001193');
    await page.waitForSelector('h1:has-text("Đăng ký khai sinh")');
    await page.click('button.lang-switch');
    await page.waitForSelector('h1:has-text("Birth registration")');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    const text = await page.textContent('main');
    assert.ok(text.includes('8.000 ₫'));
    assert.ok(text.includes('Same day'));
    await page.reload();
    await page.waitForSelector('h1:has-text("Birth registration")');
    assert.ok((await page.textContent('nav')).includes('Track a dossier'));
    await ctx.shot(page, 'procedure-en');
  });

  t.test('keyboard: the skip link leads to the main content', async (ctx) => {
    const { assert } = ctx;
    const page = await ctx.page();
    await page.goto('/');
    await page.waitForSelector('[data-testid=procedure-list]');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.className), 'skip-link');
    const box = await page.locator('.skip-link').boundingBox();
    assert.ok(box && box.y >= 0, 'the focused skip link is on screen');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.tagName), 'H1');
    assert.equal(await page.evaluate(() => location.hash), '', 'the skip link is not a route');
    // The next Tab reaches the search box, inside main.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'q');
  });

  t.test('phone width 390×844: no horizontal scroll', async (ctx) => {
    const { assert } = ctx;
    const page = await ctx.page({ viewport: { width: 390, height: 844 } });
    await page.goto('/');
    await page.waitForSelector('[data-testid=procedure-list]');
    assert.ok(await noHorizontalScroll(page), 'home scrolls sideways');
    await ctx.shot(page, 'home-phone');
    await page.goto('/#/thu-tuc/1.001193');
    await page.waitForSelector('h1:has-text("Đăng ký khai sinh")');
    assert.ok(await noHorizontalScroll(page), 'procedure page scrolls sideways');
    await page.goto('/#/tra-cuu');
    await page.waitForSelector('[data-testid=lookup-form]');
    assert.ok(await noHorizontalScroll(page), 'lookup page scrolls sideways');
    const c = ctx.creds.citizens[0];
    await ctx.signIn(page, c.login, c.password);
    await page.waitForSelector('[data-testid=my-dossiers]');
    assert.ok(await noHorizontalScroll(page), 'my dossiers scrolls sideways');
    await ctx.shot(page, 'my-dossiers-phone');
  });
}
