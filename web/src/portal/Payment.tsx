// "Lệ phí, phí": the fees of a dossier and their payment (issue #7, docs/design/0002-payments.md),
// on the citizen's dossier page and, read-only with the officer's own actions below it, on the
// officer's. While fees are due the applicant can pay online (POST …/payments/gateway, then a
// full navigation to the gateway, another origin, which brings the browser back to
// #/ho-so/<code>?thanh-toan=ok|loi) or by a bank transfer with the VietQR code (GET
// …/payments/vietqr: the server's SVG is shown as an <img> from a data: URL built here, never as
// markup; the CSP's img-src allows data:). Once paid: the payments and the electronic receipt.
// The messages are the portal's (first chunk), which the officer workspace also sees.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { describeError } from '../core/api';
import { formatDateTime, formatMoney } from '../core/format';
import { Alert, ErrorBox, Loading, Row, useLoad } from '../app/ui';
import { t } from '../i18n';
import {
  channelText,
  citizenPaymentActions,
  exemptionText,
  getVietQr,
  hasReceipt,
  isSafeGatewayUrl,
  lineName,
  paidAt,
  paymentStateText,
  paymentStateTone,
  paymentTotal,
  receiptPdfUrl,
  receiptSerial,
  showPaymentPanel,
  startGatewayPayment,
  svgDataUrl,
  type Payment,
} from './payment-model';

/** The message after a return from the gateway (`?thanh-toan=ok|loi`). */
export function PaymentOutcome(props: { outcome: 'ok' | 'failed' | null }) {
  if (props.outcome === 'ok') {
    return (
      <Alert kind="success" title={t('pay.ok.title')}>
        <p data-testid="payment-ok">{t('pay.ok.body')}</p>
      </Alert>
    );
  }
  if (props.outcome === 'failed') {
    return (
      <Alert kind="error" title={t('pay.failed.title')}>
        <p data-testid="payment-failed">{t('pay.failed.body')}</p>
      </Alert>
    );
  }
  return null;
}

