// The receipt after an online submission (giấy biên nhận hồ sơ trực tuyến): dossier code, the
// lookup key for public tracking, the appointment date once the dossier is received, what was
// submitted. Printable (print rules in portal.css: only the receipt is printed).
import { useEffect, useState } from 'preact/hooks';
import { formatDate, formatDateTime, formatMoney, formatTimeLimit } from '../core/format';
import { href, type RouteProps } from '../core/router';
import { ErrorBox, Loading, PageTitle, Row } from '../app/ui';
import { pick, t } from '../i18n';
import { getDossier, getUnits, type Dossier, type Unit } from './model';
import { takeReceipt } from './SubmitPage';
import { VietQrBlock } from './Payment';
import { citizenPaymentActions } from './payment-model';

export function unitName(code: string, units: Unit[] | undefined): string {
  const u = units?.find((x) => x.code === code);
  return u ? pick(u.name, u.name_en) : code;
}

export function ReceiptPage({ route }: RouteProps) {
  const code = route.params.code;
  const [d, setD] = useState<Dossier | undefined>(() => takeReceipt(code));
  const [units, setUnits] = useState<Unit[]>();
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    getUnits().then(setUnits, () => undefined);
    // Always refresh: the submit response may predate reception (and the appointment date).
    getDossier(code).then(setD, (e) => {
      if (!d) setError(e);
    });
  }, [code, tick]);

  if (error && !d) {
    return (
      <>
        <PageTitle>{t('receipt.title')}</PageTitle>
        <ErrorBox error={error} onRetry={() => setTick((n) => n + 1)} />
      </>
    );
  }
  if (!d) return <Loading />;

  return (
    <div class="receipt">
      <div class="receipt-head">
        <p class="receipt-org">{t('site.province')}</p>
        <p class="receipt-unit">{unitName(d.receiving_unit, units)}</p>
      </div>
      <PageTitle sub={t('receipt.sub')}>{t('receipt.title')}</PageTitle>
      <div class="alert alert-success no-print" role="status">
        <p>{t('receipt.thanks')}</p>
      </div>

      <div class="receipt-keys card">
        <div>
          <p class="key-label">{t('receipt.code')}</p>
          <p class="key-value code" data-testid="receipt-code">
            {d.code}
          </p>
        </div>
        <div>
          <p class="key-label">{t('receipt.lookupKey')}</p>
          <p class="key-value code" data-testid="receipt-lookup-key">
            {d.lookup_key ?? t('receipt.lookupKey.missing')}
          </p>
        </div>
      </div>

      <dl class="facts card">
        <Row label={t('receipt.procedure')}>{d.procedure_name}</Row>
        <Row label={t('receipt.applicant')}>{d.applicant.name}</Row>
        <Row label={t('receipt.channel')}>{t(`channel.${d.channel}`)}</Row>
        <Row label={t('receipt.submittedAt')}>{formatDateTime(d.submitted_at)}</Row>
        <Row label={t('receipt.state')}>{t(`state.${d.state}`)}</Row>
        <Row label={t('receipt.timeLimit')}>{formatTimeLimit(d.time_limit)}</Row>
        <Row label={t('receipt.due')}>
          <span data-testid="receipt-due">
            {d.due_at ? formatDateTime(d.due_at) : t('receipt.due.pending')}
          </span>
        </Row>
        <Row label={t('receipt.unit')}>{unitName(d.receiving_unit, units)}</Row>
        {d.assisted_by && <Row label={t('receipt.assistedBy')}>{d.assisted_by}</Row>}
      </dl>

      <section class="card" aria-labelledby="r-comp">
        <h2 id="r-comp">{t('receipt.components')}</h2>
        <ul>
          {d.components
            .filter((c) => c.provided)
            .map((c) => (
              <li key={c.code}>
                {c.name}
                {c.files && c.files.length > 0 && (
                  <span class="muted"> — {t('receipt.files', { n: c.files.length })}</span>
                )}
                {c.reused_from && <span class="muted"> — {t('receipt.reused')}</span>}
              </li>
            ))}
        </ul>
        {d.fees.length > 0 && (
          <p>
            {t('receipt.fees')}: <span class="money">{formatMoney(d.fees.reduce((s, f) => s + f.amount, 0))}</span>
          </p>
        )}
      </section>

      {citizenPaymentActions(d.payment).includes('vietqr') && (
        <section class="card" aria-labelledby="r-pay">
          <h2 id="r-pay">{t('pay.title')}</h2>
          <p>
            {t('pay.amountDue')}: <strong class="money">{formatMoney(d.payment!.amount_due)}</strong>
          </p>
          <VietQrBlock code={d.code} amountDue={d.payment!.amount_due} />
        </section>
      )}

      <p class="receipt-note">{t('receipt.note', { date: formatDate(new Date()) })}</p>

      <div class="actions no-print">
        <button type="button" class="btn btn-primary" onClick={() => window.print()}>
          {t('receipt.print')}
        </button>
        <a class="btn btn-secondary" href={href(`/ho-so/${d.code}`)}>
          {t('receipt.open')}
        </a>
        <a class="btn btn-secondary" href={href('/tra-cuu', { code: d.code })}>
          {t('nav.lookup')}
        </a>
      </div>
    </div>
  );
}
