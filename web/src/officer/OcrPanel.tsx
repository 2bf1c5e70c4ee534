// The recognition of one file scanned at the counter (issue #8): "Đang nhận dạng…" while the
// server's OCR runs (GET /api/v1/files/{id}/ocr, polled by ocr-model's startOcrPolling and
// stopped when the panel goes away), then the recognised text (collapsible) and the key fields
// in inputs the officer corrects against the paper — low-confidence values marked in words, not
// colour alone — "Xác nhận thông tin" (POST /api/v1/files/{id}/fields) and "Điền vào hồ sơ".
// Lives inside the intake <form>: no nested form, Enter in a field confirms instead of submitting.
import { useEffect, useReducer, useState } from 'preact/hooks';
import { describeError } from '../core/api';
import { formatDateTime } from '../core/format';
import { Alert, Field } from '../app/ui';
import { hasMessage, t } from '../i18n';
import type { FileRef } from '../portal/model';
import {
  checkOcrValues,
  confirmBody,
  confirmOcr,
  initialOcrView,
  isConfirmedAsShown,
  OCR_FIELDS,
  OCR_KINDS,
  ocrReducer,
  percent,
  startOcrPolling,
  type OcrConfirmed,
  type OcrFieldName,
} from './ocr-model';
import './ocr.css';

