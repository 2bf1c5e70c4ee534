// The citizen's data store and reuse (issue #8, src/portal/holdings-model.ts and the submission
// form's pure parts): which holdings a component accepts, what a submission and a counter intake
// send for a reused component, the dates and validity in words, the dossier page's reuse line,
// and the calls' addresses (fetch mocked).
import { afterEach, describe, expect, it, vi as vitest } from 'vitest';
import { registerMessages, setLang } from '../../src/i18n';
import vi from '../../src/portal/i18n.vi';
import en from '../../src/portal/i18n.en';
import {
  componentElement,
  holdingFileUrl,
  holdingLabel,
  isExpired,
  listApplicantHoldings,
  listMyHoldings,
  matchingHoldings,
  reusedHoldingId,
  reuseText,
  sourceText,
  validityText,
  vietnamToday,
  type Holding,
} from '../../src/portal/holdings-model';
import { emptyForm, mergeDraft, reconcileHoldings, submissionComponents, validateForm } from '../../src/portal/SubmitPage';
import { intakeComponents } from '../../src/officer/Intake';
import type { Procedure } from '../../src/portal/model';
import type { Session } from '../../src/core/session';
import { formatDate } from '../../src/core/format';

registerMessages({ vi, en });

function holding(over: Partial<Holding> = {}): Holding {
  return {
    id: 'r-99501-260312-0001',
    doc_type: 'giay_khai_sinh',
    title: 'Giấy khai sinh',
    source: 'result',
    dossier: '99501-260312-0001',
    component: null,
    issuing_unit: '99501',
    issuing_unit_name: 'UBND xã An Bình',
    issued_at: '2026-03-12T18:30:00Z', // 13/03/2026 01:30 in Vietnam
    valid_until: null,
    file: { id: 'f1', name: '99501-260312-0001-KQ1.pdf', content_type: 'application/pdf', size: 2048 },
    fields: {},
    ...over,
  };
}

const proc: Procedure = {
  code: '1.004873',
  name: 'Cấp Giấy xác nhận tình trạng hôn nhân',
  name_en: 'Marital status certificate',
  field: 'ho_tich',
  competent_level: 'commune',
  time_limit: { unit: 'working_days', value: 3 },
  online_level: 'full',
  fees: [],
  components: [
    { code: 'TK', name: 'Tờ khai', required: true },
    { code: 'XNTTHN', name: 'Giấy xác nhận tình trạng hôn nhân cũ', required: true, accepts: ['giay_xac_nhan_tthn', 'giay_khai_sinh'] },
    { code: 'GTTT', name: 'Giấy tờ tùy thân', required: false, accepts: [] },
  ],
  steps: [],
};

const citizen: Session = {
  csrf_token: 'x',
  stage: 'full',
  account: {
    id: 'u1', kind: 'citizen', login: '051095000123', name: 'Nguyễn Văn An', identity_level: 1, unit: '',
    disabled: false, totp_enrolled: false, email: '', phone: '0912345678', roles: [], id_number: '05********23',
  },
};

afterEach(() => {
  setLang('vi');
  vitest.unstubAllGlobals();
});

describe('which holdings a component accepts', () => {
  const today = '2026-06-01';
  it('takes the doc types in accepts, newest first', () => {
    const a = holding({ id: 'a', issued_at: '2025-01-01T00:00:00Z' });
    const b = holding({ id: 'b', doc_type: 'giay_xac_nhan_tthn', issued_at: '2026-02-01T00:00:00Z' });
    const c = holding({ id: 'c', doc_type: 'giay_phep_lai_xe' });
    expect(matchingHoldings(proc.components[1], [a, b, c], today).map((h) => h.id)).toEqual(['b', 'a']);
  });
  it('takes none when accepts is absent or empty', () => {
    expect(matchingHoldings(proc.components[0], [holding()], today)).toEqual([]);
    expect(matchingHoldings(proc.components[2], [holding()], today)).toEqual([]);
  });
  it('leaves out expired holdings; the last valid day still counts', () => {
    const last = holding({ id: 'last', valid_until: '2026-06-01' });
    const gone = holding({ id: 'gone', valid_until: '2026-05-31' });
    expect(matchingHoldings(proc.components[1], [last, gone], today).map((h) => h.id)).toEqual(['last']);
    expect(isExpired(gone, today)).toBe(true);
    expect(isExpired(holding(), today)).toBe(false);
  });
  it('counts today in Vietnam time', () => {
    // 20:00 UTC on 31 May is 03:00 on 1 June in Vietnam.
    expect(vietnamToday(new Date('2026-05-31T20:00:00Z'))).toBe('2026-06-01');
    expect(vietnamToday(new Date('2026-05-31T16:59:00Z'))).toBe('2026-05-31');
  });
});

