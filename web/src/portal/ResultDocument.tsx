// "Kết quả điện tử": the signed electronic result of a dossier, on the citizen's dossier page and
// the officer's. A download of the signed PDF (GET /api/v1/dossiers/{code}/result.pdf), its
// verification code (printed on it and behind its QR code) and a link to the public
// verification page (#/xac-thuc/<code>). The messages are the portal's (first chunk), which the
// officer workspace also sees.
import { formatDateTime, formatSize } from '../core/format';
import { href } from '../core/router';
import { Row } from '../app/ui';
import { getLang, t } from '../i18n';
import { instantFromMicros, resultPdfUrl, type ResultDocument } from './model';

export function ResultDocumentSection(props: { dossierCode: string; doc: ResultDocument; card?: boolean }) {
  const { doc } = props;
  const size = formatSize(doc.file?.size ?? 0, getLang());
  return (
    <section
      class={props.card === false ? 'result-doc' : 'card result-doc'}
      aria-labelledby="result-doc-h"
      data-testid="result-document"
    >
      <h2 id="result-doc-h">{t('resultDoc.title')}</h2>
      <p>{t('resultDoc.body')}</p>
      <dl class="facts">
        <Row label={t('resultDoc.id')}>
          <span class="code">{doc.id}</span>
        </Row>
        <Row label={t('resultDoc.issuedAt')}>{formatDateTime(instantFromMicros(doc.issued_at))}</Row>
        <Row label={t('resultDoc.code')}>
          <span class="code" data-testid="result-verify-code">
            {doc.verify_code}
          </span>
        </Row>
      </dl>
      <p class="muted">{t('resultDoc.file', { name: `${doc.id}.pdf`, size })}</p>
      <div class="actions">
        <a class="btn btn-primary" href={resultPdfUrl(props.dossierCode)} download={`${doc.id}.pdf`} data-testid="result-download">
          {t('resultDoc.download')}
        </a>
        <a class="btn btn-secondary" href={href('/xac-thuc/' + encodeURIComponent(doc.verify_code))} data-testid="result-verify">
          {t('resultDoc.verify')}
        </a>
      </div>
    </section>
  );
}
