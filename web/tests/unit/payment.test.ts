// The payment model (src/portal/payment-model.ts): payment states and channels in words in both
// languages, the total of the fee lines, which actions the citizen and the officer are offered
// in each state, the gateway's return in the route's query, the QR image's data: URL, and the
// calls' addresses and bodies.
import { afterEach, describe, expect, it, vi as vitest } from 'vitest';
import { registerMessages, setLang } from '../../src/i18n';
import viPortal from '../../src/portal/i18n.vi';
import enPortal from '../../src/portal/i18n.en';
import { parseHash } from '../../src/core/router';
import { formatMoney } from '../../src/core/format';
import {
  channelText,
  citizenPaymentActions,
  exemptionText,
  gatewayOutcome,
  hasReceipt,
  isSafeGatewayUrl,
  lineName,
  officerPaymentActions,
  paidAt,
  payCash,
  paymentStateText,
  paymentTotal,
  receiptPdfUrl,
  receiptSerial,
  refundPayment,
  showPaymentPanel,
  startGatewayPayment,
  svgDataUrl,
  waiveFees,
  type Payment,
} from '../../src/portal/payment-model';

registerMessages({ vi: viPortal, en: enPortal });

function payment(over: Partial<Payment> = {}): Payment {
  return {
    state: 'due',
    stage: 'return',
    amount_due: 5000,
    lines: [{ code: 'le_phi', kind: 'fee', name: 'Lệ phí cấp Giấy xác nhận', name_en: 'Fee', amount: 5000 }],
    reference: 'MC995012612030001',
    exemption: '',
    payments: [],
    receipt: null,
    ...over,
  };
}

afterEach(() => {
  setLang('vi');
  vitest.unstubAllGlobals();
});

describe('payment states and channels in words', () => {
  it('words every state in Vietnamese', () => {
    expect(paymentStateText('due')).toBe('Chưa thanh toán');
    expect(paymentStateText('paid')).toBe('Đã thanh toán');
    expect(paymentStateText('refunded')).toBe('Đã hoàn tiền');
    expect(paymentStateText('waived')).toBe('Được miễn');
    expect(paymentStateText('not_required')).toBe('Không phải nộp');
  });
  it('and in English', () => {
    setLang('en');
    expect(paymentStateText('due')).toBe('Not paid');
    expect(paymentStateText('paid')).toBe('Paid');
    expect(paymentStateText('refunded')).toBe('Refunded');
    expect(paymentStateText('waived')).toBe('Exempted');
  });
  it('shows an unknown state as it is', () => {
    expect(paymentStateText('frozen')).toBe('frozen');
  });
  it('words the three channels', () => {
    expect(channelText('gateway')).toBe('cổng thanh toán');
    expect(channelText('bank_transfer')).toBe('chuyển khoản');
    expect(channelText('counter_cash')).toBe('tiền mặt tại quầy');
    expect(channelText('pigeon')).toBe('pigeon');
    setLang('en');
    expect(channelText('bank_transfer')).toBe('bank transfer');
  });
  it('words the exemption grounds of the catalogue, else the code', () => {
    expect(exemptionText('ho_ngheo')).toBe('Thành viên hộ nghèo');
    expect(exemptionText('khac')).toBe('khac');
  });
  it('names a fee line in the current language', () => {
    const l = payment().lines[0];
    expect(lineName(l)).toBe('Lệ phí cấp Giấy xác nhận');
    setLang('en');
    expect(lineName(l)).toBe('Fee');
    expect(lineName({ ...l, name_en: '' })).toBe('Lệ phí cấp Giấy xác nhận');
  });
});

