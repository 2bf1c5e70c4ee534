// The verification model (src/verify/model.ts): verdicts and certificate statuses in words in
// both languages, signing times in Vietnam time, the checks made before a file or code is sent,
// the error sentences, and the electronic result's link and issue time (src/portal/model.ts).
import { afterEach, describe, expect, it, vi as vitest } from 'vitest';
import { ApiError } from '../../src/core/api';
import { registerMessages, setLang } from '../../src/i18n';
import viCore from '../../src/i18n/vi';
import viPortal from '../../src/portal/i18n.vi';
import enPortal from '../../src/portal/i18n.en';
import vi from '../../src/verify/i18n.vi';
import en from '../../src/verify/i18n.en';
import {
  certificateOk,
  certificateStatusText,
  checkCode,
  checkPdfFile,
  integrityText,
  kindLabel,
  MAX_VERIFY_BYTES,
  normaliseCode,
  purposeLabel,
  signatureValidityText,
  signedAtText,
  verdictMessage,
  verifyCode,
  verifyErrorText,
  verifyFile,
  type SignatureReport,
} from '../../src/verify/model';
import { instantFromMicros, resultPdfUrl } from '../../src/portal/model';

registerMessages({ vi: viPortal, en: enPortal });
registerMessages({ vi, en });

function sig(over: Partial<SignatureReport> = {}): SignatureReport {
  return {
    field: 'Signature1',
    valid: true,
    intact: true,
    covered_bytes: 1234,
    kind: 'personal',
    certificate_status: 'trusted',
    signed_at: '2026-11-20T03:04:05Z',
    ...over,
  };
}

afterEach(() => setLang('vi'));

describe('verdict banner', () => {
  it('says valid, invalid and unsigned in Vietnamese with an explanation', () => {
    expect(verdictMessage('valid')).toEqual({
      tone: 'ok',
      title: 'Văn bản hợp lệ',
      body: 'Văn bản còn nguyên vẹn và các chữ ký số hợp lệ.',
    });
    const bad = verdictMessage('invalid');
    expect(bad.tone).toBe('bad');
    expect(bad.title).toBe('Văn bản không hợp lệ');
    expect(bad.body).toContain('thay đổi sau khi ký');
    const none = verdictMessage('unsigned');
    expect(none.tone).toBe('warn');
    expect(none.title).toBe('Văn bản chưa được ký số');
  });
  it('treats an unknown verdict as not valid', () => {
    expect(verdictMessage('maybe').tone).toBe('bad');
  });
  it('follows the language switch', () => {
    setLang('en');
    expect(verdictMessage('valid').title).toBe('Valid document');
    expect(verdictMessage('unsigned').title).toBe('Document not digitally signed');
  });
});

describe('signature kind and validity', () => {
  it('names personal and organisation signatures', () => {
    expect(kindLabel('personal')).toBe('Chữ ký số cá nhân');
    expect(kindLabel('organisation')).toBe('Chữ ký số của cơ quan, tổ chức');
    expect(kindLabel('unknown')).toBe('Chữ ký số không rõ loại');
    expect(kindLabel('root_ca')).toBe('Chữ ký số không rõ loại');
    setLang('en');
    expect(kindLabel('organisation')).toBe('Digital signature of an agency or organisation');
  });
  it('words validity and integrity', () => {
    expect(signatureValidityText(sig())).toBe('Hợp lệ');
    expect(signatureValidityText(sig({ valid: false }))).toBe('Không hợp lệ');
    expect(integrityText(sig())).toBe('Nội dung được ký còn nguyên vẹn.');
    expect(integrityText(sig({ intact: false }))).toBe('Nội dung đã bị thay đổi sau khi ký.');
  });
});

