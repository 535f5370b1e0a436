import { useMutation } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { storageErrorMessage } from '../store/store';
import { lastRejections, type RejectionForReview } from '../store/audit';
import { ReviewError, saveReview } from '../store/reviews';
import type { ReviewRecord } from '../store/records';
import { useDashboard } from './context';
import { DetailView } from './DetailView';
import { useLive } from './hooks';
import { strings as t } from './strings';
import { isolate } from '../domain/untrusted-text';

export interface ReviewViewProps {
  /** How many of the latest rejections to review; 50 is the classic exercise. */
  limit?: number;
}

function ReviewForm({ item }: { item: RejectionForReview }) {
  const { db, reviewerFor, clock, newId } = useDashboard();
  const reviewer = reviewerFor(item.disposition.crm);
  const [verdict, setVerdict] = useState<ReviewRecord['verdict'] | ''>('');
  const [comment, setComment] = useState('');
  const [problem, setProblem] = useState<string>();
  const [saved, setSaved] = useState(false);
  const legendId = useId();
  const commentId = useId();
  const hintId = useId();
  const problemId = useId();
  const save = useMutation({
    mutationFn: (review: ReviewRecord) => saveReview(db, review),
    onSuccess: () => {
      setSaved(true);
      setVerdict('');
      setComment('');
    },
  });
  const mine = reviewer && item.reviews.filter((r) => r.reviewerId === reviewer.id).at(-1);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    if (!verdict) return setProblem(t.chooseVerdict);
    if (verdict === 'disagree' && !comment.trim()) return setProblem(t.commentRequired);
    if (!reviewer) return setProblem(t.whoReviews);
    setProblem(undefined);
    save.mutate({ id: newId(), dispositionId: item.disposition.id, reviewerId: reviewer.id, reviewerName: reviewer.name, reviewer, rev: item.disposition.rev, verdict, comment: comment.trim(), at: new Date(clock()).toISOString() });
  };

  const error = problem ?? (save.isError ? t.reviewFailed(save.error instanceof ReviewError ? save.error.message : storageErrorMessage(save.error)) : undefined);
  return (
    <form className="lqd-review-form" onSubmit={submit} noValidate>
      {mine && <p className="lqd-hint">{t.alreadyReviewed(t.verdicts[mine.verdict], isolate(mine.reviewerName))}</p>}
      <fieldset aria-describedby={error ? problemId : undefined}>
        <legend id={legendId}>{t.verdict}</legend>
        {(['agree', 'disagree'] as const).map((v) => (
          <label key={v} className="lqd-choice">
            <input type="radio" name={`verdict-${item.disposition.id}`} value={v} checked={verdict === v} onChange={() => setVerdict(v)} />
            {v === 'agree' ? t.agree : t.disagree}
          </label>
        ))}
      </fieldset>
      <div className="lqd-field">
        <label htmlFor={commentId}>{t.comment}</label>
        <textarea id={commentId} rows={3} value={comment} onChange={(e) => setComment(e.target.value)} aria-describedby={hintId} maxLength={2000} />
        <span id={hintId} className="lqd-hint">
          {t.commentHint}
        </span>
      </div>
      {error && (
        <p id={problemId} role="alert" className="lqd-error">
          {error}
        </p>
      )}
      <p role="status" className="lqd-saved">
        {saved ? t.reviewSaved : ''}
      </p>
      <button type="submit" className="lq-button lq-button--primary" disabled={save.isPending}>
        {save.isPending ? t.savingReview : t.saveReview}
      </button>
    </form>
  );
}

/** The last rejections, one at a time: the decision with its evidence, and the manager's verdict. */
export function ReviewView({ limit = 50 }: ReviewViewProps) {
  const { db, generation } = useDashboard();
  // The generation: a new rejection is not among the rows read before, so a live query alone misses it.
  const live = useLive(() => lastRejections(db, limit), [db, limit, generation]);
  const [index, setIndex] = useState(0);
  const [moved, setMoved] = useState(false);
  if (live.status === 'loading') return <p role="status">{t.loading}</p>;
  if (live.status === 'error') return <p role="alert">{live.message}</p>;
  const items = live.data;
  if (items.length === 0) return <p>{t.noRejections}</p>;
  const i = Math.min(index, items.length - 1);
  const item = items[i]!;
  const reviewed = items.filter((x) => x.reviews.length > 0).length;
  const go = (to: number) => {
    setIndex(to);
    setMoved(true);
  };

  return (
    <div className="lqd-review">
      <p>{t.reviewIntro}</p>
      <p role="status" className="lqd-count">
        {t.reviewProgress(reviewed, items.length)}
      </p>
      <nav className="lqd-stepper" aria-label={t.reviewPosition(i + 1, items.length)}>
        <button type="button" className="lq-button" onClick={() => go(i - 1)} disabled={i === 0}>
          <span aria-hidden="true">← </span>
          {t.previous}
        </button>
        <span className="lqd-stepper__pos">{t.reviewPosition(i + 1, items.length)}</span>
        <button type="button" className="lq-button" onClick={() => go(i + 1)} disabled={i === items.length - 1}>
          {t.next}
          <span aria-hidden="true"> →</span>
        </button>
      </nav>
      <div className="lqd-review__body">
        <DetailView dispositionId={item.disposition.id} level={3} focusOnOpen={moved} />
        <ReviewForm key={item.disposition.id} item={item} />
      </div>
    </div>
  );
}