describe('the total', () => {
  it('adds the lines in integer VND and formats like the receipt', () => {
    const p = payment({
      lines: [
        { code: 'a', kind: 'fee', name: 'A', name_en: 'A', amount: 1_000_000 },
        { code: 'b', kind: 'charge', name: 'B', name_en: 'B', amount: 250_000 },
      ],
    });
    expect(paymentTotal(p)).toBe(1_250_000);
    expect(formatMoney(paymentTotal(p))).toBe('1.250.000 ₫');
  });
  it('is zero without lines and ignores non-numbers', () => {
    expect(paymentTotal({ lines: [] })).toBe(0);
    expect(paymentTotal({ lines: [{ code: 'x', kind: 'fee', name: '', name_en: '', amount: NaN }] })).toBe(0);
  });
});

describe('what is offered', () => {
  it('shows no panel when nothing is to be paid', () => {
    expect(showPaymentPanel(undefined)).toBe(false);
    expect(showPaymentPanel(null)).toBe(false);
    expect(showPaymentPanel(payment({ state: 'not_required', amount_due: 0, lines: [] }))).toBe(false);
    expect(showPaymentPanel(payment())).toBe(true);
  });
  it('offers the citizen the gateway and VietQR while due, the receipt once paid', () => {
    expect(citizenPaymentActions(payment())).toEqual(['gateway', 'vietqr']);
    expect(citizenPaymentActions(payment({ state: 'paid' }))).toEqual(['receipt']);
    expect(citizenPaymentActions(payment({ state: 'waived', amount_due: 0 }))).toEqual([]);
    expect(citizenPaymentActions(payment({ state: 'refunded' }))).toEqual([]);
    expect(citizenPaymentActions(payment({ state: 'refunded', receipt: { serial: 'BL1', verify_code: 'X' } }))).toEqual([
      'receipt',
    ]);
    expect(citizenPaymentActions(payment({ amount_due: 0 }))).toEqual([]);
    expect(citizenPaymentActions(payment({ state: 'not_required' }))).toEqual([]);
    expect(citizenPaymentActions(undefined)).toEqual([]);
  });
  it('offers the officer cash or a waiver while due, a refund once paid', () => {
    expect(officerPaymentActions(payment(), 'submitted')).toEqual(['cash', 'waive']);
    expect(officerPaymentActions(payment(), 'result_ready')).toEqual(['cash', 'waive']);
    expect(officerPaymentActions(payment({ state: 'paid' }), 'returned')).toEqual(['refund']);
    expect(officerPaymentActions(payment({ state: 'waived', amount_due: 0 }))).toEqual([]);
    expect(officerPaymentActions(payment({ state: 'refunded' }))).toEqual([]);
    expect(officerPaymentActions(payment(), 'withdrawn')).toEqual([]);
    expect(officerPaymentActions(payment(), 'refused')).toEqual([]);
    expect(officerPaymentActions(null)).toEqual([]);
  });
  it('leaves out what the officer’s roles may not do', () => {
    expect(officerPaymentActions(payment(), 'received', ['one_stop_officer'])).toEqual(['cash', 'waive']);
    expect(officerPaymentActions(payment(), 'received', ['leader'])).toEqual(['waive']);
    expect(officerPaymentActions(payment({ state: 'paid' }), 'received', ['leader'])).toEqual(['refund']);
    expect(officerPaymentActions(payment(), 'received', ['specialist', 'clerk'])).toEqual([]);
  });
  it('has a receipt once paid or when one was issued', () => {
    expect(hasReceipt(payment())).toBe(false);
    expect(hasReceipt(payment({ state: 'paid' }))).toBe(true);
    expect(hasReceipt(payment({ state: 'refunded', receipt: { serial: 'BL1', verify_code: 'X' } }))).toBe(true);
  });
});