export function PaymentPanel(props: {
  code: string;
  payment: Payment | null | undefined;
  /** The applicant's page: offers the payment itself. The officer's shows the facts only. */
  citizen?: boolean;
  card?: boolean;
  children?: ComponentChildren;
}) {
  const p = props.payment;
  if (!showPaymentPanel(p)) return null;
  const offered: string[] = props.citizen ? citizenPaymentActions(p) : hasReceipt(p) ? ['receipt'] : [];
  const total = paymentTotal(p);
  return (
    <section class={props.card === false ? 'payment' : 'card payment'} aria-labelledby="pay-h" data-testid="payment">
      <h2 id="pay-h">{t('pay.title')}</h2>
      {p.lines.length > 0 && (
        <div class="table-wrap">
          <table class="data fee-table" data-testid="fee-lines">
            <thead>
              <tr>
                <th scope="col">{t('pay.col.item')}</th>
                <th scope="col" class="num">
                  {t('pay.col.amount')}
                </th>
              </tr>
            </thead>
            <tbody>
              {p.lines.map((l) => (
                <tr key={l.code}>
                  <td>
                    {lineName(l)}
                    {(l.quantity ?? 1) > 1 && l.unit_amount !== undefined && (
                      <span class="muted"> ({t('pay.quantity', { n: l.quantity!, unit: formatMoney(l.unit_amount) })})</span>
                    )}
                    {(l.kind === 'fee' || l.kind === 'charge') && <span class="muted"> ({t(`pay.kind.${l.kind}`)})</span>}
                  </td>
                  <td class="num money">{formatMoney(l.amount)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t('pay.total')}</th>
                <td class="num money" data-testid="fee-total">
                  {formatMoney(total)}
                </td>
              </tr>
            </tfoot>
          </table>
        </div>
      )}
      <dl class="facts">
        <Row label={t('pay.state')}>
          <span class={`badge badge-${paymentStateTone(p.state)}`} data-testid="payment-state">
            {paymentStateText(p.state)}
          </span>
        </Row>
        {p.state === 'due' && (
          <Row label={t('pay.amountDue')}>
            <strong class="money" data-testid="amount-due">
              {formatMoney(p.amount_due)}
            </strong>
          </Row>
        )}
        {p.state === 'due' && <Row label={t('pay.stage')}>{t(p.stage === 'receipt' ? 'pay.stage.receipt' : 'pay.stage.return')}</Row>}
        <Row label={t('pay.reference')}>{p.reference ? <span class="code">{p.reference}</span> : ''}</Row>
        <Row label={t('pay.exemption')}>{p.exemption ? exemptionText(p.exemption) : ''}</Row>
      </dl>

      {p.payments.length > 0 && <PaymentsTable payment={p} />}

      {offered.includes('receipt') && (
        <div class="actions">
          <a class="btn btn-primary" href={receiptPdfUrl(props.code)} download={`${props.code}-BL.pdf`} data-testid="fee-receipt">
            {t('pay.receipt')}
          </a>
          {receiptSerial(p) && <span class="muted">{t('pay.receipt.serial', { serial: receiptSerial(p) })}</span>}
        </div>
      )}

      {offered.includes('gateway') && <PayOnline code={props.code} />}
      {offered.includes('vietqr') && <VietQrBlock code={props.code} amountDue={p.amount_due} />}
      {props.children}
    </section>
  );
}

function PaymentsTable(props: { payment: Payment }) {
  return (
    <>
      <h3>{t('pay.payments')}</h3>
      <div class="table-wrap">
        <table class="data" data-testid="payments">
          <thead>
            <tr>
              <th scope="col">{t('pay.col.channel')}</th>
              <th scope="col" class="num">
                {t('pay.col.amount')}
              </th>
              <th scope="col">{t('pay.col.transaction')}</th>
              <th scope="col">{t('pay.col.paidAt')}</th>
            </tr>
          </thead>
          <tbody>
            {props.payment.payments.map((e, i) => (
              <tr key={`${e.provider}:${e.transaction_no}:${i}`}>
                <td data-testid="payment-channel">{channelText(e.channel)}</td>
                <td class="num money">{formatMoney(e.amount)}</td>
                <td>
                  <span class="code">{e.transaction_no}</span>
                </td>
                <td class="nowrap">{formatDateTime(paidAt(e))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function PayOnline(props: { code: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function pay() {
    setBusy(true);
    setError(null);
    try {
      const r = await startGatewayPayment(props.code);
      if (!isSafeGatewayUrl(r?.url)) {
        setError(t('pay.online.badUrl'));
        setBusy(false);
        return;
      }
      // The gateway is another origin: a full navigation (it sends the browser back here).
      window.location.href = r.url;
    } catch (e) {
      setError(describeError(e));
      setBusy(false);
    }
  }

  return (
    <section class="pay-option" aria-labelledby="pay-online-h">
      <h3 id="pay-online-h">{t('pay.online.title')}</h3>
      <p>{t('pay.online.body')}</p>
      {error && <Alert kind="error">{error}</Alert>}
      <div class="actions">
        <button type="button" class="btn btn-primary" id="pay-online" data-testid="pay-online" disabled={busy} onClick={pay}>
          {busy ? t('pay.online.busy') : t('pay.online.button')}
        </button>
      </div>
    </section>
  );
}

/** The VietQR code of a dossier: the image, the payload text and the transfer details. Also on
 *  the printable receipt (portal/Receipt.tsx). */
export function VietQrBlock(props: { code: string; amountDue: number }) {
  const qr = useLoad((signal) => getVietQr(props.code, signal), [props.code, props.amountDue]);
  return (
    <section class="pay-option vietqr" aria-labelledby="pay-qr-h" data-testid="vietqr">
      <h3 id="pay-qr-h">{t('pay.qr.title')}</h3>
      <p class="no-print">{t('pay.qr.body')}</p>
      {qr.error && !qr.data ? (
        <ErrorBox error={qr.error} onRetry={qr.reload} />
      ) : !qr.data ? (
        <Loading label={t('pay.qr.loading')} />
      ) : (
        <div class="vietqr-body">
          <img
            class="qr-image"
            src={svgDataUrl(qr.data.svg)}
            width={220}
            height={220}
            alt={t('pay.qr.alt', { amount: formatMoney(qr.data.amount), reference: qr.data.reference })}
            data-testid="vietqr-image"
          />
          <dl class="facts">
            <Row label={t('pay.qr.bin')}>
              <span class="code">{qr.data.bank.bin}</span>
            </Row>
            <Row label={t('pay.qr.account')}>
              <span class="code" data-testid="vietqr-account">
                {qr.data.bank.account}
              </span>
            </Row>
            <Row label={t('pay.qr.accountName')}>{qr.data.bank.account_name}</Row>
            <Row label={t('pay.qr.amount')}>
              <strong class="money" data-testid="vietqr-amount">
                {formatMoney(qr.data.amount)}
              </strong>
            </Row>
            <Row label={t('pay.qr.note')}>
              <strong class="code" data-testid="vietqr-reference">
                {qr.data.reference}
              </strong>
            </Row>
            <Row label={t('pay.qr.payload')}>
              <code class="qr-payload" data-testid="vietqr-payload">
                {qr.data.payload}
              </code>
            </Row>
          </dl>
        </div>
      )}
    </section>
  );
}
