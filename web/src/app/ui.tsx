// Small shared pieces of UI used by every area (portal, officer workspace, administration):
// page title, alerts, loading state, labelled form fields with their error, and a data loader
// hook. Styles are in app/styles.css (class names below); no inline styles (the server's CSP
// has style-src 'self').
import type { ComponentChildren, JSX } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { describeError } from '../core/api';
import { t, useLang } from '../i18n';

export function PageTitle(props: { children: ComponentChildren; sub?: ComponentChildren }) {
  return (
    <div class="page-title">
      <h1 tabIndex={-1}>{props.children}</h1>
      {props.sub && <p class="page-sub">{props.sub}</p>}
    </div>
  );
}

export function Alert(props: {
  kind?: 'error' | 'info' | 'success' | 'warning';
  title?: ComponentChildren;
  children?: ComponentChildren;
  id?: string;
}) {
  const kind = props.kind ?? 'info';
  // Errors are announced at once; others politely.
  const role = kind === 'error' ? 'alert' : 'status';
  return (
    <div class={`alert alert-${kind}`} role={role} id={props.id}>
      {props.title && <p class="alert-title">{props.title}</p>}
      {props.children}
    </div>
  );
}

export function Loading(props: { label?: string }) {
  return (
    <p class="loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      {props.label ?? t('common.loading')}
    </p>
  );
}

export function ErrorBox(props: { error: unknown; onRetry?: () => void }) {
  return (
    <Alert kind="error">
      <p>{describeError(props.error)}</p>
      {props.onRetry && (
        <button type="button" class="btn btn-secondary" onClick={props.onRetry}>
          {t('common.retry')}
        </button>
      )}
    </Alert>
  );
}

let fieldSeq = 0;
/** A stable unique id for label/input pairs. */
export function useId(prefix = 'f'): string {
  const ref = useRef<string>();
  if (!ref.current) ref.current = `${prefix}-${++fieldSeq}`;
  return ref.current;
}

/**
 * A labelled control with hint and error, wired with aria-describedby / aria-invalid.
 * children is a function receiving the props to spread on the control.
 */
export function Field(props: {
  /** The control's id (default: generated); the label points at it. */
  id?: string;
  label: ComponentChildren;
  required?: boolean;
  hint?: ComponentChildren;
  error?: string | null;
  children: (control: {
    id: string;
    'aria-describedby'?: string;
    'aria-invalid'?: boolean;
    required?: boolean;
  }) => JSX.Element;
}) {
  const generated = useId('field');
  const id = props.id ?? generated;
  const hintId = props.hint ? `${id}-hint` : undefined;
  const errId = props.error ? `${id}-err` : undefined;
  const describedBy = [hintId, errId].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${props.error ? ' field-invalid' : ''}`}>
      <label for={id}>
        {props.label}
        {props.required && <span class="req"> {t('common.requiredMark')}</span>}
      </label>
      {props.hint && (
        <p class="hint" id={hintId}>
          {props.hint}
        </p>
      )}
      {props.error && (
        <p class="field-error" id={errId}>
          {props.error}
        </p>
      )}
      {props.children({
        id,
        'aria-describedby': describedBy,
        'aria-invalid': props.error ? true : undefined,
        required: props.required,
      })}
    </div>
  );
}

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
  setData: (d: T) => void;
}

/** Runs load() when deps change (and when the language changes, so server messages and
 *  names follow it); keeps the last data while reloading. */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]): Loaded<T> {
  const lang = useLang();
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const ctl = new AbortController();
    setLoading(true);
    setError(null);
    load(ctl.signal).then(
      (d) => {
        if (!ctl.signal.aborted) {
          setData(d);
          setLoading(false);
        }
      },
      (e) => {
        if (!ctl.signal.aborted) {
          setError(e);
          setLoading(false);
        }
      },
    );
    return () => ctl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, lang, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, loading, reload, setData };
}

/** A definition list row, skipped when value is empty. */
export function Row(props: { label: ComponentChildren; children: ComponentChildren }) {
  if (props.children === '' || props.children === null || props.children === undefined) return null;
  return (
    <div class="dl-row">
      <dt>{props.label}</dt>
      <dd>{props.children}</dd>
    </div>
  );
}
