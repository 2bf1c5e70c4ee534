// End-to-end tests of the working calendar's administration (#/quan-tri/lich): the province
// administrator sets a swapped day off on an ordinary weekday of this year and clears it again
// (PUT/DELETE /api/v1/calendar/days/{date}); the form's own checks, the server's refusal shown as
// it comes; other officers (a unit administrator) see the list without the form, and the server
// refuses them. The day is cleared at the end whatever happens, so later files see the official
// calendar.
import { getJson, officerPage, pageFetch, text } from './staff-helpers.mjs';

const FORM = 'form[aria-labelledby=cal-form-h]';

/** Today in Vietnam (UTC+7) as yyyy-mm-dd. */
function vietnamToday() {
  return new Date(Date.now() + 7 * 3600 * 1000).toISOString().slice(0, 10);
}

const weekdayOf = (iso) => new Date(`${iso}T00:00:00Z`).getUTCDay();
const vn = (iso) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
const addDays = (iso, n) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86400000).toISOString().slice(0, 10);

/** An ordinary working weekday of today's year: Monday–Friday and not in the calendar's list;
 *  the first from a week ahead, else the last before it (late December). */
function ordinaryWeekday(today, listed) {
  const year = today.slice(0, 4);
  const ok = (d) => d.startsWith(year) && weekdayOf(d) >= 1 && weekdayOf(d) <= 5 && !listed.has(d);
  for (let d = addDays(today, 7); d.startsWith(year); d = addDays(d, 1)) if (ok(d)) return d;
  for (let d = addDays(today, 6); d.startsWith(year); d = addDays(d, -1)) if (ok(d)) return d;
  throw new Error(`no ordinary weekday in ${year}`);
}

