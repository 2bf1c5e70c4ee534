// The public verification page (#/xac-thuc, #/xac-thuc/<code>): a verification code (typed, or
// in the address when the QR code of a document was scanned) or a PDF file is sent to the server,
// which answers with the verdict and one report per signature; the page words them. No sign-in.
//
// The address follows what is shown: a code is verified by going to #/xac-thuc/<code> (so the
// page can be shared and reloaded), a file by staying on #/xac-thuc. Results are announced to
// screen readers through a polite live region; errors through role="alert".
import { useEffect, useRef, useState } from 'preact/hooks';
import { formatDateTime, formatSize } from '../core/format';
import { navigate, parseHash, type RouteProps } from '../core/router';
import { Field, PageTitle, Row } from '../app/ui';
import { getLang, t } from '../i18n';
import { getUnits, type Unit } from '../portal/model';
import { unitName } from '../portal/Receipt';
import {
  certificateOk,
  certificateStatusText,
  checkCode,
  checkPdfFile,
  integrityText,
  kindLabel,
  MAX_VERIFY_LABEL,
  normaliseCode,
  purposeLabel,
  signatureValidityText,
  signedAtText,
  verdictMessage,
  verifyCode,
  verifyErrorText,
  verifyFile,
  type Problem,
  type SignatureReport,
  type VerifyReport,
} from './model';

type Source = { kind: 'code'; code: string } | { kind: 'file'; name: string; size: number };

type State =
  | { kind: 'idle' }
  | { kind: 'busy'; source: Source }
  | { kind: 'done'; source: Source; report: VerifyReport }
  | { kind: 'failed'; source: Source; error: unknown };

const PREFIX = '/xac-thuc';

/** The code in the current address (#/xac-thuc/<code>), or "" elsewhere. */
function codeInAddress(): string {
  const parts = parseHash(location.hash).path.split('/').filter(Boolean);
  if (parts.length !== 2 || '/' + parts[0] !== PREFIX) return '';
  try {
    return decodeURIComponent(parts[1]);
  } catch {
    return '';
  }
}