export function OcrPanel(props: {
  file: FileRef;
  /** Copies the confirmed values into the intake form; returns the labels of what it filled. */
  onFill?: (confirmed: OcrConfirmed) => string[];
}) {
  const { file } = props;
  const [s, dispatch] = useReducer(ocrReducer, initialOcrView);
  const [run, setRun] = useState(0);
  const [filled, setFilled] = useState<string | null>(null);

  useEffect(() => {
    const stop = startOcrPolling(file.id, {
      onResult: (result) => dispatch({ type: 'result', result }),
      onNotFound: () => dispatch({ type: 'notFound' }),
      onError: (message) => dispatch({ type: 'pollError', message }),
    });
    return stop;
  }, [file.id, run]);

  if (s.phase === 'unavailable') return null;
  const headingId = `ocr-h-${file.id}`;
  const r = s.result;

  async function confirm() {
    const problems = checkOcrValues(s.values);
    if (Object.keys(problems).length > 0) {
      dispatch({ type: 'invalid', problems });
      return;
    }
    dispatch({ type: 'saving' });
    setFilled(null);
    try {
      const result = await confirmOcr(file.id, confirmBody(s.kind, s.values));
      dispatch({ type: 'saved', result });
    } catch (e) {
      dispatch({ type: 'saveFailed', message: describeError(e) });
    }
  }

  function fill() {
    const c = s.result?.confirmed;
    if (!c || !props.onFill) return;
    const labels = props.onFill(c);
    setFilled(labels.length ? t('officer.ocr.filled', { list: labels.join(', ') }) : t('officer.ocr.nothingToFill'));
  }

  const onEnter = (e: KeyboardEvent) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      void confirm();
    }
  };
  const confirmedNow = isConfirmedAsShown(s);

  return (
    <section class="ocr-panel" aria-labelledby={headingId} data-testid="ocr" data-file-id={file.id} data-state={s.phase}>
      <h4 id={headingId} class="ocr-title">
        {t('officer.ocr.title', { name: file.name })}
      </h4>
      {s.phase === 'pending' && (
        <p class="loading" role="status" aria-live="polite" data-testid="ocr-pending">
          <span class="spinner" aria-hidden="true" />
          {t('officer.ocr.pending')}
        </p>
      )}
      {s.phase === 'failed' && (
        <Alert kind="error">
          <p data-testid="ocr-failed">{s.error || t('officer.ocr.failed')}</p>
        </Alert>
      )}
      {s.phase === 'error' && (
        <Alert kind="error">
          <p>{t('officer.ocr.pollFailed', { reason: s.error ?? '' })}</p>
          <button type="button" class="btn btn-secondary" onClick={() => { dispatch({ type: 'retry' }); setRun((n) => n + 1); }}>
            {t('common.retry')}
          </button>
        </Alert>
      )}
      {s.phase === 'done' && r && (
        <div role="group" aria-labelledby={headingId}>
          <p class="muted" data-testid="ocr-summary">
            {t('officer.ocr.summary', {
              kind: kindLabel(r.kind),
              pages: r.pages.length,
              confidence: percent(r.mean_confidence),
            })}
          </p>
          <details class="ocr-text" data-testid="ocr-text">
            <summary>{t('officer.ocr.text', { n: r.pages.length })}</summary>
            {r.pages.map((p) => (
              <div key={p.page} class="ocr-page">
                <p class="muted">{t('officer.ocr.page', { n: p.page, confidence: percent(p.confidence) })}</p>
                <pre lang="vi">{p.text}</pre>
              </div>
            ))}
          </details>
          <div class="two-col">
            <Field label={t('officer.ocr.kind')}>
              {(c) => (
                <select {...c} name="ocr-kind" value={s.kind} disabled={s.saving}
                  onChange={(e) => dispatch({ type: 'kind', kind: e.currentTarget.value })}>
                  {OCR_KINDS.map((k) => (
                    <option key={k} value={k}>
                      {kindLabel(k)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {OCR_FIELDS.map((f) => (
              <OcrInput key={f} field={f} s={s} onEnter={onEnter}
                onInput={(value) => dispatch({ type: 'edit', field: f, value })} />
            ))}
          </div>
          {s.error && <Alert kind="error">{s.error}</Alert>}
          {r.confirmed && (
            <p class={confirmedNow ? 'ocr-confirmed' : 'muted'} role="status" data-testid="ocr-confirmed">
              {confirmedNow
                ? t('officer.ocr.confirmed', { at: formatDateTime(r.confirmed.at), by: r.confirmed.by.replace(/^officer:/, '') })
                : t('officer.ocr.changedSince', { at: formatDateTime(r.confirmed.at) })}
            </p>
          )}
          <div class="actions">
            <button type="button" class="btn btn-primary" disabled={s.saving} onClick={() => void confirm()} data-testid="ocr-confirm">
              {s.saving ? t('officer.form.busy') : t('officer.ocr.confirm')}
            </button>
            {props.onFill && (
              <button type="button" class="btn btn-secondary" disabled={!confirmedNow || s.saving} onClick={fill} data-testid="ocr-fill">
                {t('officer.ocr.fill')}
              </button>
            )}
          </div>
          {filled && (
            <p role="status" class="muted" data-testid="ocr-filled">
              {filled}
            </p>
          )}
        </div>
      )}
    </section>
  );
}

function OcrInput(props: {
  field: OcrFieldName;
  s: typeof initialOcrView;
  onInput: (v: string) => void;
  onEnter: (e: KeyboardEvent) => void;
}) {
  const { field, s } = props;
  const conf = s.result?.fields?.[field]?.confidence ?? 0;
  const low = s.low[field];
  const problem = s.problems[field];
  const hint = low
    ? s.values[field]
      ? t('officer.ocr.low', { confidence: percent(conf) })
      : t('officer.ocr.notFound')
    : field === 'date_of_birth'
      ? t('staff.date.hint')
      : undefined;
  return (
    <div class={`ocr-field${low ? ' ocr-low' : ''}`} data-field={field} data-low={low ? 'true' : undefined}>
      <Field label={t(`officer.ocr.f.${field}`)} hint={hint} error={problem ? t(problem) : null}>
        {(c) => (
          <input
            {...c}
            name={`ocr-${field}`}
            type="text"
            autoComplete="off"
            inputMode={field === 'full_name' ? undefined : 'numeric'}
            maxLength={field === 'full_name' ? 200 : field === 'id_number' ? 14 : 10}
            value={s.values[field]}
            disabled={s.saving}
            onInput={(e) => props.onInput(e.currentTarget.value)}
            onKeyDown={props.onEnter}
          />
        )}
      </Field>
    </div>
  );
}

function kindLabel(kind: string): string {
  return hasMessage(`officer.ocr.kind.${kind}`) ? t(`officer.ocr.kind.${kind}`) : kind;
}
