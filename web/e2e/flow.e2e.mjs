// The main scenario, through the UI in a real browser: a citizen finds a procedure and
// submits it with an upload; an officer of the receiving commune receives it and asks for a
// supplement; the citizen answers with a new upload; the commune's specialist, leader and clerk
// complete the steps; the one-stop officer returns the result; the citizen rates it; an officer
// of another commune searches the code and cannot see it. The procedure and the officers are
// chosen from the catalogue and credentials.json so that units and roles match.
import {
  demoCommunes,
  getJson,
  officerOf,
  officerPage,
  officerSignIn,
  pageFetch,
  text,
} from './staff-helpers.mjs';

// A commune procedure offered fully online, with a deadline in working days, whose every step
// is done at the competent unit by a role the commune's demo officers hold.
async function chooseScenario(ctx) {
  const units = (await getJson(ctx, '/api/v1/units')).items;
  const communes = demoCommunes(ctx, units);
  if (communes.length < 2) throw new Error('the demo needs officers in two communes');
  const [home, other] = communes;
  const roles = new Set(ctx.creds.officers.filter((o) => o.unit === home).flatMap((o) => o.roles));
  for (const s of (await getJson(ctx, '/api/v1/procedures')).items) {
    if (s.competent_level !== 'commune' || s.online_level !== 'full' || s.time_limit.unit !== 'working_days') continue;
    const p = await getJson(ctx, `/api/v1/procedures/${s.code}`);
    if (p.steps.every((st) => st.unit === 'competent' && roles.has(st.role))) {
      return { proc: p, home, other, homeUnit: units.find((u) => u.code === home) };
    }
  }
  throw new Error('no procedure fits the demo officers');
}

