// A component's files: choose one or more files, each checked in the browser (type by extension
// and declared type, first bytes, size, emptiness) and then uploaded to POST /api/v1/files with a
// progress bar. Uploaded files are listed with a button to remove them from the dossier.
import { useRef, useState } from 'preact/hooks';
import { ApiError, describeError, uploadFile } from '../core/api';
import { formatSize } from '../core/format';
import { ACCEPT_ATTRIBUTE, checkFileFully, contentTypeFor } from '../core/validate';
import { getLang, t } from '../i18n';
import { toFileRef, type FileRef } from './model';

interface Progress {
  name: string;
  fraction: number;
}

export function FileInput(props: {
  id: string;
  label: string;
  files: FileRef[];
  onChange: (files: FileRef[]) => void;
  onBusy?: (busy: boolean) => void;
  describedBy?: string;
  invalid?: boolean;
  disabled?: boolean;
}) {
  const [progress, setProgress] = useState<Progress | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const input = useRef<HTMLInputElement>(null);
  const filesRef = useRef(props.files);
  filesRef.current = props.files;

  async function onPick(ev: Event) {
    const el = ev.currentTarget as HTMLInputElement;
    const picked = Array.from(el.files ?? []);
    el.value = '';
    if (picked.length === 0) return;
    const problems: string[] = [];
    props.onBusy?.(true);
    try {
      for (const f of picked) {
        const p = await checkFileFully(f);
        if (p) {
          problems.push(`${f.name}: ${t(p.key, p.params)}`);
          continue;
        }
        setProgress({ name: f.name, fraction: 0 });
        try {
          const up = await uploadFile(f, (fraction) => setProgress({ name: f.name, fraction }), contentTypeFor(f.name)!).promise;
          filesRef.current = [...filesRef.current, toFileRef(up)];
          props.onChange(filesRef.current);
        } catch (e) {
          // The server's catalogue message when it has one; ours for the file codes otherwise.
          const msg =
            e instanceof ApiError && !e.message && e.code.startsWith('file.') ? t(e.code, { max: '10 MB' }) : describeError(e);
          problems.push(`${f.name}: ${msg}`);
        }
      }
    } finally {
      setProgress(null);
      setErrors(problems);
      props.onBusy?.(false);
    }
  }

  function remove(id: string) {
    filesRef.current = filesRef.current.filter((f) => f.id !== id);
    props.onChange(filesRef.current);
  }

  const errId = errors.length ? `${props.id}-upload-err` : undefined;
  const describedBy = [props.describedBy, errId].filter(Boolean).join(' ') || undefined;
  return (
    <div class="file-input">
      {/* The native control stays in the page (keyboard, screen readers, tests) but is drawn as
          a button in the page's language: the browser's own "Choose Files" text follows the
          browser's locale, not the page's. */}
      <input
        ref={input}
        id={props.id}
        class="file-native"
        type="file"
        multiple
        accept={ACCEPT_ATTRIBUTE}
        aria-describedby={describedBy}
        aria-invalid={props.invalid || errors.length > 0 ? true : undefined}
        disabled={props.disabled || progress !== null}
        onChange={onPick}
      />
      <label for={props.id} class="btn btn-secondary file-button">
        {t('upload.choose')}
        <span class="visually-hidden"> {props.label}</span>
      </label>
      {progress && (
        <div class="upload-progress" role="status" aria-live="polite">
          <label>
            {t('upload.progress', { name: progress.name, pct: Math.round(progress.fraction * 100) })}
            <progress max={100} value={Math.round(progress.fraction * 100)} />
          </label>
        </div>
      )}
      {errors.length > 0 && (
        <ul class="field-error upload-errors" id={errId} role="alert">
          {errors.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      )}
      {props.files.length > 0 && (
        <ul class="file-list" aria-label={t('upload.listLabel', { name: props.label })}>
          {props.files.map((f) => (
            <li key={f.id}>
              <span class="file-name">{f.name}</span>{' '}
              <span class="muted nowrap">({formatSize(f.size, getLang())})</span>{' '}
              <button
                type="button"
                class="btn-link"
                onClick={() => remove(f.id)}
                aria-label={t('upload.removeLabel', { name: f.name })}
                disabled={props.disabled}
              >
                {t('upload.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
