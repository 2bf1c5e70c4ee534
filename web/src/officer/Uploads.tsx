// File uploads for one dossier component, used at the counter (intake, supplement): each file
// is checked in the browser (type, size, signature: core/validate), then sent to
// POST /api/v1/files with a progress bar (core/api uploadFile); the ids go into the dossier body.
import { useState } from 'preact/hooks';
import { describeError, uploadFile } from '../core/api';
import { formatSize } from '../core/format';
import { ACCEPT_ATTRIBUTE, checkFileFully, contentTypeFor } from '../core/validate';
import { getLang, t } from '../i18n';
import type { FileRef } from '../portal/model';
import { useId } from '../app/ui';

interface Pending {
  name: string;
  progress: number;
}

export function ComponentUploads(props: {
  label: string;
  files: FileRef[];
  onChange: (files: FileRef[]) => void;
  onBusy?: (busy: boolean) => void;
}) {
  const [pending, setPending] = useState<Pending[]>([]);
  const [error, setError] = useState<string | null>(null);
  const id = useId('upload');

  async function add(list: FileList | null) {
    if (!list || list.length === 0) return;
    setError(null);
    const chosen = Array.from(list);
    let current = props.files;
    props.onBusy?.(true);
    try {
      for (const f of chosen) {
        const problem = await checkFileFully(f);
        if (problem) {
          setError(`${f.name}: ${t(problem.key, problem.params)}`);
          continue;
        }
        setPending((p) => [...p, { name: f.name, progress: 0 }]);
        try {
          const up = uploadFile(f, (fraction) =>
            setPending((p) => p.map((x) => (x.name === f.name ? { ...x, progress: fraction } : x))),
            contentTypeFor(f.name) ?? f.type,
          );
          const done = await up.promise;
          current = [
            ...current,
            { id: done.id, name: done.name, content_type: done.content_type, size: done.size },
          ];
          props.onChange(current);
        } catch (e) {
          setError(`${f.name}: ${describeError(e)}`);
        } finally {
          setPending((p) => p.filter((x) => x.name !== f.name));
        }
      }
    } finally {
      props.onBusy?.(false);
    }
  }

  return (
    <div class="uploads">
      <label for={id}>{t('officer.upload.label', { name: props.label })}</label>{' '}
      <input
        id={id}
        type="file"
        multiple
        accept={ACCEPT_ATTRIBUTE}
        onChange={(e) => {
          const input = e.currentTarget;
          add(input.files).finally(() => {
            input.value = '';
          });
        }}
      />
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
      {(props.files.length > 0 || pending.length > 0) && (
        <ul class="upload-list">
          {props.files.map((f) => (
            <li key={f.id} data-file-id={f.id}>
              {f.name} <span class="muted">({formatSize(f.size, getLang())})</span>{' '}
              <button
                type="button"
                class="btn btn-link"
                onClick={() => props.onChange(props.files.filter((x) => x.id !== f.id))}
              >
                {t('officer.upload.remove', { name: f.name })}
              </button>
            </li>
          ))}
          {pending.map((p) => (
            <li key={'p-' + p.name}>
              {p.name}{' '}
              <progress max={1} value={p.progress} aria-label={t('officer.upload.progress', { name: p.name })} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