export function VerifyPage({ route }: RouteProps) {
  const [code, setCode] = useState(route.params.code ?? '');
  const [codeProblem, setCodeProblem] = useState<Problem | null>(null);
  const [fileProblem, setFileProblem] = useState<Problem | null>(null);
  const [state, setState] = useState<State>({ kind: 'idle' });
  const [units, setUnits] = useState<Unit[]>();
  const running = useRef<AbortController | null>(null);
  const codeInput = useRef<HTMLInputElement>(null);

  function run(source: Source, call: (signal: AbortSignal) => Promise<VerifyReport>) {
    running.current?.abort();
    const ctl = new AbortController();
    running.current = ctl;
    setState({ kind: 'busy', source });
    call(ctl.signal).then(
      (report) => {
        if (!ctl.signal.aborted) setState({ kind: 'done', source, report });
      },
      (error) => {
        if (!ctl.signal.aborted) setState({ kind: 'failed', source, error });
      },
    );
  }

  function startCode(raw: string) {
    setCode(raw);
    const p = checkCode(raw);
    setCodeProblem(p);
    setFileProblem(null);
    if (p) {
      running.current?.abort();
      setState({ kind: 'idle' });
      return;
    }
    const c = normaliseCode(raw);
    run({ kind: 'code', code: c }, (signal) => verifyCode(c, signal));
  }

  // A code in the address (a link, a scanned QR code) is verified at once, and again whenever
  // the address changes to another code (or to the same one, when the form is sent again).
  useEffect(() => {
    const onHash = () => {
      const c = codeInAddress();
      if (c) startCode(c);
    };
    onHash();
    window.addEventListener('hashchange', onHash);
    getUnits().then(setUnits, () => undefined);
    return () => {
      window.removeEventListener('hashchange', onHash);
      running.current?.abort();
    };
  }, []);

  function submitCode(ev: Event) {
    ev.preventDefault();
    const p = checkCode(code);
    setCodeProblem(p);
    if (p) {
      codeInput.current?.focus();
      return;
    }
    navigate(`${PREFIX}/${normaliseCode(code)}`);
  }

  function pickFile(ev: Event) {
    const el = ev.currentTarget as HTMLInputElement;
    const f = el.files?.[0];
    el.value = '';
    if (!f) return;
    const p = checkPdfFile(f);
    setFileProblem(p);
    setCodeProblem(null);
    if (p) {
      running.current?.abort();
      setState({ kind: 'idle' });
      return;
    }
    // The address no longer names a code: a reload must not verify something else.
    if (codeInAddress()) history.replaceState(null, '', '#' + PREFIX);
    run({ kind: 'file', name: f.name, size: f.size }, (signal) => verifyFile(f, signal));
  }

  const busy = state.kind === 'busy';
  const fileHintId = 'verify-file-hint';
  const fileErrId = fileProblem ? 'verify-file-err' : undefined;
  const lang = getLang();

  return (
    <>
      <PageTitle sub={t('verify.sub')}>{t('verify.title')}</PageTitle>
      <div class="verify-forms">
        <section class="card" aria-labelledby="verify-code-h">
          <h2 id="verify-code-h">{t('verify.byCode')}</h2>
          <form onSubmit={submitCode} noValidate data-testid="verify-code-form">
            <Field
              id="verify-code"
              label={t('verify.code')}
              hint={t('verify.code.hint')}
              error={codeProblem ? t(codeProblem.key, codeProblem.params) : null}
            >
              {(c) => (
                <input
                  {...c}
                  ref={codeInput}
                  name="code"
                  type="text"
                  class="verify-code-input"
                  autoComplete="off"
                  autoCapitalize="characters"
                  spellcheck={false}
                  maxLength={32}
                  value={code}
                  onInput={(e) => setCode(e.currentTarget.value)}
                />
              )}
            </Field>
            <div class="actions">
              <button type="submit" class="btn btn-primary" disabled={busy}>
                {t('verify.code.submit')}
              </button>
            </div>
          </form>
        </section>

        <section class="card" aria-labelledby="verify-file-h">
          <h2 id="verify-file-h">{t('verify.byFile')}</h2>
          <p class="hint" id={fileHintId}>
            {t('verify.file.hint', { max: MAX_VERIFY_LABEL })}
          </p>
          {fileProblem && (
            <p class="field-error" id={fileErrId} role="alert" data-testid="verify-file-error">
              {t(fileProblem.key, fileProblem.params)}
            </p>
          )}
          <div class="file-input">
            <input
              id="verify-file"
              class="file-native"
              type="file"
              accept=".pdf,application/pdf"
              aria-describedby={[fileHintId, fileErrId].filter(Boolean).join(' ')}
              aria-invalid={fileProblem ? true : undefined}
              disabled={busy}
              onChange={pickFile}
            />
            <label for="verify-file" class="btn btn-secondary file-button">
              {t('verify.file.choose')}
              <span class="visually-hidden"> {t('verify.file')}</span>
            </label>
          </div>
        </section>
      </div>

      {state.kind === 'failed' && (
        <div class="alert alert-error" role="alert" data-testid="verify-error">
          <p>{verifyErrorText(state.error, state.source.kind === 'code' ? state.source.code : undefined)}</p>
        </div>
      )}
      <div class="verify-live" aria-live="polite" aria-busy={busy ? 'true' : 'false'}>
        {busy && (
          <p class="loading">
            <span class="spinner" aria-hidden="true" />
            {t('verify.busy')}
          </p>
        )}
        {state.kind === 'done' && (
          <Report report={state.report} source={state.source} units={units} lang={lang} />
        )}
      </div>
    </>
  );
}

function sourceText(s: Source, lang: 'vi' | 'en'): string {
  return s.kind === 'code'
    ? t('verify.result.ofCode', { code: s.code })
    : `${t('verify.result.ofFile', { name: s.name })} (${formatSize(s.size, lang)})`;
}