export default async function (t) {
  t.test('citizen submits, officers process with a supplement round, citizen rates; another commune cannot see it', async (ctx) => {
    const { assert } = ctx;
    const { proc, home, other, homeUnit } = await chooseScenario(ctx);
    const citizen = ctx.creds.citizens[2];
    const [first, ...rest] = proc.components.filter((c) => c.required);

    // 1. The citizen finds the procedure in the catalogue and submits it with an upload.
    const cp = await ctx.page();
    await ctx.signIn(cp, citizen.login, citizen.password);
    await cp.goto('/');
    await cp.waitForSelector('[data-testid=procedure-list]');
    await cp.fill('#q', proc.name);
    await cp.click(`[data-testid=procedure-list] a:text-is("${proc.name}")`);
    await cp.waitForSelector(`h1:has-text("${proc.name}")`);
    await ctx.shot(cp, 'flow-1-procedure');
    await cp.click('[data-testid=submit-online]');
    await cp.waitForSelector('[data-testid=submit-form]');
    await cp.fill('#in-applicant-phone', '0987001122');
    await cp.fill('#in-applicant-address', `Tổ 3, ${homeUnit.name}`);
    await cp.selectOption('#in-unit', home);
    const original = ctx.pdf('Ho so goc');
    await cp.locator(`#file-${first.code}`).setInputFiles({ name: 'hồ-sơ-gốc.pdf', mimeType: 'application/pdf', buffer: original });
    await cp.waitForSelector(`[data-component="${first.code}"] :text("hồ-sơ-gốc.pdf")`);
    for (const c of rest) {
      await cp.locator(`#file-${c.code}`).setInputFiles({ name: `${c.code}.pdf`, mimeType: 'application/pdf', buffer: ctx.pdf(`Thanh phan ${c.code}`) });
      await cp.waitForSelector(`[data-component="${c.code}"] :text("${c.code}.pdf")`);
    }
    await cp.check('#declaration');
    await ctx.shot(cp, 'flow-2-submit-form');
    await cp.click('[data-testid=submit-button]');
    await cp.waitForSelector('[data-testid=receipt-code]');
    const code = (await text(cp, '[data-testid=receipt-code]'));
    assert.match(code, new RegExp(`^${home}-\\d{6}-\\d{4}$`));
    await ctx.shot(cp, 'flow-3-citizen-receipt');

    // 2. The one-stop officer of the commune finds it among the new dossiers and receives it.
    const oneStop = officerOf(ctx, home, 'one_stop_officer');
    const op = await ctx.page({ viewport: { width: 1366, height: 768 } });
    await officerSignIn(ctx, op, oneStop, '/#/can-bo?tab=new');
    await op.waitForSelector(`table.queue tr[data-code="${code}"]`);
    await ctx.shot(op, 'flow-4-officer-queue');
    await op.click(`table.queue tr[data-code="${code}"] a`);
    await op.waitForSelector(`h1:has-text("Hồ sơ ${code}")`);
    const fileLink = op.locator(`a[data-file-id]:text("hồ-sơ-gốc.pdf")`);
    assert.equal(await fileLink.count(), 1, 'the uploaded file is listed under its component');
    const href = await fileLink.getAttribute('href');
    const bytes = await op.evaluate(async (h) => Array.from(new Uint8Array(await (await fetch(h)).arrayBuffer())), href);
    assert.deepEqual(Buffer.from(bytes), original);
    await op.click('.action-bar button[data-action=receive]');
    await op.check(`form[data-form=receive] input[value="${first.code}"]`);
    await op.click('form[data-form=receive] button[type=submit]');
    await op.waitForSelector('[data-testid=dossier-state]:has-text("Đã tiếp nhận")');

    // 3. …and asks for a supplement of the first component.
    await op.click('.action-bar button[data-action=supplement-request]');
    await op.fill('form[data-form=supplement-request] textarea[name=reason]', 'Bản khai chưa có chữ ký của người nộp');
    await op.check(`form[data-form=supplement-request] input[name=items][value="${first.code}"]`);
    await op.click('form[data-form=supplement-request] button[type=submit]');
    await op.waitForSelector('[data-testid=dossier-state]:has-text("Cần bổ sung hồ sơ")');
    await ctx.shot(op, 'flow-5-officer-supplement-requested');
    let d = (await pageFetch(op, `/api/v1/dossiers/${code}`)).body;
    assert.equal(d.state, 'supplement_requested');
    assert.deepEqual(d.supplements[0].items, [first.name]);

    // 4. The citizen answers with a new upload.
    await cp.goto(`/#/ho-so/${code}`);
    await cp.waitForSelector('text=Bản khai chưa có chữ ký của người nộp');
    const signed = ctx.pdf('Ban khai da ky');
    await cp.locator(`#supp-${first.code}`).setInputFiles({ name: 'bản-khai-đã-ký.pdf', mimeType: 'application/pdf', buffer: signed });
    await cp.waitForSelector(':text("bản-khai-đã-ký.pdf")');
    await cp.click('button:has-text("Gửi hồ sơ bổ sung")');
    await cp.waitForSelector('[data-testid=timeline] :text("Đã bổ sung hồ sơ")');
    await ctx.shot(cp, 'flow-6-citizen-supplemented');

    // 5. The commune's officers complete the steps, each with their own role.
    for (const [i, step] of proc.steps.entries()) {
      const o = officerOf(ctx, home, step.role);
      const page = o.login === oneStop.login ? op : await ctx.page({ viewport: { width: 1366, height: 768 } });
      if (page === op) await op.goto(`/#/can-bo/ho-so/${code}`);
      else await officerSignIn(ctx, page, o, `/#/can-bo/ho-so/${code}`);
      await page.waitForSelector(`h1:has-text("Hồ sơ ${code}")`);
      await page.waitForSelector('.action-bar button[data-action=complete-step]');
      const label = await text(page, '.action-bar button[data-action=complete-step]');
      if (step.role === 'leader') assert.equal(label, 'Phê duyệt');
      if (i === 0) {
        // The file sent as the supplement is there for the processing officers.
        assert.equal(await page.locator('a[data-file-id]:text("bản-khai-đã-ký.pdf")').count(), 1);
      }
      await page.click('.action-bar button[data-action=complete-step]');
      await page.fill('form[data-form=complete-step] textarea[name=note]', `Ý kiến bước ${i + 1}: đạt yêu cầu`);
      await page.click('form[data-form=complete-step] button[type=submit]');
      await page.waitForSelector(`text=Đã thực hiện: ${label}.`);
      await ctx.shot(page, `flow-7-step-${i + 1}-${step.role}`);
    }
    d = (await pageFetch(op, `/api/v1/dossiers/${code}`)).body;
    assert.equal(d.state, 'result_ready');
    assert.ok(d.steps.every((s) => s.completed_at));

    // 6. The one-stop officer returns the result.
    const rp = await officerPage(ctx, oneStop, `/#/can-bo/ho-so/${code}`, { viewport: { width: 1366, height: 768 } });
    await rp.click('.action-bar button[data-action=return]');
    await rp.check('form[data-form=return] input[value=online]');
    await rp.click('form[data-form=return] button[type=submit]');
    await rp.waitForSelector('[data-testid=dossier-state]:has-text("Đã trả kết quả")');
    assert.ok((await text(rp, '.timeline')).includes('Trả kết quả'));
    await ctx.shot(rp, 'flow-8-officer-returned');

    // 7. The citizen rates it.
    await cp.goto(`/#/ho-so/${code}`);
    await cp.reload(); // the same address as before: load the page again
    await cp.waitForSelector('text=Đã trả kết quả');
    await cp.check('input[name=rating][value=very_satisfied]');
    await cp.click('button:has-text("Gửi đánh giá")');
    await cp.waitForSelector('[data-testid=rating-done]');
    await ctx.shot(cp, 'flow-9-citizen-rated');
    d = (await pageFetch(cp, `/api/v1/dossiers/${code}`)).body;
    assert.equal(d.state, 'returned');
    assert.equal(d.rating.value, 'very_satisfied');
    const types = d.history.map((e) => e.type);
    for (const ty of ['DossierSubmitted', 'DossierReceived', 'SupplementRequested', 'SupplementProvided', 'StepCompleted', 'DossierReturned', 'DossierRated']) {
      assert.ok(types.includes(ty), `${ty} in ${types.join(', ')}`);
    }
    // The officer sees the rating on the dossier page.
    await rp.reload();
    await rp.waitForSelector('text=Rất hài lòng');

    // 8. An officer of another commune searches the code: nothing; the address: refused.
    const stranger = officerOf(ctx, other, 'one_stop_officer');
    const sp = await ctx.page({ viewport: { width: 1366, height: 768 } });
    await officerSignIn(ctx, sp, stranger, '/#/can-bo?tab=all');
    await sp.waitForSelector('table.queue, .alert-info');
    await sp.click('h1');
    await sp.keyboard.press('/');
    await sp.keyboard.type(code);
    await sp.keyboard.press('Enter');
    await sp.waitForSelector(`text=Không có hồ sơ nào trong phạm vi của bạn có mã bắt đầu bằng “${code}”.`);
    await ctx.shot(sp, 'flow-10-other-commune-search');
    await sp.goto(`/#/can-bo/ho-so/${code}`);
    await sp.waitForSelector('.alert-error');
    const refused = await pageFetch(sp, `/api/v1/dossiers/${code}`);
    assert.equal(refused.status, 403);
    assert.equal(await text(sp, '.alert-error p'), refused.body.message);
    assert.equal((await text(sp, 'main')).includes(d.applicant.name), false);
    await ctx.shot(sp, 'flow-11-other-commune-refused');
  });
}
