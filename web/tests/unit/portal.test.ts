import { describe, expect, it } from 'vitest';
import { emptyForm, mergeDraft, validateForm } from '../../src/portal/SubmitPage';
import { feeSummary } from '../../src/portal/Home';
import { eventDetail } from '../../src/portal/DossierPage';
import type { Dossier, Procedure, ProcedureSummary } from '../../src/portal/model';
import type { Session } from '../../src/core/session';
import { registerMessages, setLang } from '../../src/i18n';
import vi from '../../src/portal/i18n.vi';
import en from '../../src/portal/i18n.en';

registerMessages({ vi, en });

const proc: Procedure = {
  code: '1.001193',
  name: 'Đăng ký khai sinh',
  name_en: 'Birth registration',
  field: 'ho_tich',
  competent_level: 'commune',
  time_limit: { unit: 'same_day', value: 0 },
  online_level: 'full',
  fees: [
    { code: 'le_phi_qua_han', kind: 'fee', name: 'Lệ phí quá hạn', name_en: 'Late fee', amount: 8000, condition: 'late_registration' },
  ],
  components: [
    { code: 'TK', name: 'Tờ khai', required: true },
    { code: 'GCS', name: 'Giấy chứng sinh', required: true },
    { code: 'UQ', name: 'Văn bản ủy quyền', required: false },
  ],
  steps: [],
};

const citizen: Session = {
  csrf_token: 'x',
  stage: 'full',
  account: {
    id: 'u1', kind: 'citizen', login: '051095000123', name: 'Nguyễn Văn An', identity_level: 1, unit: '',
    disabled: false, totp_enrolled: false, email: 'an@example.vn', phone: '0912345678', roles: [], id_number: '05********23',
  },
};

describe('submission form', () => {
  it('prefills a citizen from the account (ID number = login), leaves assisted forms empty', () => {
    const f = emptyForm(proc, citizen, false);
    expect(f.applicant).toMatchObject({ name: 'Nguyễn Văn An', id_number: '051095000123', phone: '0912345678', email: 'an@example.vn' });
    expect(Object.keys(f.components)).toEqual(['TK', 'GCS', 'UQ']);
    const a = emptyForm(proc, citizen, true);
    expect(a.applicant.name).toBe('');
    expect(a.applicant.id_number).toBe('');
  });

  it('needs a file or a reused holding for each required component, a commune, a valid phone', () => {
    const f = emptyForm(proc, citizen, false);
    f.applicant.phone = '12345';
    const p = validateForm(proc, f, false, true);
    expect(Object.keys(p).sort()).toEqual(['applicant.phone', 'component.GCS', 'component.TK', 'unit']);
    f.applicant.phone = '0912 345 678';
    f.unit = '99501';
    f.components.TK.files = [{ id: 'f1', name: 'a.pdf', content_type: 'application/pdf', size: 10 }];
    f.components.GCS.holding = 'r-99501-260101-0001';
    expect(validateForm(proc, f, false, true)).toEqual({});
  });

  it('checks the ID number only on the assisted channel', () => {
    const f = emptyForm(proc, citizen, true);
    f.applicant.name = 'Bình';
    f.applicant.phone = '0387654321';
    f.applicant.id_number = '123';
    expect(validateForm(proc, f, true, false)['applicant.id_number']?.key).toBe('validate.citizen_id');
    f.applicant.id_number = '051095000123';
    expect(validateForm(proc, f, true, false)['applicant.id_number']).toBeUndefined();
  });

  it('restores a draft over a fresh form and drops components the procedure no longer has', () => {
    const base = emptyForm(proc, citizen, false);
    const m = mergeDraft(base, {
      applicant: { ...base.applicant, phone: '0987654321' },
      unit: '99502',
      components: {
        TK: { files: [{ id: 'f9', name: 'x.pdf', content_type: 'application/pdf', size: 5 }], reused: false },
        OLD: { files: [], reused: true },
      },
    });
    expect(m.applicant.phone).toBe('0987654321');
    expect(m.applicant.name).toBe('Nguyễn Văn An');
    expect(m.unit).toBe('99502');
    expect(m.components.TK.files[0].id).toBe('f9');
    expect('OLD' in m.components).toBe(false);
    expect(m.components.GCS).toEqual({ files: [], reused: false });
    expect(m.fee_conditions).toEqual([]);
  });
});

describe('catalogue fee summary', () => {
  const base: ProcedureSummary = { ...proc, fees: [] };
  it('is free without fees, or free with conditional fees only', () => {
    setLang('vi');
    expect(feeSummary(base)).toBe('Miễn phí');
    expect(feeSummary(proc)).toBe('Miễn phí (có trường hợp thu phí)');
  });
  it('adds the fees that always apply, in money format', () => {
    const p = { ...base, fees: [
      { code: 'a', kind: 'fee', name: '', name_en: '', amount: 1_000_000, condition: null },
      { code: 'b', kind: 'charge', name: '', name_en: '', amount: 250_000, condition: null },
    ] };
    expect(feeSummary(p)).toBe('1.250.000 ₫');
  });
});

describe('timeline details', () => {
  const d = { steps: [{ name: 'Thẩm định hồ sơ' }] } as unknown as Dossier;
  const ev = (type: string, payload: Record<string, unknown>) => ({ seq: 1, type, at: '', at_vi: '', unit: '', actor: '', payload });
  it('names the step, the new appointment in Vietnam time, the reason', () => {
    setLang('vi');
    expect(eventDetail(ev('StepCompleted', { step: 0 }), d, [])).toBe('Thẩm định hồ sơ');
    expect(eventDetail(ev('DossierReceived', { due_at: '2026-03-03T10:00:00Z' }), d, [])).toBe('Hẹn trả kết quả: 03/03/2026 17:00');
    expect(eventDetail(ev('DossierWithdrawn', { reason: 'Nộp nhầm' }), d, [])).toBe('Nộp nhầm');
    expect(eventDetail(ev('SupplementRequested', { reason: 'Thiếu chữ ký', items: ['Tờ khai', 'CCCD'] }), d, [])).toBe('Thiếu chữ ký — Tờ khai; CCCD');
    expect(eventDetail(ev('DossierTransferred', { to_unit: '99.STP' }), d, [{ code: '99.STP', name: 'Sở Tư pháp', name_en: 'Department of Justice', level: 'department', parent: '99' }])).toBe('Chuyển đến Sở Tư pháp');
  });
});
