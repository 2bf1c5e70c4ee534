// The form of each officer action on a dossier; posts to /api/v1/dossiers/{code}/<action> with
// exactly the body the route documents (data/api/routes.json) and shows the server's message
// when it refuses.
import { useState } from 'preact/hooks';
import { describeError } from '../core/api';
import { formatDateTime } from '../core/format';
import { Alert, Field } from '../app/ui';
import { t } from '../i18n';
import type { FileRef } from '../portal/model';
import {
  act,
  currentStep,
  openConsultationFor,
  type ActionKey,
  type OfficerDossier,
} from './model';
import { DateInput, roleLabel, UnitSelect, type UnitFull } from './shared/staff';
import { ComponentUploads } from './Uploads';

interface Props {
  action: ActionKey;
  dossier: OfficerDossier;
  units: UnitFull[];
  myUnit: string;
  /** The action's name, e.g. "Tiếp nhận" or "Phê duyệt": the form's heading and its button. */
  title: string;
  onCancel: () => void;
  onDone: () => void;
}

function lines(s: string): string[] {
  return s
    .split('\n')
    .map((x) => x.trim())
    .filter(Boolean);
}

export function ActionForm(props: Props) {
  const { action, dossier: d } = props;
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [uploading, setUploading] = useState(false);
  // Field values of every form (only the current action's are used).
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [digitised, setDigitised] = useState<string[]>([]);
  const [items, setItems] = useState<string[]>([]);
  const [otherItems, setOtherItems] = useState('');
  const [unit, setUnit] = useState('');
  const [competent, setCompetent] = useState(false);
  const [question, setQuestion] = useState('');
  const [answer, setAnswer] = useState('');
  const [channel, setChannel] = useState('counter');
  const [newDate, setNewDate] = useState('');
  const [newTime, setNewTime] = useState('17:00');
  const [provided, setProvided] = useState<string[]>([]);
  const [files, setFiles] = useState<Record<string, FileRef[]>>({});
  const [missing, setMissing] = useState<string | null>(null);

  function toggle(list: string[], set: (v: string[]) => void, v: string) {
    set(list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);
  }

  function body(): unknown | null {
    setMissing(null);
    const need = (v: string, key: string) => {
      if (v.trim()) return true;
      setMissing(t(key));
      return false;
    };
    switch (action) {
      case 'receive':
        return { digitised };
      case 'refuse':
      case 'cancel':
        return need(reason, 'officer.form.reasonMissing') ? { reason } : null;
      case 'supplement-request': {
        if (!need(reason, 'officer.form.reasonMissing')) return null;
        const names = d.components.filter((c) => items.includes(c.code)).map((c) => c.name);
        const all = [...names, ...lines(otherItems)];
        return all.length ? { reason, items: all } : { reason };
      }
      case 'supplement': {
        if (provided.length === 0) {
          setMissing(t('officer.form.supplementMissing'));
          return null;
        }
        return {
          components: provided.map((code) =>
            files[code]?.length ? { code, files: files[code].map((f) => f.id) } : { code },
          ),
        };
      }
      case 'complete-step':
        return note.trim() ? { note } : {};
      case 'transfer':
        if (!unit) {
          setMissing(t('officer.form.unitMissing'));
          return null;
        }
        return need(reason, 'officer.form.reasonMissing')
          ? { to_unit: unit, competent, reason }
          : null;
      case 'consultations':
        if (!unit) {
          setMissing(t('officer.form.unitMissing'));
          return null;
        }
        return need(question, 'officer.form.questionMissing') ? { unit, question } : null;
      case 'consultation-answer':
        return need(answer, 'officer.form.answerMissing') ? { answer } : null;
      case 'apology':
        if (!/^\d{4}-\d{2}-\d{2}$/.test(newDate) || !/^([01]\d|2[0-3]):[0-5]\d$/.test(newTime)) {
          setMissing(t('officer.form.dateMissing'));
          return null;
        }
        return need(reason, 'officer.form.reasonMissing')
          ? { new_due: `${newDate}T${newTime}:00+07:00`, reason }
          : null;
      case 'return':
        return { return_channel: channel };
    }
    return {};
  }

  async function submit(ev: Event) {
    ev.preventDefault();
    const b = body();
    if (b === null) return;
    setBusy(true);
    setError(null);
    try {
      await act(d.code, action, b);
      props.onDone();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  }

  const reasonField = (labelKey: string) => (
    <Field label={t(labelKey)} required>
      {(p) => (
        <textarea {...p} name="reason" rows={3} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
      )}
    </Field>
  );

  const step = currentStep(d);
  const consultation = openConsultationFor(d, props.myUnit);
  const provideable = d.components;

  return (
    <form class="inline-form" onSubmit={submit} noValidate aria-labelledby="action-form-h" data-form={action}>
      <h3 id="action-form-h">{props.title}</h3>
      {error && <Alert kind="error">{error}</Alert>}
      {missing && <Alert kind="error">{missing}</Alert>}

      {action === 'receive' && (
        <fieldset>
          <legend>{t('officer.form.digitised')}</legend>
          <p class="hint">{t('officer.form.digitised.hint')}</p>
          <ul class="check-list">
            {d.components
              .filter((c) => c.provided)
              .map((c) => (
                <li key={c.code}>
                  <label>
                    <input
                      type="checkbox"
                      name="digitised"
                      value={c.code}
                      checked={digitised.includes(c.code)}
                      onChange={() => toggle(digitised, setDigitised, c.code)}
                    />
                    <span>{c.name}</span>
                  </label>
                </li>
              ))}
          </ul>
        </fieldset>
      )}

      {action === 'refuse' && reasonField('officer.form.refuseReason')}
      {action === 'cancel' && reasonField('officer.form.cancelReason')}

      {action === 'supplement-request' && (
        <>
          {reasonField('officer.form.supplementReason')}
          <fieldset>
            <legend>{t('officer.form.supplementItems')}</legend>
            <ul class="check-list">
              {d.components.map((c) => (
                <li key={c.code}>
                  <label>
                    <input
                      type="checkbox"
                      name="items"
                      value={c.code}
                      checked={items.includes(c.code)}
                      onChange={() => toggle(items, setItems, c.code)}
                    />
                    <span>{c.name}</span>
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>
          <Field label={t('officer.form.otherItems')} hint={t('officer.form.otherItems.hint')}>
            {(p) => (
              <textarea {...p} name="other-items" rows={2} value={otherItems} onInput={(e) => setOtherItems(e.currentTarget.value)} />
            )}
          </Field>
        </>
      )}

      {action === 'supplement' && (
        <fieldset>
          <legend>{t('officer.form.supplementProvided')}</legend>
          {provideable.map((c) => (
            <div class="component-row" key={c.code}>
              <label class="check">
                <input
                  type="checkbox"
                  name="provided"
                  value={c.code}
                  checked={provided.includes(c.code)}
                  onChange={() => toggle(provided, setProvided, c.code)}
                />
                <span>{c.name}</span>
              </label>
              {provided.includes(c.code) && (
                <ComponentUploads
                  label={c.name}
                  files={files[c.code] ?? []}
                  onBusy={setUploading}
                  onChange={(f) => setFiles({ ...files, [c.code]: f })}
                />
              )}
            </div>
          ))}
        </fieldset>
      )}

      {action === 'complete-step' && step && (
        <>
          <p>
            {t('officer.form.currentStep', { step: step.name, role: roleLabel(step.role) })}
            {step.due_at && <> {t('officer.form.stepDue', { due: formatDateTime(step.due_at) })}</>}
          </p>
          <Field label={t('officer.form.note')}>
            {(p) => <textarea {...p} name="note" rows={2} value={note} onInput={(e) => setNote(e.currentTarget.value)} />}
          </Field>
        </>
      )}

      {(action === 'transfer' || action === 'consultations') && (
        <Field label={t(action === 'transfer' ? 'officer.form.toUnit' : 'officer.form.consultUnit')} required>
          {(p) => (
            <UnitSelect
              {...p}
              name="unit"
              units={props.units}
              value={unit}
              onChange={setUnit}
              exclude={[d.current_unit, props.myUnit]}
            />
          )}
        </Field>
      )}
      {action === 'transfer' && (
        <>
          <label class="check">
            <input type="checkbox" name="competent" checked={competent} onChange={(e) => setCompetent(e.currentTarget.checked)} />
            <span>{t('officer.form.competent')}</span>
          </label>
          {reasonField('officer.form.transferReason')}
        </>
      )}
      {action === 'consultations' && (
        <Field label={t('officer.form.question')} required>
          {(p) => (
            <textarea {...p} name="question" rows={3} value={question} onInput={(e) => setQuestion(e.currentTarget.value)} />
          )}
        </Field>
      )}

      {action === 'consultation-answer' && consultation && (
        <>
          <p>
            {t('officer.dossier.question')}: {consultation.question}
          </p>
          <Field label={t('officer.form.answer')} required>
            {(p) => (
              <textarea {...p} name="answer" rows={3} value={answer} onInput={(e) => setAnswer(e.currentTarget.value)} />
            )}
          </Field>
        </>
      )}

      {action === 'apology' && (
        <>
          <p>{t('officer.form.apologyNow', { due: formatDateTime(d.due_at) })}</p>
          <div class="two-col">
            <Field label={t('officer.form.newDate')} hint={t('staff.date.hint')} required>
              {(p) => <DateInput {...p} name="new-date" value={newDate} onChange={setNewDate} />}
            </Field>
            <Field label={t('officer.form.newTime')} hint={t('officer.form.newTime.hint')} required>
              {(p) => (
                <input {...p} type="text" inputMode="numeric" maxLength={5} name="new-time" value={newTime} onInput={(e) => setNewTime(e.currentTarget.value)} />
              )}
            </Field>
          </div>
          {reasonField('officer.form.apologyReason')}
        </>
      )}

      {action === 'return' && (
        <fieldset>
          <legend>{t('officer.form.returnChannel')}</legend>
          <ul class="check-list">
            {['counter', 'post', 'online'].map((c) => (
              <li key={c}>
                <label>
                  <input
                    type="radio"
                    name="return-channel"
                    value={c}
                    checked={channel === c}
                    onChange={() => setChannel(c)}
                  />
                  <span>{t(`officer.returnChannel.${c}`)}</span>
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
      )}

      <div class="actions">
        <button
          type="submit"
          class={`btn ${action === 'refuse' || action === 'cancel' ? 'btn-danger' : 'btn-primary'}`}
          disabled={busy || uploading}
        >
          {busy ? t('officer.form.busy') : props.title}
        </button>
        <button type="button" class="btn btn-secondary" onClick={props.onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