describe('the submission with reuse', () => {
  it('sends a chosen holding as reused_from without files, uploads as files', () => {
    const f = emptyForm(proc, citizen, false);
    f.components.TK.files = [{ id: 'f9', name: 'tk.pdf', content_type: 'application/pdf', size: 5 }];
    // Files uploaded first and then a holding chosen: the holding replaces them.
    f.components.XNTTHN = { files: [{ id: 'f8', name: 'x.pdf', content_type: 'application/pdf', size: 5 }], reused: false, holding: 'r-1' };
    expect(submissionComponents(proc, f)).toEqual([
      { code: 'TK', files: ['f9'] },
      { code: 'XNTTHN', reused_from: 'r-1' },
    ]);
  });
  it('sends nothing for a component without files or holding, not even an old draft’s reuse flag', () => {
    const f = emptyForm(proc, citizen, false);
    f.components.GTTT.reused = true;
    expect(submissionComponents(proc, f)).toEqual([]);
    expect(componentElement('X', { files: [] })).toBeNull();
    expect(componentElement('X', { files: [], holding: '' })).toBeNull();
    f.applicant.phone = '0912345678';
    f.unit = '99501';
    f.components.TK.reused = true;
    expect(Object.keys(validateForm(proc, f, false, true)).sort()).toEqual(['component.TK', 'component.XNTTHN']);
  });
  it('accepts a chosen holding for a required component', () => {
    const f = emptyForm(proc, citizen, false);
    f.applicant.phone = '0912345678';
    f.unit = '99501';
    f.components.TK.files = [{ id: 'f9', name: 'tk.pdf', content_type: 'application/pdf', size: 5 }];
    expect(Object.keys(validateForm(proc, f, false, true))).toEqual(['component.XNTTHN']);
    f.components.XNTTHN.holding = 'r-1';
    expect(validateForm(proc, f, false, true)).toEqual({});
  });
  it('restores a chosen holding from a draft, and drops it when the store no longer offers it', () => {
    const base = emptyForm(proc, citizen, false);
    const m = mergeDraft(base, { components: { XNTTHN: { files: [], reused: false, holding: 'r-1' } } });
    expect(m.components.XNTTHN.holding).toBe('r-1');
    const kept = reconcileHoldings(proc, m, [holding({ id: 'r-1' })], '2026-06-01');
    expect(kept).toBe(m);
    const dropped = reconcileHoldings(proc, m, [holding({ id: 'r-2' })], '2026-06-01');
    expect(dropped.components.XNTTHN).toEqual({ files: [], reused: false });
    const expired = reconcileHoldings(proc, m, [holding({ id: 'r-1', valid_until: '2026-01-01' })], '2026-06-01');
    expect(expired.components.XNTTHN.holding).toBeUndefined();
  });
});

describe('the counter intake with reuse', () => {
  it('sends provided components, a holding without files and not as digitised', () => {
    const f = (id: string) => ({ id, name: `${id}.pdf`, content_type: 'application/pdf', size: 1 });
    const out = intakeComponents(proc, {
      TK: { provided: true, digitised: true, files: [f('f1')] },
      XNTTHN: { provided: true, digitised: true, files: [f('f2')], holding: 'r-1' },
      GTTT: { provided: false, digitised: false, files: [] },
    });
    expect(out.components).toEqual([
      { code: 'TK', files: ['f1'] },
      { code: 'XNTTHN', reused_from: 'r-1' },
    ]);
    expect(out.digitised).toEqual(['TK']);
  });
});

describe('holdings in words', () => {
  it('words the source, the validity and the issue date in Vietnam time', () => {
    expect(sourceText('result')).toBe('Kết quả điện tử');
    expect(sourceText('component')).toBe('Thành phần đã số hoá');
    expect(validityText(holding())).toBe('Không thời hạn');
    expect(validityText(holding({ valid_until: '2030-12-31' }), '2026-06-01')).toBe('Đến 31/12/2030');
    expect(validityText(holding({ valid_until: '2026-01-05' }), '2026-06-01')).toBe('Đã hết hạn (05/01/2026)');
    expect(formatDate(holding().issued_at)).toBe('13/03/2026');
    expect(holdingLabel(holding())).toBe('Giấy khai sinh — UBND xã An Bình, cấp ngày 13/03/2026 (hồ sơ 99501-260312-0001)');
  });
  it('in English too', () => {
    setLang('en');
    expect(sourceText('component')).toBe('Digitised component');
    expect(validityText(holding())).toBe('No expiry');
    expect(reuseText('holding:r-1', [holding({ id: 'r-1' })])).toBe('Reused from the data store: Giấy khai sinh (99501-260312-0001)');
  });
  it('reads the dossier record’s reused_from', () => {
    expect(reusedHoldingId('holding:r-HG-260312-0001')).toBe('r-HG-260312-0001');
    expect(reusedHoldingId('holding:')).toBeNull();
    expect(reusedHoldingId('kho_du_lieu_cong_dan')).toBeNull();
    expect(reusedHoldingId('')).toBeNull();
    expect(reuseText('holding:r-1', [holding({ id: 'r-1' })])).toBe('Dùng lại từ kho dữ liệu: Giấy khai sinh (99501-260312-0001)');
    expect(reuseText('holding:r-9', [])).toBe('Dùng lại từ kho dữ liệu: r-9');
    expect(reuseText('kho_du_lieu_cong_dan', [])).toBeNull();
  });
});

describe('the calls', () => {
  it('reads my holdings, an applicant’s, and names the download', async () => {
    const urls: string[] = [];
    vitest.stubGlobal('fetch', async (url: string) => {
      urls.push(url);
      return new Response(JSON.stringify({ items: [holding()] }), { status: 200, headers: { 'Content-Type': 'application/json' } });
    });
    expect((await listMyHoldings()).map((h) => h.id)).toEqual(['r-99501-260312-0001']);
    expect(await listApplicantHoldings('051 095 000123')).toHaveLength(1);
    expect(urls).toEqual(['/api/v1/me/holdings', '/api/v1/holdings?applicant=051095000123']);
    expect(holdingFileUrl('r-HG-260312-0001')).toBe('/api/v1/me/holdings/r-HG-260312-0001/file');
  });
  it('turns an error answer into the server’s message', async () => {
    vitest.stubGlobal('fetch', async () =>
      new Response(JSON.stringify({ code: 'auth.forbidden', message: 'Không có quyền / Forbidden' }), { status: 403 }),
    );
    await expect(listApplicantHoldings('051095000123')).rejects.toMatchObject({ status: 403, code: 'auth.forbidden', message: 'Không có quyền / Forbidden' });
  });
});