function Report(props: { report: VerifyReport; source: Source; units?: Unit[]; lang: 'vi' | 'en' }) {
  const { report: r, source, units, lang } = props;
  const verdict = verdictMessage(r.verdict);
  const doc = r.document;
  const sigs = r.signatures ?? [];
  return (
    <section class="verify-report" aria-labelledby="verify-result-h" data-testid="verify-report">
      <h2 id="verify-result-h">{t('verify.result')}</h2>
      <p class="muted verify-source">{sourceText(source, lang)}</p>
      <div class={`verdict verdict-${verdict.tone}`} data-testid="verdict" data-verdict={r.verdict}>
        <span class="verdict-mark" aria-hidden="true">
          {verdict.tone === 'ok' ? '✓' : verdict.tone === 'bad' ? '✕' : '!'}
        </span>
        <div>
          <p class="verdict-title">{verdict.title}</p>
          <p>{verdict.body}</p>
        </div>
      </div>
      {r.changed_after_last_signature && (
        <div class="alert alert-warning" data-testid="verify-changed">
          <p>{t('verify.changedAfter')}</p>
        </div>
      )}

      {doc ? (
        <section class="card" aria-labelledby="verify-doc-h" data-testid="verify-document">
          <h3 id="verify-doc-h">{t('verify.document')}</h3>
          <dl class="facts">
            <Row label={t('verify.document.id')}>
              <span class="code">{doc.id}</span>
            </Row>
            <Row label={t('verify.document.title')}>{doc.title}</Row>
            <Row label={t('verify.document.purpose')}>{purposeLabel(doc.purpose)}</Row>
            <Row label={t('verify.document.unit')}>{doc.unit ? unitName(doc.unit, units) : ''}</Row>
            <Row label={t('verify.document.code')}>
              <span class="code">{doc.verify_code}</span>
            </Row>
          </dl>
          {!doc.latest_revision && <p class="verify-note">{t('verify.document.olderRevision')}</p>}
        </section>
      ) : (
        source.kind === 'file' && <p class="muted">{t('verify.document.none')}</p>
      )}

      <h3>{t('verify.signatures', { n: sigs.length })}</h3>
      {sigs.length === 0 ? (
        <p class="muted">{t('verify.signatures.none')}</p>
      ) : (
        <ol class="sig-list">
          {sigs.map((s, i) => (
            <SignatureCard key={s.field || i} s={s} n={i + 1} />
          ))}
        </ol>
      )}

      <h3>{t('verify.fileFacts')}</h3>
      <dl class="facts">
        <Row label={t('verify.fileFacts.size')}>{formatSize(r.size, lang)}</Row>
        <Row label={t('verify.fileFacts.sha256')}>
          <span class="code">{r.sha256}</span>
        </Row>
      </dl>
    </section>
  );
}

function SignatureCard(props: { s: SignatureReport; n: number }) {
  const { s, n } = props;
  const signer = s.signer;
  const cert = s.certificate;
  const id = `verify-sig-${n}`;
  return (
    <li class="card sig-card" aria-labelledby={id} data-testid="signature" data-kind={s.kind} data-valid={String(s.valid)}>
      <h4 id={id} class="sig-heading">
        <span>{t('verify.sig.heading', { n, kind: kindLabel(s.kind) })}</span>{' '}
        <span class={`badge ${s.valid ? 'badge-ok' : 'badge-bad'}`}>{signatureValidityText(s)}</span>
      </h4>
      <dl class="facts">
        <Row label={t('verify.sig.signer')}>{signer?.name ?? ''}</Row>
        <Row label={t('verify.sig.position')}>{signer?.position ?? ''}</Row>
        <Row label={t('verify.sig.organisation')}>{signer?.organisation ?? ''}</Row>
        <Row label={t('verify.sig.unit')}>{signer?.unit ?? ''}</Row>
        <Row label={t('verify.sig.identifier')}>{signer?.identifier ?? ''}</Row>
        <Row label={t('verify.sig.signedAt')}>
          {s.signed_at ? <time dateTime={s.signed_at}>{signedAtText(s)}</time> : t('verify.sig.signedAt.none')}
        </Row>
        <Row label={t('verify.sig.certificate')}>
          <span class={certificateOk(s.certificate_status) ? 'verify-ok' : 'verify-bad'} data-testid="cert-status">
            {certificateStatusText(s)}
          </span>
        </Row>
        <Row label={t('verify.sig.revocationReason')}>{s.revocation_reason ?? ''}</Row>
        <Row label={t('verify.sig.integrity')}>
          <span class={s.intact ? 'verify-ok' : 'verify-bad'}>{integrityText(s)}</span>
        </Row>
        <Row label={t('verify.sig.issuer')}>{signer?.issuer ?? ''}</Row>
        <Row label={t('verify.sig.serial')}>{cert?.serial ? <span class="code">{cert.serial}</span> : ''}</Row>
        <Row label={t('verify.sig.validity')}>
          {cert?.not_before && cert?.not_after
            ? t('verify.sig.validityRange', { from: formatDateTime(cert.not_before), to: formatDateTime(cert.not_after) })
            : ''}
        </Row>
        {(s.certificate_problem || s.problem) && (
          // Technical text from the signature library, in English whatever the page's language.
          <Row label={t('verify.sig.problem')}>
            <span class="muted" lang="en">
              {[s.certificate_problem, s.problem].filter(Boolean).join(' — ')}
            </span>
          </Row>
        )}
      </dl>
    </li>
  );
}
