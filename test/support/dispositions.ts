import { leadKey } from '../../src/crm';
import type { LeadRef } from '../../src/domain/lead-ref';
import type { QualificationConfig } from '../../src/domain/config';
import { defaultConfig } from '../../src/domain/defaults';
import { createRevision, snapshotLead, type Author, type DecisionInput, decisionSchema, type Revision } from '../../src/domain/dispositions';
import { emptyChecklist, setAnswer } from '../../src/domain/frameworks';
import { leadProfileSchema } from '../../src/domain/lead';
import { qualify } from '../../src/domain/qualify';
import type { LeadQualifierDb } from '../../src/store/db';
import { revisionsOf, saveRevision } from '../../src/store/dispositions';

/** Saves a decision the way the background does (revision + row + outbox in one transaction). */
export async function saveDecision(
  db: LeadQualifierDb,
  ref: LeadRef,
  decision: DecisionInput,
  options: { dispositionId: string; at?: string; config?: QualificationConfig; name?: string; evidence?: string; author?: Author },
): Promise<Revision> {
  const config = options.config ?? defaultConfig();
  const at = options.at ?? '2026-11-20T12:00:00.000Z';
  const lead = leadProfileSchema.parse({ crm: ref.crm, recordId: ref.recordId, name: options.name ?? `Lead ${ref.recordId}`, title: 'Director of IT', source: 'webinar', campaign: 'Q4 webinar' });
  const checklist = setAnswer(emptyChecklist(config.defaultFrameworkId), 'budget', { state: 'confirmed', evidence: options.evidence ?? 'We set aside 40k for this.', by: 'Sam Rep', at });
  const q = qualify(lead, checklist, config, Date.parse(at), { decidedAt: at });
  const previous = (await revisionsOf(db, options.dispositionId)).at(-1);
  const revision = createRevision(previous, {
    dispositionId: options.dispositionId,
    decision: decisionSchema.parse(decision),
    snapshot: { lead: snapshotLead(lead), score: q.score, checklist, recommendation: q.recommendation, framework: { id: q.framework.id, version: q.framework.version, label: q.framework.label }, configVersion: config.version },
    author: options.author ?? { id: 'rep-1', name: 'Sam Rep' },
    at,
  });
  await saveRevision(db, { revision, leadKey: leadKey(ref), ref, config, now: at });
  return revision;
}
