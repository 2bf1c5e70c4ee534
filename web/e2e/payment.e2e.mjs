// Online payment of fees (issue #7, docs/design/0002-payments.md) against the stand-in gateway
// and bank (motcua-gateway, started by run.mjs): a citizen pays a dossier of 1.004873 (Cấp Giấy
// xác nhận tình trạng hôn nhân, 5.000 ₫, pay before return) through the gateway's page and
// downloads the electronic receipt; a cancelled attempt leaves the fee due; a bank transfer
// carrying the dossier's payment reference (the VietQR note) pays another dossier; an officer
// takes cash at the counter. Without the gateway (no payment.json from "motcua demo", no binary)
// every test here fails, saying why.
import { demoCommunes, getJson, officerOf, officerPage, pageFetch, text } from './staff-helpers.mjs';

const PROCEDURE = '1.004873';
const FEE = '5.000 ₫';
const DATE_TIME = /^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/;

const shared = { unit: '', citizen: null, api: null };

/** A citizen's API session (one per run) and the commune that receives the dossiers. */
async function setUp(ctx) {
  if (!shared.api) {
    const units = (await getJson(ctx, '/api/v1/units')).items;
    shared.unit = demoCommunes(ctx, units)[0];
    if (!shared.unit) throw new Error('the demo needs a commune with officers');
    shared.citizen = ctx.creds.citizens[5] ?? ctx.creds.citizens[1];
    shared.api = await ctx.apiSession(shared.citizen.login, shared.citizen.password);
  }
  return shared;
}

/** Files an online dossier of 1.004873 through the API; checks that its fee is due. */
async function fileDossier(ctx) {
  const { assert } = ctx;
  const { api, citizen, unit } = await setUp(ctx);
  const proc = await getJson(ctx, `/api/v1/procedures/${PROCEDURE}`);
  const d = await api.post('/api/v1/dossiers', {
    procedure_code: PROCEDURE,
    channel: 'online',
    applicant: { id_number: citizen.login, name: api.account.name, phone: '0912000333' },
    receiving_unit: unit,
    components: proc.components
      .filter((x) => x.required)
      .map((x) => ({ code: x.code })),
  });
  const full = await api.get(`/api/v1/dossiers/${d.code}`);
  assert.ok(full.payment, `the dossier document of ${d.code} has no "payment" (issue #7 not in this server)`);
  assert.equal(full.payment.state, 'due', `payment of ${d.code}: ${JSON.stringify(full.payment)}`);
  assert.equal(full.payment.amount_due, 5000);
  assert.match(full.payment.reference, /^MC[0-9A-Z]+$/);
  return full;
}

async function citizenPage(ctx, path) {
  const page = await ctx.page();
  await ctx.signIn(page, shared.citizen.login, shared.citizen.password);
  await page.goto(path);
  return page;
}

/** The fees panel shows 5.000 ₫ due, with its VietQR image and payload. */
async function expectDue(ctx, page, d) {
  const { assert } = ctx;
  await page.waitForSelector('[data-testid=payment] [data-testid=payment-state]');
  assert.equal(await text(page, '[data-testid=payment-state]'), 'Chưa thanh toán');
  assert.equal(await text(page, '[data-testid=fee-total]'), FEE);
  assert.equal(await text(page, '[data-testid=amount-due]'), FEE);
  assert.equal(await page.locator('[data-testid=pay-online]').count(), 1);
  await page.waitForSelector('[data-testid=vietqr-image]');
  // The image decoded: an SVG from a data: URL that the page's CSP lets through.
  await page.waitForFunction(() => {
    const img = document.querySelector('[data-testid=vietqr-image]');
    return img && img.complete && img.naturalWidth > 0;
  });
  const src = await page.getAttribute('[data-testid=vietqr-image]', 'src');
  assert.match(src, /^data:image\/svg\+xml;base64,/);
  assert.ok((await page.getAttribute('[data-testid=vietqr-image]', 'alt')).includes(d.payment.reference));
  const payload = await text(page, '[data-testid=vietqr-payload]');
  assert.match(payload, /^000201/, 'an EMVCo payload');
  assert.ok(payload.includes(d.payment.reference), `the payload carries the reference ${d.payment.reference}`);
  assert.match(payload, /6304[0-9A-F]{4}$/, 'ends with its CRC');
  assert.equal(await text(page, '[data-testid=vietqr-amount]'), FEE);
  assert.equal(await text(page, '[data-testid=vietqr-reference]'), d.payment.reference);
}

