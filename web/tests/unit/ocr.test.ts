// OCR confirmation at the counter (issue #8, src/officer/ocr-model.ts): polling every 1.5 s until
// done or failed and never after stop(), the form's reducer (recognised values, low-confidence
// marks, edits kept, confirmation), checks and body of POST /api/v1/files/{id}/fields, dates
// dd/mm/yyyy, and what "Điền vào hồ sơ" copies. fetch is mocked; timers are fake.
import { afterEach, describe, expect, it, vi as vitest } from 'vitest';
import {
  checkOcrValues,
  confirmBody,
  confirmOcr,
  fillApplicant,
  initialOcrView,
  isConfirmedAsShown,
  nameCase,
  ocrReducer,
  percent,
  startOcrPolling,
  toVnDate,
  valuesOf,
  type OcrResult,
} from '../../src/officer/ocr-model';

function result(over: Partial<OcrResult> = {}): OcrResult {
  return {
    file: 'f1',
    state: 'done',
    error: null,
    kind: 'citizen_id_card',
    mean_confidence: 87,
    pages: [{ page: 1, text: 'CĂN CƯỚC CÔNG DÂN\nSố định danh cá nhân: 001099012345', confidence: 87 }],
    fields: {
      id_number: { value: '001099012345', confidence: 1 },
      full_name: { value: 'NGUYỄN VĂN AN', confidence: 0.5 },
      date_of_birth: { value: '1990-02-01', confidence: 0.8 },
    },
    confirmed: null,
    ...over,
  };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

afterEach(() => {
  vitest.useRealTimers();
  vitest.unstubAllGlobals();
});

describe('polling', () => {
  it('asks every 1.5 s while pending and stops when done', async () => {
    vitest.useFakeTimers();
    const answers = [result({ state: 'pending' }), result({ state: 'pending' }), result()];
    const urls: string[] = [];
    vitest.stubGlobal('fetch', async (url: string) => {
      urls.push(url);
      return json(answers.shift());
    });
    const seen: string[] = [];
    const stop = startOcrPolling('f1', { onResult: (r) => seen.push(r.state), onNotFound: () => seen.push('404'), onError: (m) => seen.push(m) });
    await vitest.advanceTimersByTimeAsync(0);
    expect(seen).toEqual(['pending']);
    await vitest.advanceTimersByTimeAsync(1499);
    expect(urls).toHaveLength(1);
    await vitest.advanceTimersByTimeAsync(1);
    expect(seen).toEqual(['pending', 'pending']);
    await vitest.advanceTimersByTimeAsync(1500);
    expect(seen).toEqual(['pending', 'pending', 'done']);
    await vitest.advanceTimersByTimeAsync(10_000);
    expect(urls).toEqual(['/api/v1/files/f1/ocr', '/api/v1/files/f1/ocr', '/api/v1/files/f1/ocr']);
    stop();
  });

  it('stops on failed, and calls nothing after stop()', async () => {
    vitest.useFakeTimers();
    let n = 0;
    vitest.stubGlobal('fetch', async () => {
      n++;
      return json(result({ state: n < 2 ? 'pending' : 'failed', error: { code: 'ocr.unreadable_image', message: 'Không đọc được ảnh / Unreadable image' } }));
    });
    const seen: string[] = [];
    startOcrPolling('f1', { onResult: (r) => seen.push(r.state), onNotFound: () => undefined, onError: () => undefined });
    await vitest.advanceTimersByTimeAsync(5000);
    expect(seen).toEqual(['pending', 'failed']);
    expect(n).toBe(2);

    n = 0;
    seen.length = 0;
    const stop = startOcrPolling('f2', { onResult: (r) => seen.push(r.state), onNotFound: () => undefined, onError: () => undefined });
    await vitest.advanceTimersByTimeAsync(0);
    stop(); // the panel unmounts while pending
    await vitest.advanceTimersByTimeAsync(10_000);
    expect(n).toBe(1);
    expect(seen).toEqual(['pending']);
  });

  it('reports a 404 as no recognition, and gives up after three failures in a row', async () => {
    vitest.useFakeTimers();
    vitest.stubGlobal('fetch', async () => json({ code: 'file.not_found', message: 'x' }, 404));
    const seen: string[] = [];
    startOcrPolling('f1', { onResult: () => seen.push('r'), onNotFound: () => seen.push('404'), onError: (m) => seen.push(m) });
    await vitest.advanceTimersByTimeAsync(5000);
    expect(seen).toEqual(['404']);

    let calls = 0;
    vitest.stubGlobal('fetch', async () => {
      calls++;
      return json({ code: 'store.unavailable', message: 'Hệ thống bận / Busy' }, 503);
    });
    seen.length = 0;
    startOcrPolling('f1', { onResult: () => seen.push('r'), onNotFound: () => seen.push('404'), onError: (m) => seen.push(m) });
    await vitest.advanceTimersByTimeAsync(10_000);
    expect(calls).toBe(3);
    expect(seen).toEqual(['Hệ thống bận / Busy']);
  });
});

describe('the confirmation form', () => {
  it('fills the form once done, marks values below 0.8 or missing, shows dates dd/mm/yyyy', () => {
    let s = ocrReducer(initialOcrView, { type: 'result', result: result({ state: 'pending' }) });
    expect(s.phase).toBe('pending');
    s = ocrReducer(s, { type: 'result', result: result({ fields: { ...result().fields, date_of_birth: { value: null, confidence: 0 } } }) });
    expect(s.phase).toBe('done');
    expect(s.kind).toBe('citizen_id_card');
    expect(s.values).toEqual({ id_number: '001099012345', full_name: 'NGUYỄN VĂN AN', date_of_birth: '' });
    expect(s.low).toEqual({ id_number: false, full_name: true, date_of_birth: true });
    expect(valuesOf(result()).values.date_of_birth).toBe('01/02/1990');
    expect(valuesOf(result()).low.date_of_birth).toBe(false); // exactly 0.8 is not low
  });

  it('keeps the officer’s edits over a later answer, and words a failure', () => {
    let s = ocrReducer(initialOcrView, { type: 'result', result: result() });
    s = ocrReducer(s, { type: 'edit', field: 'full_name', value: 'NGUYỄN VĂN ÂN' });
    s = ocrReducer(s, { type: 'result', result: result() });
    expect(s.values.full_name).toBe('NGUYỄN VĂN ÂN');
    const f = ocrReducer(initialOcrView, {
      type: 'result',
      result: result({ state: 'failed', error: { code: 'ocr.unreadable_image', message: 'Không đọc được ảnh / Unreadable image' } }),
    });
    expect(f.phase).toBe('failed');
    expect(f.error).toBe('Không đọc được ảnh / Unreadable image');
    expect(ocrReducer(initialOcrView, { type: 'notFound' }).phase).toBe('unavailable');
    const e = ocrReducer(initialOcrView, { type: 'pollError', message: 'm' });
    expect(e).toMatchObject({ phase: 'error', error: 'm' });
    expect(ocrReducer(e, { type: 'retry' })).toMatchObject({ phase: 'pending', error: null });
  });

  it('checks the values, then confirms; an edit after that asks for a new confirmation', () => {
    let s = ocrReducer(initialOcrView, { type: 'result', result: result() });
    s = ocrReducer(s, { type: 'edit', field: 'id_number', value: '12345' });
    s = ocrReducer(s, { type: 'edit', field: 'date_of_birth', value: '31/02/1990' });
    const problems = checkOcrValues(s.values);
    expect(problems).toEqual({ id_number: 'validate.citizen_id', date_of_birth: 'officer.ocr.badDate' });
    s = ocrReducer(s, { type: 'invalid', problems });
    s = ocrReducer(s, { type: 'edit', field: 'id_number', value: '001 099 012345' });
    expect(s.problems).toEqual({ date_of_birth: 'officer.ocr.badDate' });
    s = ocrReducer(s, { type: 'edit', field: 'date_of_birth', value: '1/2/1990' });
    expect(checkOcrValues(s.values)).toEqual({});
    expect(confirmBody(s.kind, { ...s.values, full_name: '  NGUYỄN   VĂN AN ' })).toEqual({
      kind: 'citizen_id_card',
      fields: { id_number: '001099012345', full_name: 'NGUYỄN VĂN AN', date_of_birth: '01/02/1990' },
    });
    expect(confirmBody('unknown', { id_number: '', full_name: 'A B', date_of_birth: '' })).toEqual({ kind: 'unknown', fields: { full_name: 'A B' } });

    s = ocrReducer(s, { type: 'saving' });
    expect(s.saving).toBe(true);
    const confirmed = {
      kind: 'citizen_id_card',
      fields: { id_number: '001099012345', full_name: 'NGUYỄN VĂN AN', date_of_birth: '01/02/1990' },
      by: 'officer:u99501-motcua',
      at: '2026-03-12T02:00:00Z',
    };
    s = ocrReducer(s, { type: 'saved', result: result({ confirmed }) });
    expect(s.saving).toBe(false);
    expect(s.low).toEqual({ id_number: false, full_name: false, date_of_birth: false });
    expect(isConfirmedAsShown(s)).toBe(true);
    s = ocrReducer(s, { type: 'edit', field: 'full_name', value: 'NGUYỄN VĂN ANH' });
    expect(isConfirmedAsShown(s)).toBe(false);
    s = ocrReducer(s, { type: 'saveFailed', message: 'Lỗi / Error' });
    expect(s).toMatchObject({ saving: false, error: 'Lỗi / Error' });
  });

  it('a file confirmed earlier opens with the confirmed values', () => {
    const confirmed = { kind: 'birth_certificate', fields: { full_name: 'Trần Thị Bích', date_of_birth: '2024-05-06' }, by: 'officer:x', at: '2026-03-12T02:00:00Z' };
    const s = ocrReducer(initialOcrView, { type: 'result', result: result({ confirmed }) });
    expect(s.kind).toBe('birth_certificate');
    expect(s.values).toEqual({ id_number: '', full_name: 'Trần Thị Bích', date_of_birth: '06/05/2024' });
    expect(isConfirmedAsShown(s)).toBe(true);
  });

  it('posts the confirmation to the file’s fields', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    vitest.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      return json(result({ confirmed: { kind: 'unknown', fields: {}, by: 'officer:x', at: '2026-03-12T02:00:00Z' } }), 201);
    });
    const r = await confirmOcr('f 1', { kind: 'unknown', fields: { full_name: 'A B' } });
    expect(r.confirmed?.by).toBe('officer:x');
    expect(calls.map((c) => [c.init.method, c.url, c.init.body])).toEqual([
      ['POST', '/api/v1/files/f%201/fields', '{"kind":"unknown","fields":{"full_name":"A B"}}'],
    ]);
  });
});

