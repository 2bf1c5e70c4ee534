// Giấy tiếp nhận hồ sơ và hẹn trả kết quả: the receipt and appointment slip handed to the
// applicant at the counter (model of form 01, Circular 01/2018/TT-VPCP, carried forward). One
// A4 page in print (officer.css @media print hides everything else).
import { formatDate, formatDateTime, formatMoney, formatTimeLimit } from '../core/format';
import { href, type RouteProps } from '../core/router';
import { useSession } from '../core/session';
import { getProcedure } from '../portal/model';
import { VietQrBlock } from '../portal/Payment';
import { citizenPaymentActions } from '../portal/payment-model';
import { Alert, ErrorBox, Loading, PageTitle, useLoad } from '../app/ui';
import { hasMessage, t } from '../i18n';
import { actorName, getOfficerDossier } from './model';
import { getUnitsOn, unitName } from './shared/staff';

export function ReceiptPage({ route }: RouteProps) {
  const code = route.params.code;
  const session = useSession();
  const doc = useLoad((signal) => getOfficerDossier(code, signal), [code]);
  const units = useLoad(() => getUnitsOn(), []);
  const proc = useLoad(
    () => (doc.data ? getProcedure(doc.data.procedure_code) : Promise.resolve(null)),
    [doc.data?.procedure_code],
  );

  if (doc.error) return <ErrorBox error={doc.error} onRetry={doc.reload} />;
  if (!doc.data) return <Loading />;
  const d = doc.data;
  const unit = unitName(units.data, d.receiving_unit);
  const received = (d.history ?? []).find((e) => e.type === 'DossierReceived');
  const receiver = received ? actorName(received.actor) : '';
  const receiverName =
    session && receiver === session.account.login ? session.account.name : receiver;
  const paperOf = (c: string) => proc.data?.components.find((x) => x.code === c)?.paper_type;
  const provided = d.components.filter((c) => c.provided);

  return (
    <>
      <PageTitle>{t('officer.receipt.pageTitle', { code: d.code })}</PageTitle>
      <div class="receipt-tools no-print actions">
        <button type="button" class="btn btn-primary" onClick={() => window.print()} disabled={!d.received_at}>
          {t('officer.receipt.print')}
        </button>
        <a class="btn btn-secondary" href={href('/can-bo/ho-so/' + encodeURIComponent(d.code))}>
          {t('officer.receipt.toDossier')}
        </a>
        <a class="btn btn-secondary" href={href('/can-bo/tiep-nhan')}>
          {t('officer.receipt.another')}
        </a>
      </div>
      {!d.received_at ? (
        <Alert kind="warning">
          <p>{t('officer.receipt.notReceived')}</p>
        </Alert>
      ) : (
        <article class="receipt" aria-label={t('officer.receipt.title')} data-testid="receipt">
          <div class="receipt-header">
            <div>
              <p class="upper">{unit}</p>
              <p class="upper">{t('officer.receipt.office')}</p>
            </div>
            <div>
              <p class="upper">{t('officer.receipt.nation')}</p>
              <p class="motto">{t('officer.receipt.motto')}</p>
            </div>
          </div>
          <h2>{t('officer.receipt.title')}</h2>
          <p class="receipt-code">
            {t('officer.receipt.code')}: <strong data-testid="receipt-code">{d.code}</strong>
          </p>
          <p>{t('officer.receipt.intro', { unit })}</p>
          <dl class="facts">
            <div class="dl-row">
              <dt>{t('officer.receipt.applicant')}</dt>
              <dd>{d.applicant.name}</dd>
            </div>
            <div class="dl-row">
              <dt>{hasMessage(`officer.idKind.${d.applicant.id_kind}`) ? t(`officer.idKind.${d.applicant.id_kind}`) : d.applicant.id_kind}</dt>
              <dd>{d.applicant.id_number}</dd>
            </div>
            {d.applicant.phone && (
              <div class="dl-row">
                <dt>{t('officer.f.phone')}</dt>
                <dd>{d.applicant.phone}</dd>
              </div>
            )}
            {d.applicant.address && (
              <div class="dl-row">
                <dt>{t('officer.f.address')}</dt>
                <dd>{d.applicant.address}</dd>
              </div>
            )}
            <div class="dl-row">
              <dt>{t('officer.receipt.procedure')}</dt>
              <dd>
                {d.procedure_name} ({d.procedure_code})
              </dd>
            </div>
          </dl>
          <p>{t('officer.receipt.components')}</p>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('officer.receipt.no')}</th>
                <th scope="col">{t('officer.receipt.document')}</th>
                <th scope="col">{t('officer.receipt.form')}</th>
                <th scope="col">{t('officer.receipt.scanned')}</th>
              </tr>
            </thead>
            <tbody>
              {provided.map((c, i) => {
                const paper = paperOf(c.code);
                return (
                  <tr key={c.code}>
                    <td>{i + 1}</td>
                    <td>{c.name}</td>
                    <td>{paper && hasMessage(`paper.${paper}`) ? t(`paper.${paper}`) : '—'}</td>
                    <td>{c.digitised ? t('common.yes') : t('common.no')}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <dl class="facts">
            <div class="dl-row">
              <dt>{t('officer.receipt.timeLimit')}</dt>
              <dd>{formatTimeLimit(d.time_limit)}</dd>
            </div>
            <div class="dl-row">
              <dt>{t('officer.receipt.receivedAt')}</dt>
              <dd data-testid="receipt-received">{formatDateTime(d.received_at)}</dd>
            </div>
            <div class="dl-row appointment">
              <dt>{t('officer.receipt.appointment')}</dt>
              <dd data-testid="receipt-appointment">
                {d.due_at ? t('officer.receipt.appointmentAt', { time: formatDateTime(d.due_at).slice(11), date: formatDate(d.due_at) }) : '—'}
              </dd>
            </div>
            {d.lookup_key && (
              <div class="dl-row">
                <dt>{t('officer.receipt.lookupKey')}</dt>
                <dd>
                  <strong data-testid="receipt-lookup-key">{d.lookup_key}</strong>
                </dd>
              </div>
            )}
          </dl>
          {citizenPaymentActions(d.payment).includes('vietqr') && (
            <div class="receipt-payment">
              <p>
                {t('pay.amountDue')}: <strong class="money">{formatMoney(d.payment!.amount_due)}</strong>
              </p>
              <VietQrBlock code={d.code} amountDue={d.payment!.amount_due} />
            </div>
          )}
          <p>{t('officer.receipt.lookupHelp', { url: `${location.origin}/#/tra-cuu` })}</p>
          <div class="receipt-signatures">
            <div>
              <p>
                <strong>{t('officer.receipt.applicantSign')}</strong>
              </p>
              <p class="muted">{t('officer.receipt.signHint')}</p>
              <p class="sign-name">{d.applicant.name}</p>
            </div>
            <div>
              <p>
                <strong>{t('officer.receipt.officerSign')}</strong>
              </p>
              <p class="muted">{t('officer.receipt.signHint')}</p>
              <p class="sign-name" data-testid="receipt-officer">{receiverName}</p>
            </div>
          </div>
        </article>
      )}
    </>
  );
}