export default async function (t) {
  t.test('a citizen pays through the stand-in gateway and downloads the receipt', async (ctx) => {
    const { assert, base } = ctx;
    const gateway = ctx.requireGateway();
    const d = await fileDossier(ctx);
    const page = await citizenPage(ctx, `/#/ho-so/${d.code}`);
    await expectDue(ctx, page, d);
    await ctx.assertNoSeriousAxe(page, 'dossier page, fee due');
    await ctx.shot(page, 'payment-1-due');

    // To the gateway (another origin), pay there, back to the dossier page.
    await page.click('[data-testid=pay-online]');
    await page.waitForURL((u) => u.href.startsWith(`${gateway}/paymentv2/vpcpay.html?`));
    await page.waitForSelector('#pay');
    assert.match(await text(page, '#amount'), /^5\.000( ₫)?$/);
    // The gateway's order reference (vnp_TxnRef) is the payment reference with the attempt's suffix.
    const txnRef = await text(page, '#reference');
    assert.ok(txnRef.startsWith(d.payment.reference), `${txnRef} starts with ${d.payment.reference}`);
    await ctx.shot(page, 'payment-2-gateway');
    await page.click('#pay');
    await page.waitForURL((u) => u.origin === base && u.hash === `#/ho-so/${d.code}?thanh-toan=ok`);
    await page.waitForSelector('[data-testid=payment-ok]');
    assert.ok((await text(page, '.alert-success')).includes('Thanh toán thành công'));
    await page.waitForSelector('[data-testid=payment-state]:text-is("Đã thanh toán")');
    assert.equal(await page.locator('[data-testid=pay-online]').count(), 0, 'nothing left to pay');
    assert.equal(await page.locator('[data-testid=vietqr]').count(), 0);
    assert.equal(await text(page, '[data-testid=payment-channel]'), 'cổng thanh toán');
    assert.match(await text(page, '[data-testid=payments] tbody td:nth-child(4)'), DATE_TIME);
    assert.ok((await text(page, '[data-testid=payments] tbody td:nth-child(2)')) === FEE);
    await ctx.assertNoSeriousAxe(page, 'dossier page, paid');
    await ctx.shot(page, 'payment-3-paid');

    // The dossier document says the same; the gateway's IPN was acknowledged.
    const after = (await pageFetch(page, `/api/v1/dossiers/${d.code}`)).body;
    assert.equal(after.payment.state, 'paid');
    assert.equal(after.payment.payments.length, 1);
    assert.equal(after.payment.payments[0].channel, 'gateway');
    assert.equal(after.payment.payments[0].amount, 5000);
    const txns = await (await fetch(`${gateway}/api/transactions`)).json();
    const mine = txns.find((x) => x.params?.vnp_TxnRef === txnRef && x.outcome === 'success');
    assert.ok(mine, `the gateway's transaction for ${d.payment.reference}`);
    assert.equal(after.payment.payments[0].transaction_no, mine.transaction_no);
    assert.ok(mine.ipn_answers.includes('00'), `IPN answers ${JSON.stringify(mine.ipn_answers)}`);

    // The electronic receipt through the page's link (the page's session cookie).
    const href = await page.getAttribute('[data-testid=fee-receipt]', 'href');
    assert.equal(href, `/api/v1/dossiers/${d.code}/payments/receipt.pdf`);
    const pdf = await page.evaluate(async (h) => {
      const r = await fetch(h);
      return { status: r.status, type: r.headers.get('content-type'), bytes: Array.from(new Uint8Array(await r.arrayBuffer())) };
    }, href);
    assert.equal(pdf.status, 200);
    const bytes = Buffer.from(pdf.bytes);
    assert.equal(bytes.subarray(0, 4).toString('latin1'), '%PDF');
    assert.ok(bytes.length > 1000, `receipt of ${bytes.length} bytes`);
    assert.match(pdf.type ?? '', /application\/pdf/);
  });

  t.test('a payment cancelled at the gateway leaves the fee due', async (ctx) => {
    const { assert, base } = ctx;
    const gateway = ctx.requireGateway();
    const d = await fileDossier(ctx);
    const page = await citizenPage(ctx, `/#/ho-so/${d.code}`);
    await expectDue(ctx, page, d);
    await page.click('[data-testid=pay-online]');
    await page.waitForURL((u) => u.href.startsWith(`${gateway}/paymentv2/vpcpay.html?`));
    await page.click('#cancel');
    await page.waitForURL((u) => u.origin === base && u.hash === `#/ho-so/${d.code}?thanh-toan=loi`);
    await page.waitForSelector('[data-testid=payment-failed]');
    assert.ok((await text(page, '.alert-error')).includes('Thanh toán chưa thành công'));
    assert.equal(await text(page, '[data-testid=payment-state]'), 'Chưa thanh toán');
    assert.equal(await page.locator('[data-testid=pay-online]').count(), 1, 'the citizen can pay again');
    assert.equal(await page.locator('[data-testid=fee-receipt]').count(), 0);
    await ctx.assertNoSeriousAxe(page, 'dossier page, payment failed');
    await ctx.shot(page, 'payment-4-cancelled');
    const after = (await pageFetch(page, `/api/v1/dossiers/${d.code}`)).body;
    assert.equal(after.payment.state, 'due');
    assert.equal(after.payment.payments.length, 0);
    assert.ok(after.history.some((e) => e.type === 'PaymentFailed'), 'the failed attempt is on the stream');
  });

  t.test('a bank transfer with the VietQR reference pays another dossier', async (ctx) => {
    const { assert } = ctx;
    const gateway = ctx.requireGateway();
    const d = await fileDossier(ctx);
    const qr = await shared.api.get(`/api/v1/dossiers/${d.code}/payments/vietqr`);
    assert.equal(qr.reference, d.payment.reference);
    assert.equal(qr.amount, 5000);
    assert.equal(qr.bank.bin, '970415');
    const page = await citizenPage(ctx, `/#/ho-so/${d.code}`);
    await expectDue(ctx, page, d);
    assert.equal(await text(page, '[data-testid=vietqr-account]'), qr.bank.account);

    // The citizen's bank app: the note as people type it, the bank's prefix and case.
    const r = await fetch(`${gateway}/api/bank/transfer`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ content: `IBFT ${qr.reference.toLowerCase()} nop le phi ho so`, amount: qr.amount }),
    });
    const answer = await r.json();
    assert.equal(r.status, 200, JSON.stringify(answer));
    assert.equal(answer.status, 200, `bank notification: ${JSON.stringify(answer)}`);
    assert.equal(answer.answer?.status, 'recorded', `bank notification: ${JSON.stringify(answer)}`);

    await page.reload();
    await page.waitForSelector('[data-testid=payment-state]:text-is("Đã thanh toán")');
    assert.equal(await text(page, '[data-testid=payment-channel]'), 'chuyển khoản');
    assert.match(await text(page, '[data-testid=payments] tbody td:nth-child(4)'), DATE_TIME);
    await page.waitForSelector('[data-testid=fee-receipt]');
    await ctx.shot(page, 'payment-5-bank-transfer');
    const after = (await pageFetch(page, `/api/v1/dossiers/${d.code}`)).body;
    assert.equal(after.payment.payments[0].channel, 'bank_transfer');

    // The same notification again (the bank retries): recorded once.
    const again = await fetch(`${gateway}/api/bank/transfer`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: `FT-${d.code}`, content: qr.reference, amount: qr.amount }),
    }).then((x) => x.json());
    assert.notEqual(again.answer?.status, 'recorded', `a paid dossier takes no second payment: ${JSON.stringify(again)}`);
    const still = (await pageFetch(page, `/api/v1/dossiers/${d.code}`)).body;
    assert.equal(still.payment.payments.length, 1);
  });

  t.test('an officer takes the fee in cash at the counter, then refunds it', async (ctx) => {
    const { assert } = ctx;
    const d = await fileDossier(ctx);
    const officer = officerOf(ctx, shared.unit, 'one_stop_officer');
    const page = await officerPage(ctx, officer, `/#/can-bo/ho-so/${d.code}`, { viewport: { width: 1366, height: 768 } });
    await page.waitForSelector('[data-testid=payment] [data-testid=payment-state]');
    assert.equal(await text(page, '[data-testid=payment-state]'), 'Chưa thanh toán');
    assert.equal(await page.locator('[data-testid=pay-online]').count(), 0, 'officers do not pay online');
    await page.click('button[data-action=pay-cash]');
    await page.waitForSelector('form[data-form=pay-cash]');
    assert.ok((await text(page, 'form[data-form=pay-cash]')).includes(FEE));
    await ctx.assertNoSeriousAxe(page, 'officer dossier page, cash form');
    await page.click('form[data-form=pay-cash] button[type=submit]');
    await page.waitForSelector('[data-testid=payment-state]:text-is("Đã thanh toán")');
    assert.equal(await text(page, '[data-testid=payment-channel]'), 'tiền mặt tại quầy');
    assert.equal(await page.locator('button[data-action=pay-refund]').count(), 1, 'a refund is offered once paid');
    await ctx.shot(page, 'payment-6-officer-cash');
    const after = (await pageFetch(page, `/api/v1/dossiers/${d.code}`)).body;
    assert.equal(after.payment.payments[0].channel, 'counter_cash');
    assert.equal(after.payment.payments[0].amount, 5000);
    // …and refunds it, with a reason.
    await page.click('button[data-action=pay-refund]');
    await page.fill('form[data-form=pay-refund] textarea[name=reason]', 'Người nộp đã nộp trùng khoản lệ phí');
    await page.click('form[data-form=pay-refund] button[type=submit]');
    await page.waitForSelector('[data-testid=payment-state]:text-is("Đã hoàn tiền")');
    const refunded = (await pageFetch(page, `/api/v1/dossiers/${d.code}`)).body;
    assert.equal(refunded.payment.state, 'refunded');
    assert.ok(refunded.history.some((e) => e.type === 'PaymentRefunded'));
  });

  t.test('an officer waives the fee on one of the procedure’s exemption grounds', async (ctx) => {
    const { assert } = ctx;
    const d = await fileDossier(ctx);
    const officer = officerOf(ctx, shared.unit, 'one_stop_officer');
    const page = await officerPage(ctx, officer, `/#/can-bo/ho-so/${d.code}`, { viewport: { width: 1366, height: 768 } });
    await page.waitForSelector('button[data-action=pay-waive]');
    await page.click('button[data-action=pay-waive]');
    // The grounds are the procedure's own, in words.
    await page.waitForSelector('form[data-form=pay-waive] select[name=exemption] option[value=ho_ngheo]', { state: 'attached' });
    const options = await page.$$eval('form[data-form=pay-waive] select[name=exemption] option', (os) => os.map((o) => o.value).filter(Boolean));
    assert.deepEqual(options.sort(), ['ho_ngheo', 'nguoi_co_cong', 'nguoi_khuyet_tat']);
    // Without a ground the form says so and sends nothing.
    await page.click('form[data-form=pay-waive] button[type=submit]');
    await page.waitForSelector('form[data-form=pay-waive] .alert-error:has-text("Vui lòng chọn đối tượng được miễn.")');
    await page.selectOption('form[data-form=pay-waive] select[name=exemption]', 'ho_ngheo');
    await page.fill('form[data-form=pay-waive] textarea[name=reason]', 'Giấy chứng nhận hộ nghèo năm 2026');
    await ctx.assertNoSeriousAxe(page, 'officer dossier page, waiver form');
    await page.click('form[data-form=pay-waive] button[type=submit]');
    await page.waitForSelector('[data-testid=payment-state]:text-is("Được miễn")');
    assert.ok((await text(page, '[data-testid=payment]')).includes('Thành viên hộ nghèo'));
    assert.equal(await page.locator('button[data-action^=pay-]').count(), 0, 'nothing left to collect');
    const after = (await pageFetch(page, `/api/v1/dossiers/${d.code}`)).body;
    assert.equal(after.payment.state, 'waived');
    assert.equal(after.payment.exemption, 'ho_ngheo');

    // The applicant sees the exemption and nothing to pay.
    const cp = await citizenPage(ctx, `/#/ho-so/${d.code}`);
    await cp.waitForSelector('[data-testid=payment-state]:text-is("Được miễn")');
    assert.equal(await cp.locator('[data-testid=pay-online]').count(), 0);
    assert.equal(await cp.locator('[data-testid=vietqr]').count(), 0);
  });
}