describe('formats and filling the intake form', () => {
  it('dates and confidences', () => {
    expect(toVnDate('1990-02-01')).toBe('01/02/1990');
    expect(toVnDate('1/2/1990')).toBe('01/02/1990');
    expect(toVnDate('01/02/1990')).toBe('01/02/1990');
    expect(toVnDate('ngày 1 tháng 2')).toBe('ngày 1 tháng 2');
    expect(toVnDate(null)).toBe('');
    expect(percent(0.55)).toBe(55);
    expect(percent(87.4)).toBe(87);
    expect(percent(1)).toBe(100);
    expect(percent(Number.NaN)).toBe(0);
  });
  it('writes a name in capitals as a name', () => {
    expect(nameCase('NGUYỄN VĂN AN')).toBe('Nguyễn Văn An');
    expect(nameCase('  ĐẶNG   THỊ ÚT ')).toBe('Đặng Thị Út');
    expect(nameCase('Nguyễn Văn An')).toBe('Nguyễn Văn An');
  });
  it('fills only empty applicant fields, with the ID as a CCCD', () => {
    const c = { kind: 'citizen_id_card', fields: { id_number: '001099012345', full_name: 'NGUYỄN VĂN AN', date_of_birth: '01/02/1990' }, by: 'officer:x', at: '' };
    expect(fillApplicant({ idKind: 'passport', idNumber: '', name: '' }, c)).toEqual({ idKind: 'cccd', idNumber: '001099012345', name: 'Nguyễn Văn An' });
    expect(fillApplicant({ idKind: 'cccd', idNumber: '079', name: 'Bình' }, c)).toEqual({});
    expect(fillApplicant({ idKind: 'cccd', idNumber: '', name: '' }, null)).toEqual({});
  });
});
