// Public status lookup (tra cứu hồ sơ), no sign-in: dossier code plus a second factor (the
// receipt's lookup key, or the last four digits of the applicant's phone) → GET /api/v1/lookup.
// A wrong code and a wrong key get the same answer from the server (lookup.not_found).
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, describeError } from '../core/api';
import { formatDateTime } from '../core/format';
import type { RouteProps } from '../core/router';
import { Alert, Field, PageTitle, Row } from '../app/ui';
import { t } from '../i18n';
import { StateBadge } from './MyDossiers';
import { Timeline } from './DossierPage';
import { getUnits, type LookupResult, type Unit } from './model';
import { unitName } from './Receipt';

export function LookupPage({ route }: RouteProps) {
  const [code, setCode] = useState(route.query.code ?? '');
  const [key, setKey] = useState('');
  const [errors, setErrors] = useState<{ code?: string; key?: string }>({});
  const [result, setResult] = useState<LookupResult | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [units, setUnits] = useState<Unit[]>();

  useEffect(() => {
    getUnits().then(setUnits, () => undefined);
  }, []);

  async function search(ev: Event) {
    ev.preventDefault();
    const e: { code?: string; key?: string } = {};
    if (!code.trim()) e.code = t('validate.required');
    if (!key.trim()) e.key = t('validate.required');
    setErrors(e);
    if (e.code || e.key) return;
    setBusy(true);
    setFailure(null);
    setResult(null);
    try {
      const r = await api<LookupResult>('/api/v1/lookup', { query: { code: code.trim(), key: key.trim() } });
      setResult(r);
      requestAnimationFrame(() => document.getElementById('lookup-result')?.focus());
    } catch (err) {
      if (err instanceof ApiError && err.code === 'lookup.not_found') setFailure(t('lookup.notFound'));
      else if (err instanceof ApiError && err.status === 429) setFailure(err.message || t('lookup.throttled'));
      else setFailure(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <PageTitle sub={t('lookup.sub')}>{t('lookup.title')}</PageTitle>
      <form onSubmit={search} noValidate data-testid="lookup-form">
        <Field label={t('lookup.code')} hint={t('lookup.code.hint')} required error={errors.code}>
          {(c) => (
            <input {...c} name="code" type="text" autoComplete="off" spellcheck={false} value={code}
              onInput={(e) => setCode(e.currentTarget.value)} />
          )}
        </Field>
        <Field label={t('lookup.key')} hint={t('lookup.key.hint')} required error={errors.key}>
          {(c) => (
            <input {...c} name="key" type="text" autoComplete="off" spellcheck={false} value={key}
              onInput={(e) => setKey(e.currentTarget.value)} />
          )}
        </Field>
        <div class="actions">
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {busy ? t('lookup.searching') : t('lookup.submit')}
          </button>
        </div>
      </form>

      {failure && (
        <Alert kind="error" id="lookup-failure">
          <p data-testid="lookup-failure">{failure}</p>
        </Alert>
      )}

      {result && (
        <section class="card lookup-result" id="lookup-result" tabIndex={-1} aria-labelledby="lookup-result-h" data-testid="lookup-result">
          <h2 id="lookup-result-h">
            {t('lookup.result', { code: result.code })}
          </h2>
          <p>
            <StateBadge state={result.state} />{' '}
            {result.overdue && <span class="badge badge-bad">{t('mine.overdue')}</span>}
          </p>
          <dl class="facts">
            <Row label={t('receipt.procedure')}>{result.procedure_name}</Row>
            <Row label={t('receipt.applicant')}>{result.applicant_name}</Row>
            <Row label={t('receipt.channel')}>{t(`channel.${result.channel}`)}</Row>
            <Row label={t('receipt.unit')}>{result.receiving_unit_name || unitName(result.receiving_unit, units)}</Row>
            <Row label={t('receipt.submittedAt')}>{formatDateTime(result.submitted_at)}</Row>
            <Row label={t('dossier.receivedAt')}>{formatDateTime(result.received_at)}</Row>
            <Row label={t('receipt.due')}>{result.due_at ? formatDateTime(result.due_at) : t('receipt.due.pending')}</Row>
            <Row label={t('dossier.returnedAt')}>{formatDateTime(result.returned_at)}</Row>
          </dl>
          <h3>{t('dossier.timeline')}</h3>
          <Timeline items={result.timeline} />
        </section>
      )}
    </>
  );
}
