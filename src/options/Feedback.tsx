import { useEffect, useRef, type ReactNode } from 'react';
import { messageOf } from '../domain/errors';
import { ProtocolError, type ProtocolIssue } from '../messaging/envelope';
import { strings as t } from './strings';

/** What an action said last: progress and success in a status region, failure in an alert. */
export type Feedback =
  | { kind: 'busy'; message: string }
  | { kind: 'ok'; message: string }
  | { kind: 'error'; message: string; issues?: readonly ProtocolIssue[] }
  | undefined;

/** A failed request as feedback: the background's message, and its field-named issues when it gave them. */
export function errorFeedback(e: unknown): Feedback {
  if (e instanceof ProtocolError) return { kind: 'error', message: e.message, issues: e.issues };
  return { kind: 'error', message: messageOf(e) };
}

/**
 * The status region is always in the page (so screen readers announce what is put in it); the alert
 * appears with the error, and takes focus when `focusOnError` (a form's error summary).
 */
export function FeedbackView({ feedback, focusOnError = false, children }: { feedback: Feedback; focusOnError?: boolean; children?: ReactNode }) {
  const alertRef = useRef<HTMLDivElement>(null);
  const error = feedback?.kind === 'error' ? feedback : undefined;
  useEffect(() => {
    if (error && focusOnError) alertRef.current?.focus();
  }, [error, focusOnError]);
  return (
    <>
      <p role="status" className="lq-status">
        {feedback && feedback.kind !== 'error' ? feedback.message : ''}
      </p>
      {error && (
        <div role="alert" className="lq-error-summary" ref={alertRef} tabIndex={focusOnError ? -1 : undefined}>
          <p>{error.message}</p>
          {error.issues && error.issues.length > 0 && (
            <ul>
              {error.issues.map((issue, i) => (
                <li key={`${issue.path}:${i}`}>{t.issue(issue.path, issue.message)}</li>
              ))}
            </ul>
          )}
          {children}
        </div>
      )}
    </>
  );
}
