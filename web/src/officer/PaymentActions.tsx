// The officer's payment actions under the fees panel (issue #7): cash at the counter
// (POST …/payments/cash {amount}), a waiver on one of the procedure's own exemption grounds
// (POST …/payments/waive {exemption, reason}) while fees are due, and a refund
// (POST …/payments/refund {reason}) once paid. The server decides (roles, unit, amount); a
// refusal shows its message as it is.
import { useState } from 'preact/hooks';
import { describeError } from '../core/api';
import { formatMoney } from '../core/format';
import { useSession } from '../core/session';
import { getProcedure } from '../portal/model';
import {
  exemptionText,
  officerPaymentActions,
  payCash,
  refundPayment,
  waiveFees,
  type OfficerPaymentAction,
} from '../portal/payment-model';
import { Alert, Field, useLoad } from '../app/ui';
import { t } from '../i18n';
import type { OfficerDossier } from './model';

export function PaymentActions(props: { d: OfficerDossier; onDone: () => void }) {
  const { d } = props;
  const session = useSession();
  const actions = officerPaymentActions(d.payment, d.state, session?.account.roles ?? []);
  const [open, setOpen] = useState<OfficerPaymentAction | null>(null);
  const [done, setDone] = useState<string | null>(null);
  if (actions.length === 0 && !done) return null;
  const title = (a: OfficerPaymentAction) => t(`officer.pay.${a}`);
  return (
    <div class="payment-actions no-print">
      <h3 id="pay-actions-h">{t('officer.pay.actions')}</h3>
      {done && (
        <Alert kind="success">
          <p>{done}</p>
        </Alert>
      )}
      {actions.length > 0 && (
        <div class="action-bar" role="group" aria-labelledby="pay-actions-h">
          {actions.map((a) => (
            <button
              key={a}
              type="button"
              class={`btn btn-small ${a === 'refund' ? 'btn-danger' : open === a ? 'btn-primary' : 'btn-secondary'}`}
              aria-expanded={open === a}
              aria-controls="pay-action-form"
              data-action={`pay-${a}`}
              onClick={() => {
                setDone(null);
                setOpen(open === a ? null : a);
              }}
            >
              {title(a)}
            </button>
          ))}
        </div>
      )}
      {open && (
        <div id="pay-action-form">
          <PaymentForm
            key={open}
            action={open}
            d={d}
            title={title(open)}
            onCancel={() => setOpen(null)}
            onDone={() => {
              setDone(t('officer.action.done', { action: title(open) }));
              setOpen(null);
              props.onDone();
            }}
          />
        </div>
      )}
    </div>
  );
}

function PaymentForm(props: {
  action: OfficerPaymentAction;
  d: OfficerDossier;
  title: string;
  onCancel: () => void;
  onDone: () => void;
}) {
  const { action, d } = props;
  const amount = d.payment?.amount_due ?? 0;
  const [reason, setReason] = useState('');
  const [exemption, setExemption] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The exemption grounds are the procedure's own (catalogue); free text when it has none listed.
  const proc = useLoad(
    () => (action === 'waive' ? getProcedure(d.procedure_code) : Promise.resolve(null)),
    [action, d.procedure_code],
  );
  const grounds = proc.data?.exemptions ?? [];

  async function submit(ev: Event) {
    ev.preventDefault();
    setError(null);
    if (action === 'waive' && !exemption.trim()) {
      setError(t('officer.pay.exemptionMissing'));
      return;
    }
    if (action !== 'cash' && !reason.trim()) {
      setError(t('officer.form.reasonMissing'));
      return;
    }
    setBusy(true);
    try {
      if (action === 'cash') await payCash(d.code, amount);
      else if (action === 'waive') await waiveFees(d.code, exemption.trim(), reason.trim());
      else await refundPayment(d.code, reason.trim());
      props.onDone();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="inline-form" onSubmit={submit} noValidate aria-labelledby="pay-form-h" data-form={`pay-${action}`}>
      <h4 id="pay-form-h">{props.title}</h4>
      {error && <Alert kind="error">{error}</Alert>}
      {action === 'cash' && <p>{t('officer.pay.cash.confirm', { amount: formatMoney(amount) })}</p>}
      {action === 'waive' && (
        <>
          <p>{t('officer.pay.waive.intro', { amount: formatMoney(amount) })}</p>
          {grounds.length > 0 ? (
            <Field label={t('officer.pay.waive.exemption')} required>
              {(p) => (
                <select {...p} name="exemption" value={exemption} onChange={(e) => setExemption(e.currentTarget.value)}>
                  <option value="">{t('officer.pay.waive.choose')}</option>
                  {grounds.map((g) => (
                    <option key={g} value={g}>
                      {exemptionText(g)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          ) : (
            <Field label={t('officer.pay.waive.exemption')} hint={t('officer.pay.waive.free')} required>
              {(p) => (
                <input {...p} type="text" name="exemption" maxLength={100} value={exemption} onInput={(e) => setExemption(e.currentTarget.value)} />
              )}
            </Field>
          )}
        </>
      )}
      {action !== 'cash' && (
        <Field label={t(action === 'waive' ? 'officer.pay.waive.reason' : 'officer.pay.refund.reason')} required>
          {(p) => <textarea {...p} name="reason" rows={3} maxLength={2000} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />}
        </Field>
      )}
      <div class="actions">
        <button type="submit" class={`btn ${action === 'refund' ? 'btn-danger' : 'btn-primary'}`} disabled={busy}>
          {busy ? t('officer.form.busy') : props.title}
        </button>
        <button type="button" class="btn btn-secondary" onClick={props.onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