/** A write to the API from inside the page, with the session's CSRF token. */
async function pageWrite(page, method, path, body) {
  const session = await pageFetch(page, '/api/v1/session');
  return pageFetch(page, path, {
    method,
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.body.csrf_token },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

const errorOf = (body) => (body && body.error && typeof body.error === 'object' ? body.error : body) ?? {};

export default async function (t) {
  t.test('province admin: a swapped day off set, a refused make-up, then cleared; axe', async (ctx) => {
    const { assert } = ctx;
    const admin = ctx.creds.officers.find((o) => (o.roles ?? []).includes('province_admin'));
    assert.ok(admin, 'the demo has a province administrator');
    const today = vietnamToday();
    const year = today.slice(0, 4);
    const before = await getJson(ctx, `/api/v1/calendar?year=${year}`);
    const date = ordinaryWeekday(today, new Set(before.days.map((d) => d.date)));
    const day = {
      kind: 'swap_off',
      name_vi: 'Nghỉ hoán đổi (kiểm thử e2e)',
      name_en: 'Swapped day off (e2e test)',
      source: 'Thông báo số 99/TB-UBND của UBND tỉnh (kiểm thử)',
    };

    const page = await officerPage(ctx, admin, `/#/quan-tri/lich?year=${year}`, { viewport: { width: 1366, height: 768 } });
    try {
      await page.waitForSelector('[data-testid=calendar-summary]');
      await page.waitForSelector(FORM);
      const main = await text(page, 'main');
      assert.ok(!main.includes('chỉ để xem'), 'no read-only note for the province administrator');
      assert.ok(main.includes('tệp dữ liệu chính thức') && main.includes('không xóa được'), 'the note on official days');
      // Official days have no clear button.
      assert.equal(await page.locator('table.calendar button:has-text("Xóa")').count(), 0);
      await ctx.assertNoSeriousAxe(page, 'calendar form');

      const puts = [];
      page.on('request', (r) => {
        if (r.method() === 'PUT' && r.url().includes('/api/v1/calendar/days/')) puts.push(r.url());
      });

      // The form's own checks: an empty form names its five problems and sends nothing.
      await page.click(`${FORM} button[type=submit]`);
      await page.waitForSelector(`${FORM} .alert-error:has-text("Vui lòng sửa 5 lỗi")`);
      const errors = await page.$$eval(`${FORM} .field-error`, (n) => n.map((x) => x.textContent));
      assert.ok(errors.some((e) => e.includes('Vui lòng nhập căn cứ')), errors.join(' | '));
      assert.equal(await page.locator(`${FORM} [aria-invalid=true]`).count(), 5);
      await ctx.assertNoSeriousAxe(page, 'calendar form with errors');

      // A make-up day on a weekday: the form refuses it before sending …
      await page.fill(`${FORM} input[name=date]`, vn(date));
      await page.selectOption(`${FORM} select[name=kind]`, 'make_up');
      await page.fill(`${FORM} input[name=name_vi]`, day.name_vi);
      await page.fill(`${FORM} input[name=name_en]`, day.name_en);
      await page.fill(`${FORM} textarea[name=source]`, day.source);
      await page.click(`${FORM} button[type=submit]`);
      await page.waitForSelector(`${FORM} .field-error:has-text("Ngày làm bù phải là thứ Bảy hoặc Chủ nhật.")`);
      assert.equal(puts.length, 0, 'nothing sent while the form has problems');
      // … and the server, which decides, refuses it too.
      const makeUp = await pageWrite(page, 'PUT', `/api/v1/calendar/days/${date}`, { ...day, kind: 'make_up' });
      assert.equal(makeUp.status, 400);
      assert.equal(errorOf(makeUp.body).code, 'calendar.bad_override');

      // A refusal only the server can make ("working" must cancel a day off the rules give): its
      // message is shown as it comes.
      // (pageWrite's own requests come from the page too: count the form's by difference.)
      let sent = puts.length;
      await page.selectOption(`${FORM} select[name=kind]`, 'working');
      await page.click(`${FORM} button[type=submit]`);
      await page.waitForSelector(`${FORM} .alert-error`);
      assert.equal(puts.length, sent + 1, 'the form sent the day');
      const refused = await pageWrite(page, 'PUT', `/api/v1/calendar/days/${date}`, { ...day, kind: 'working' });
      assert.equal(refused.status, 400);
      const serverMessage = errorOf(refused.body).message;
      assert.ok(serverMessage, JSON.stringify(refused.body));
      assert.equal(await text(page, `${FORM} .alert-error`), serverMessage);
      assert.ok(!(await getJson(ctx, `/api/v1/calendar?year=${year}`)).days.some((d) => d.date === date));

      // The swapped day off: saved, listed as set in the system, and in the API.
      sent = puts.length;
      await page.selectOption(`${FORM} select[name=kind]`, 'swap_off');
      await page.click(`${FORM} button[type=submit]`);
      await page.waitForSelector(`.alert-success:has-text("Đã lưu ngày ${vn(date)}")`);
      assert.equal(puts.length, sent + 1, 'the form sent the day');
      const row = `tr[data-date="${date}"][data-managed=true]`;
      await page.waitForSelector(row);
      const rowText = await text(page, row);
      for (const s of [vn(date), 'Nghỉ hoán đổi', day.name_vi, 'Đặt trên hệ thống', day.source]) {
        assert.ok(rowText.includes(s), `${s} in "${rowText}"`);
      }
      const after = await getJson(ctx, `/api/v1/calendar?year=${year}`);
      const listed = after.days.find((d) => d.date === date);
      assert.ok(listed, 'the day is in the API');
      assert.equal(listed.kind, 'swap_off');
      assert.equal(listed.working, false);
      assert.equal(listed.managed, true);
      assert.equal(after.days.length, before.days.length + 1);
      assert.equal(await page.$$eval('table.calendar tbody tr', (r) => r.length), after.days.length);
      // The form is empty again.
      assert.equal(await page.inputValue(`${FORM} input[name=date]`), '');
      await ctx.shot(page, 'admin-calendar-set');

      // Clear: asked first; "Hủy" keeps the day.
      await page.click(`${row} button:has-text("Xóa")`);
      await page.waitForSelector(`[data-testid=calendar-clear]:has-text("Xóa ngày ${vn(date)}")`);
      assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Xóa ngày');
      await ctx.assertNoSeriousAxe(page, 'calendar clear confirmation');
      await page.click('[data-testid=calendar-clear] button:has-text("Hủy")');
      await page.waitForSelector('[data-testid=calendar-clear]', { state: 'detached' });
      assert.equal(await page.locator(row).count(), 1);
      assert.equal(await page.evaluate(() => document.activeElement?.closest('tr')?.dataset.date), date, 'focus back on the row');
      await page.click(`${row} button:has-text("Xóa")`);
      await page.click('[data-testid=calendar-clear] button:has-text("Xóa ngày")');
      await page.waitForSelector(`.alert-success:has-text("Đã xóa ngày ${vn(date)} khỏi lịch.")`);
      await page.waitForSelector(`tr[data-date="${date}"]`, { state: 'detached' });
      const cleared = await getJson(ctx, `/api/v1/calendar?year=${year}`);
      assert.ok(!cleared.days.some((d) => d.date === date), 'the day is gone from the API');
      assert.equal(cleared.days.length, before.days.length);
      // Nothing left to clear: the server says so.
      const again = await pageWrite(page, 'DELETE', `/api/v1/calendar/days/${date}`);
      assert.equal(again.status, 200);
      assert.equal(again.body.cleared, false);
      await ctx.assertNoSeriousAxe(page, 'calendar after clearing');
      await ctx.shot(page, 'admin-calendar-cleared');
    } finally {
      // Whatever failed above, leave the official calendar to the next files.
      await pageWrite(page, 'DELETE', `/api/v1/calendar/days/${date}`).catch(() => undefined);
    }
  });

  t.test('calendar: a unit administrator sees the list without the form; the server refuses a change', async (ctx) => {
    const { assert } = ctx;
    const officer = ctx.creds.officers.find(
      (o) => (o.roles ?? []).includes('unit_admin') && !(o.roles ?? []).includes('province_admin'),
    );
    assert.ok(officer, 'the demo has a unit administrator');
    const year = vietnamToday().slice(0, 4);
    const cal = await getJson(ctx, `/api/v1/calendar?year=${year}`);
    const page = await officerPage(ctx, officer, `/#/quan-tri/lich?year=${year}`);
    await page.waitForSelector('[data-testid=calendar-summary]');
    assert.equal(await page.$$eval('table.calendar tbody tr', (r) => r.length), cal.days.length);
    assert.equal(await page.locator(FORM).count(), 0, 'no form');
    assert.equal(await page.locator('table.calendar button').count(), 0, 'no buttons in the list');
    assert.ok((await text(page, 'main')).includes('chỉ để xem'));
    const date = ordinaryWeekday(vietnamToday(), new Set(cal.days.map((d) => d.date)));
    const r = await pageWrite(page, 'PUT', `/api/v1/calendar/days/${date}`, {
      kind: 'swap_off',
      name_vi: 'Thử',
      name_en: 'Try',
      source: 'Không có',
    });
    assert.equal(r.status, 403);
    assert.equal(errorOf(r.body).code, 'auth.forbidden');
    await ctx.assertNoSeriousAxe(page, 'calendar read-only');
  });
}
