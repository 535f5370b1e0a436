import type { InputHTMLAttributes, Ref } from 'react';

export interface ConnectFieldProps extends InputHTMLAttributes<HTMLInputElement> {
  /** The input's id (the form focuses the first invalid field by it); its hint and error are `${id}-hint` and `${id}-err`. */
  id: string;
  label: string;
  hint?: string;
  error?: string;
  inputRef?: Ref<HTMLInputElement>;
}

/** One labelled input of the connect form, described by its hint and, when invalid, its error. */
export function ConnectField({ id, label, hint, error, inputRef, ...props }: ConnectFieldProps) {
  return (
    <div className="lq-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        ref={inputRef}
        aria-invalid={error ? true : undefined}
        aria-describedby={[hint ? `${id}-hint` : '', error ? `${id}-err` : ''].filter(Boolean).join(' ') || undefined}
        {...props}
      />
      {hint && (
        <p id={`${id}-hint`} className="lq-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-err`} className="lq-error">
          {error}
        </p>
      )}
    </div>
  );
}