describe('certificate status in words', () => {
  it('trusted: issued by the root, valid when signing', () => {
    expect(certificateStatusText(sig())).toBe('Chứng thư số thuộc tổ chức chứng thực gốc của tỉnh, còn hiệu lực khi ký.');
    expect(certificateOk('trusted')).toBe(true);
  });
  it('revoked_later: still valid, with the revocation date in Vietnam time', () => {
    const s = sig({ certificate_status: 'revoked_later', revoked_at: '2026-12-01T18:30:00Z' });
    expect(certificateStatusText(s)).toBe(
      'Chứng thư số còn hiệu lực khi ký; bị thu hồi sau thời điểm ký, ngày 02/12/2026 01:30. Chữ ký vẫn có giá trị.',
    );
    expect(certificateOk('revoked_later')).toBe(true);
    expect(certificateStatusText(sig({ certificate_status: 'revoked_later' }))).not.toContain('{date}');
  });
  it('revoked before signing: no value', () => {
    const s = sig({ certificate_status: 'revoked', revoked_at: '2026-11-19T01:00:00Z', valid: false });
    expect(certificateStatusText(s)).toBe(
      'Chứng thư số đã bị thu hồi trước thời điểm ký (ngày 19/11/2026 08:00); chữ ký không có giá trị.',
    );
    expect(certificateOk('revoked')).toBe(false);
  });
  it('expired, untrusted and anything else', () => {
    expect(certificateStatusText(sig({ certificate_status: 'expired' }))).toBe(
      'Chứng thư số đã hết hạn hoặc chưa có hiệu lực tại thời điểm ký.',
    );
    expect(certificateStatusText(sig({ certificate_status: 'untrusted' }))).toBe(
      'Chứng thư số không do tổ chức chứng thực tin cậy cấp.',
    );
    expect(certificateOk('expired')).toBe(false);
    expect(certificateOk('untrusted')).toBe(false);
    expect(certificateStatusText(sig({ certificate_status: 'weird' }))).toBe(
      'Không xác định được trạng thái của chứng thư số.',
    );
  });
  it('in English', () => {
    setLang('en');
    expect(certificateStatusText(sig())).toBe('Certificate chains to the root certification authority of the province, valid at signing time.');
    expect(certificateStatusText(sig({ certificate_status: 'revoked_later', revoked_at: '2026-12-01T18:30:00Z' }))).toBe(
      'Certificate valid at signing time; revoked after the signature, on 02/12/2026 01:30. The signature remains valid.',
    );
  });
});

describe('signing time', () => {
  it('is dd/mm/yyyy HH:mm in Vietnam time whatever the zone', () => {
    expect(signedAtText(sig({ signed_at: '2026-11-20T03:04:05Z' }))).toBe('20/11/2026 10:04');
    // 17:00Z is midnight of the next day in Vietnam.
    expect(signedAtText(sig({ signed_at: '2026-11-20T17:00:00Z' }))).toBe('21/11/2026 00:00');
    expect(signedAtText(sig({ signed_at: undefined }))).toBe('');
  });
});

describe('registered document', () => {
  it('names the purpose', () => {
    expect(purposeLabel('result')).toBe('Kết quả giải quyết thủ tục hành chính');
    expect(purposeLabel('document')).toBe('Văn bản điện tử');
    expect(purposeLabel('other')).toBe('other');
  });
});

describe('checks before sending', () => {
  const pdf = (over: Partial<{ name: string; type: string; size: number }> = {}) => ({
    name: 'ket-qua.pdf',
    type: 'application/pdf',
    size: 1000,
    ...over,
  });
  it('accepts a PDF by name and type, or by name when the browser gives no type', () => {
    expect(checkPdfFile(pdf())).toBeNull();
    expect(checkPdfFile(pdf({ name: 'KET-QUA.PDF' }))).toBeNull();
    expect(checkPdfFile(pdf({ type: '' }))).toBeNull();
    expect(checkPdfFile(pdf({ size: MAX_VERIFY_BYTES }))).toBeNull();
  });
  it('refuses other files, empty ones and those over 20 MiB', () => {
    expect(checkPdfFile(pdf({ name: 'anh.jpg', type: 'image/jpeg' }))).toEqual({ key: 'verify.file.notPdf' });
    expect(checkPdfFile(pdf({ name: 'x.txt', type: 'text/plain' }))).toEqual({ key: 'verify.file.notPdf' });
    expect(checkPdfFile(pdf({ type: 'text/plain' }))).toEqual({ key: 'verify.file.notPdf' });
    expect(checkPdfFile(pdf({ size: 0 }))).toEqual({ key: 'verify.file.empty' });
    expect(checkPdfFile(pdf({ size: MAX_VERIFY_BYTES + 1 }))).toEqual({
      key: 'verify.file.tooLarge',
      params: { max: '20 MB' },
    });
  });
  it('normalises and checks verification codes', () => {
    expect(normaliseCode(' abcd-2345 efgh ')).toBe('ABCD2345EFGH');
    expect(checkCode('abcd-2345-efgh')).toBeNull();
    expect(checkCode('   ')).toEqual({ key: 'verify.code.required' });
    expect(checkCode('ABCD2345EFG')).toEqual({ key: 'verify.code.format' }); // 11 characters
    expect(checkCode('ABCD2345EFGH1')).toEqual({ key: 'verify.code.format' });
    expect(checkCode('ABCD0145EFGH')).toEqual({ key: 'verify.code.format' }); // 0 and 1 are not Base32
  });
});

