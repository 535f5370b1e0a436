import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import type { MyReview } from '../messaging/options-protocol';
import type { OptionsSend, TabsAdapter } from '../options/types';
import { makeFormatter, type FormatOptions } from '../ui/panel/format';
import { Untrusted } from '../ui/Untrusted';
import { checkCrms } from './check-crm';
import { strings } from './strings';
import type { PopupSend } from './types';

const t = strings.reviews;
export const MY_REVIEWS_KEY = ['popup', 'myReviews'] as const;

export interface MyReviewsProps {
  popupSend: PopupSend;
  send: OptionsSend;
  tabs: TabsAdapter;
  /** The CRMs connected now (state "connected"): what "Check the CRM now" reads. */
  connected: readonly { crm: string; label: string }[];
  close: () => void;
  format?: FormatOptions;
}

/** Only a web address is opened. */
function webUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * "Reviews of my decisions": a disclosure that lists the managers' reviews of this rep's decisions,
 * newest first. Everything in an item but the dates came from the CRM: shown as text (`Untrusted`), with
 * a note where the review could not be confirmed or was flagged.
 */
export function MyReviews({ popupSend, send, tabs, connected, close, format }: MyReviewsProps) {
  const [open, setOpen] = useState(false);
  const [checking, setChecking] = useState<string | undefined>();
  const [checked, setChecked] = useState<{ problems: string[] } | undefined>();
  const buttonId = useId();
  const regionId = useId();
  const client = useQueryClient();
  const fmt = useMemo(() => makeFormatter(format), [format]);
  const reviews = useQuery({ queryKey: MY_REVIEWS_KEY, queryFn: () => popupSend('popup.myReviews', {}), enabled: open });

  async function checkNow() {
    setChecked(undefined);
    setChecking(t.checking(connected[0]?.label ?? '', 0));
    const problems = await checkCrms(send, connected, (c, notes) => setChecking(t.checking(c.label, notes)));
    await client.invalidateQueries({ queryKey: MY_REVIEWS_KEY });
    setChecking(undefined);
    setChecked({ problems: problems.map((p) => t.checkFailed(p.label, p.problem)) });
  }

  function openLead(url: string) {
    void tabs.create({ url }).then(close);
  }

  return (
    <section className="lq-popup__reviews">
      <h2>
        <button type="button" id={buttonId} className="lq-popup__disclosure" aria-expanded={open} aria-controls={regionId} onClick={() => setOpen(!open)}>
          {t.heading}
        </button>
      </h2>
      <div id={regionId} role="region" aria-labelledby={buttonId} hidden={!open}>
        {open &&
          (reviews.isPending ? (
            <p role="status" aria-busy="true">
              {t.loading}
            </p>
          ) : reviews.isError ? (
            <p role="alert" className="lq-popup__error">
              {t.failed(reviews.error.message)}
            </p>
          ) : !reviews.data.identified ? (
            <p>{t.notIdentified}</p>
          ) : reviews.data.reviews.length === 0 ? (
            <p>{t.none}</p>
          ) : (
            <ol className="lq-popup__review-list">
              {reviews.data.reviews.map((r) => (
                <ReviewItem key={r.id} review={r} when={fmt.dateTime(r.at)} onOpen={openLead} />
              ))}
            </ol>
          ))}
        {open && connected.length > 0 && (
          <div className="lq-popup__check">
            <button type="button" className="lq-button lq-popup__button" disabled={checking !== undefined} aria-busy={checking !== undefined} onClick={() => void checkNow()}>
              {t.checkNow}
            </button>
            <p role="status" className="lq-popup__check-status">
              {checking ?? (checked && checked.problems.length === 0 ? t.checked : '')}
            </p>
            {checked && checked.problems.length > 0 && (
              <p role="alert" className="lq-popup__error">
                <Untrusted text={checked.problems.join(' ')} />
              </p>
            )}
          </div>
        )}
      </div>
    </section>
  );
}

function ReviewItem({ review: r, when, onOpen }: { review: MyReview; when: string; onOpen: (url: string) => void }) {
  const url = webUrl(r.decision.url);
  const leadName = r.decision.leadName.trim() || t.unnamedLead;
  return (
    <li className={`lq-popup__review lq-popup__review--${r.trust.state}`} data-verdict={r.verdict} data-trust={r.trust.state}>
      <p className="lq-popup__review-head">
        <Untrusted className="lq-popup__verdict" text={t.verdictBy(r.reviewerName, r.verdict)} /> · <time dateTime={r.at}>{when}</time>
      </p>
      <p>
        <Untrusted text={r.decision.label.trim() || t.someDecision} /> ·{' '}
        {url ? (
          <a
            href={url}
            title={t.openInCrm}
            onClick={(e) => {
              e.preventDefault();
              onOpen(url);
            }}
          >
            <Untrusted text={leadName} />
          </a>
        ) : (
          <Untrusted text={leadName} />
        )}
      </p>
      {r.comment.trim() && (
        <p className="lq-popup__comment">
          <Untrusted text={r.comment.trim()} />
        </p>
      )}
      {r.trust.state !== 'verified' && (
        <p className={`lq-popup__trust lq-popup__trust--${r.trust.state}`}>
          <Untrusted text={r.trust.state === 'flagged' ? t.trust.flagged(r.trust.notes.join('; ')) : t.trust.unconfirmed(r.trust.notes.join('; '))} />
        </p>
      )}
    </li>
  );
}
