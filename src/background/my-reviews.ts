import { crmApiModules } from '../crm/apis';
import type { QualificationConfig } from '../domain/config';
import type { Author } from '../domain/dispositions';
import { ProtocolError } from '../messaging/envelope';
import type { MyReview, popupProtocol } from '../messaging/options-protocol';
import type { Handlers } from '../messaging/router';
import { reviewsOfMyDecisions, type MyReviewItem } from '../store/my-reviews';
import { storageErrorMessage, type Store } from '../store/store';
import type { ConnectionStore } from '../sync/connections';
import { authorFor } from '../sync/identity';

/**
 * "Reviews of my decisions" for the toolbar popup: who this browser is on each CRM (`authorFor`: the
 * connection's CRM user, else the name and email the rep gave), then the store's query.
 */
export interface MyReviewsDeps {
  db: Store;
  connections: ConnectionStore;
  /** The config in force (names the reasons of decisions stored here). */
  config: () => Promise<Pick<QualificationConfig, 'reasonCodes'>>;
}

const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** Only a web address is offered as a link. */
function webUrl(url: string | undefined): string | undefined {
  if (!url || url.length > 2000) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

function view(r: MyReviewItem): MyReview {
  const url = webUrl(r.url);
  return {
    id: clip(r.id, 100),
    verdict: r.verdict,
    reviewerName: clip(r.reviewerName, 200),
    at: clip(r.at, 40),
    comment: clip(r.comment, 2000),
    crm: clip(r.crm, 40),
    decision: { dispositionId: clip(r.dispositionId, 200), rev: r.rev, label: clip(r.decisionLabel, 300), leadName: clip(r.leadName, 300), ...(url ? { url } : {}) },
    trust: { state: r.trust.state, notes: r.trust.notes.slice(0, 20).map((n) => clip(n, 2000)) },
  };
}

export function createMyReviewsService(deps: MyReviewsDeps) {
  const handlers: Handlers<typeof popupProtocol> = {
    'popup.myReviews': async () => {
      try {
        const crms = new Set([...crmApiModules.map((m) => m.id), ...(await deps.connections.all()).map((c) => c.crm)]);
        const me = new Map<string, Author>();
        for (const crm of crms) {
          const author = await authorFor(deps, crm);
          if (author) me.set(crm, author);
        }
        const reviews = await reviewsOfMyDecisions(deps.db, { me: (crm) => me.get(crm), config: await deps.config() });
        return { identified: me.size > 0, reviews: reviews.map(view) };
      } catch (e) {
        if (e instanceof ProtocolError) throw e;
        throw new ProtocolError('failed', storageErrorMessage(e));
      }
    },
  };
  return { handlers };
}