describe('the return from the gateway', () => {
  it('reads thanh-toan from the query after the hash path', () => {
    const ok = parseHash('#/ho-so/99501-261203-0001?thanh-toan=ok');
    expect(ok.path).toBe('/ho-so/99501-261203-0001');
    expect(gatewayOutcome(ok.query)).toBe('ok');
    expect(gatewayOutcome(parseHash('#/ho-so/X?thanh-toan=loi').query)).toBe('failed');
    expect(gatewayOutcome(parseHash('#/ho-so/X').query)).toBe(null);
    expect(gatewayOutcome({ 'thanh-toan': 'maybe' })).toBe(null);
  });
  it('follows only http(s) gateway addresses', () => {
    expect(isSafeGatewayUrl('http://127.0.0.1:8091/paymentv2/vpcpay.html?vnp_Amount=500000')).toBe(true);
    expect(isSafeGatewayUrl('https://pay.example.vn/x')).toBe(true);
    expect(isSafeGatewayUrl('javascript:alert(1)')).toBe(false);
    expect(isSafeGatewayUrl('data:text/html,x')).toBe(false);
    expect(isSafeGatewayUrl('/relative')).toBe(false);
    expect(isSafeGatewayUrl(undefined)).toBe(false);
  });
});

describe('dates and images', () => {
  it('takes paid_at in microseconds or as an ISO string', () => {
    const us = Date.UTC(2026, 11, 3, 3, 15) * 1000;
    const e = { channel: 'gateway', amount: 5000, transaction_no: '1', provider: 'p', online: true };
    expect(paidAt({ ...e, paid_at: us })?.toISOString()).toBe('2026-12-03T03:15:00.000Z');
    expect(paidAt({ ...e, paid_at: '2026-12-03T10:15:00+07:00' })?.toISOString()).toBe('2026-12-03T03:15:00.000Z');
    expect(paidAt({ ...e, paid_at: null })).toBe(null);
  });
  it('turns the SVG text into a base64 data: URL (UTF-8 safe)', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><title>Mã QR</title></svg>';
    const url = svgDataUrl(svg);
    expect(url.startsWith('data:image/svg+xml;base64,')).toBe(true);
    const decoded = new TextDecoder().decode(
      Uint8Array.from(atob(url.slice('data:image/svg+xml;base64,'.length)), (c) => c.charCodeAt(0)),
    );
    expect(decoded).toBe(svg);
  });
});

describe('the calls', () => {
  function stubFetch(reply: unknown) {
    const calls: { url: string; init: RequestInit }[] = [];
    vitest.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      return new Response(JSON.stringify(reply), { status: 200, headers: { 'Content-Type': 'application/json' } });
    });
    return calls;
  }
  it('posts to the contract’s addresses with its bodies', async () => {
    const calls = stubFetch({ url: 'http://gw/x' });
    expect(await startGatewayPayment('99501-261203-0001')).toEqual({ url: 'http://gw/x' });
    await payCash('C1', 5000);
    await waiveFees('C1', 'ho_ngheo', 'Sổ hộ nghèo 2026');
    await refundPayment('C1', 'Nộp nhầm');
    expect(calls.map((c) => [c.init.method, c.url, c.init.body])).toEqual([
      ['POST', '/api/v1/dossiers/99501-261203-0001/payments/gateway', '{}'],
      ['POST', '/api/v1/dossiers/C1/payments/cash', '{"amount":5000}'],
      ['POST', '/api/v1/dossiers/C1/payments/waive', '{"exemption":"ho_ngheo","reason":"Sổ hộ nghèo 2026"}'],
      ['POST', '/api/v1/dossiers/C1/payments/refund', '{"reason":"Nộp nhầm"}'],
    ]);
    expect(receiptPdfUrl('99501-261203-0001')).toBe('/api/v1/dossiers/99501-261203-0001/payments/receipt.pdf');
  });
});

describe('the receipt serial', () => {
  it('comes from receipt, else from the last payment', () => {
    expect(receiptSerial(payment())).toBe('');
    expect(receiptSerial(payment({ receipt: { serial: 'BL-1', verify_code: 'V' } }))).toBe('BL-1');
    const e = { channel: 'gateway', amount: 5000, transaction_no: '1', provider: 'p', online: true, paid_at: 0 };
    expect(receiptSerial(payment({ payments: [{ ...e, receipt_serial: 'A' }, { ...e, receipt_serial: 'B' }] }))).toBe('B');
  });
});