describe('error sentences', () => {
  it('names the code that was not found', () => {
    const e = new ApiError(404, 'document.not_found', 'Không tìm thấy văn bản.');
    expect(verifyErrorText(e, 'abcd2345efgh')).toBe(
      'Không tìm thấy văn bản nào có mã kiểm tra ABCD2345EFGH. Vui lòng kiểm tra lại mã.',
    );
  });
  it("shows the server's message for a bad file", () => {
    const e = new ApiError(422, 'pdf.not_pdf', 'Tệp không phải PDF (thông điệp của máy chủ).');
    expect(verifyErrorText(e)).toBe('Tệp không phải PDF (thông điệp của máy chủ).');
  });
  it('has its own words when the server sent none', () => {
    expect(verifyErrorText(new ApiError(422, 'pdf.damaged', ''))).toBe('Tệp PDF bị hỏng, không đọc được.');
    expect(verifyErrorText(new ApiError(413, 'http.413', ''))).toBe('Tệp lớn hơn 20 MB, không kiểm tra được.');
    expect(verifyErrorText(new ApiError(0, 'network', ''))).toContain('Không kết nối được');
  });
});

describe('requests', () => {
  afterEach(() => vitest.unstubAllGlobals());
  it('posts the raw file as application/pdf and reads the report', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    vitest.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      return new Response(JSON.stringify({ verdict: 'unsigned', sha256: 'ab', size: 3, changed_after_last_signature: false, signatures: [] }), { status: 200 });
    });
    const blob = new Blob(['%PDF-1.4'], { type: 'application/pdf' });
    const r = await verifyFile(blob);
    expect(r.verdict).toBe('unsigned');
    expect(calls[0].url).toBe('/api/v1/verify');
    expect(calls[0].init.method).toBe('POST');
    expect((calls[0].init.headers as Record<string, string>)['Content-Type']).toBe('application/pdf');
    expect(calls[0].init.body).toBe(blob);
  });
  it('gets a normalised code and turns an error body into an ApiError', async () => {
    const urls: string[] = [];
    vitest.stubGlobal('fetch', async (url: string) => {
      urls.push(url);
      return new Response(JSON.stringify({ error: { code: 'document.not_found', message: 'x' } }), { status: 404 });
    });
    await expect(verifyCode('abcd-2345-efgh')).rejects.toMatchObject({ status: 404, code: 'document.not_found' });
    expect(urls).toEqual(['/api/v1/verify/ABCD2345EFGH']);
  });
});

describe('electronic result of a dossier', () => {
  it('links the signed PDF', () => {
    expect(resultPdfUrl('99501-261120-0007')).toBe('/api/v1/dossiers/99501-261120-0007/result.pdf');
  });
  it('reads the issue time from microseconds (or an ISO string)', () => {
    const us = Date.UTC(2026, 10, 20, 3, 4, 5) * 1000 + 123;
    expect(instantFromMicros(us)?.toISOString()).toBe('2026-11-20T03:04:05.000Z');
    expect(instantFromMicros('2026-11-20T03:04:05Z')?.toISOString()).toBe('2026-11-20T03:04:05.000Z');
    expect(instantFromMicros(null)).toBeNull();
    expect(instantFromMicros('junk')).toBeNull();
  });
});

describe('message keys of the verification page and the result section', () => {
  const sources = import.meta.glob<string>(['../../src/verify/**/*.{ts,tsx}', '../../src/portal/ResultDocument.tsx', '!**/i18n.*.ts'], {
    query: '?raw',
    import: 'default',
    eager: true,
  });
  it("every t('…') key is in a catalogue the page can see", () => {
    const visible = { ...viCore, ...viPortal, ...vi } as Record<string, string>;
    const missing: string[] = [];
    let count = 0;
    for (const [f, src] of Object.entries(sources)) {
      for (const m of src.matchAll(/\bt\(\s*'([a-zA-Z0-9_.-]+)'/g)) {
        count++;
        if (!(m[1] in visible)) missing.push(`${f}: ${m[1]}`);
      }
    }
    expect(count).toBeGreaterThan(30);
    expect(missing).toEqual([]);
  });
  it("the result section's keys are the portal's (the officer workspace sees them too)", () => {
    for (const k of ['resultDoc.title', 'resultDoc.download', 'resultDoc.code', 'resultDoc.verify']) {
      expect(viPortal).toHaveProperty(k);
    }
    expect(viPortal['resultDoc.title']).toBe('Kết quả điện tử');
  });
});
