import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../domain/defaults';
import { leadProfileSchema } from '../domain/lead';
import { leadKey } from '../crm';
import { createClient } from '../messaging/client';
import { createRouter } from '../messaging/router';
import type { Caller } from '../messaging/sender';
import { recordLeadFetched } from '../store/leads';
import { backgroundProtocol } from './protocol';
import { createLeadSessions, memoryTabStore } from './sessions';
import { freshDb } from '../../test/support/db';

/**
 * ADR 0015 finding 3 in the background: once the CRM's API has answered for a lead, a page that rewrites
 * its record view changes nothing the background computes (profile, score, snapshot); the panel is told
 * where the page disagrees. Before that, the page's reading is used, and the panel is told so.
 */

const NOW = Date.parse('2026-11-20T12:00:00Z');
const ref = { crm: 'salesforce', recordId: '00Q5e00000AbCdEEAV', objectType: 'Lead', url: 'https://acme.lightning.force.com/lightning/r/Lead/00Q5e00000AbCdEEAV/view', host: 'acme.lightning.force.com' };
const API = { name: 'Jane Doe', company: 'Initech', title: 'VP Operations', email: 'jane.doe@initech.example', crmStatus: 'Open - Not Contacted', companySize: 800 };
const HOSTILE = { name: 'Eve Mallory', company: 'Evil Corp', title: 'Director of IT', email: 'jane.doe@initech.example', status: 'Closed - Converted' };

function setup() {
  const db = freshDb();
  const bg = createLeadSessions({ db, tabs: memoryTabStore(), now: () => NOW, config: async () => defaultConfig(), author: async () => ({ id: '005xx000001Sam', name: 'Sam Rep', crm: 'salesforce' }), newId: () => 'd1' });
  const route = createRouter(backgroundProtocol, bg.handlers);
  const as = (caller: Caller) => createClient(backgroundProtocol, (m) => route(m, caller));
  return { db, content: as({ role: 'content', tabId: 1 }), panel: as({ role: 'panel', tabId: 1 }) };
}

/** What the lead refresher stores when Salesforce answers (src/sync/lead-refresh.ts). */
const apiAnswers = (db: ReturnType<typeof freshDb>) =>
  recordLeadFetched(db, leadKey(ref), ref, (row) => ({ profile: leadProfileSchema.parse({ ...row?.profile, ...API, crm: ref.crm, recordId: ref.recordId }) }), new Date(NOW).toISOString());

describe('who the lead is, when the page and the CRM’s API disagree (finding 3)', () => {
  it('uses the page’s reading before the API answers, and says it is the page’s', async () => {
    const { content, panel } = setup();
    await content('page.leadShown', { ref, dom: HOSTILE });
    const s = await panel('panel.getState', {});
    expect(s.lead).toMatchObject({ name: 'Eve Mallory', company: 'Evil Corp', recordId: ref.recordId });
    expect(s.source).toEqual({ crmLabel: 'Salesforce' });
  });

  it('after the API answered, a rewritten page changes neither the profile nor the snapshot, and is flagged', async () => {
    const { db, content, panel } = setup();
    await content('page.leadShown', { ref, dom: { name: 'Jane Doe' } });
    await apiAnswers(db);
    await content('page.leadShown', { ref, dom: HOSTILE });

    const s = await panel('panel.getState', {});
    expect(s.lead).toMatchObject({ ...API, recordId: ref.recordId });
    expect(s.source).toEqual({
      fetchedAt: new Date(NOW).toISOString(),
      crmLabel: 'Salesforce',
      disagreements: [
        { field: 'name', page: 'Eve Mallory', crm: 'Jane Doe' },
        { field: 'company', page: 'Evil Corp', crm: 'Initech' },
        { field: 'title', page: 'Director of IT', crm: 'VP Operations' },
      ],
    });

    await panel('panel.saveDisposition', { leadKey: leadKey(ref), decision: { outcome: 'reject', reasonCode: 'not_icp', note: 'Not our market.' }, today: '2026-11-20' });
    const [revision] = await db.revisions.toArray();
    expect(revision!.snapshot.lead).toMatchObject({ name: 'Jane Doe', company: 'Initech', title: 'VP Operations', crmStatus: 'Open - Not Contacted' });
    // Scored on the CRM's title (VP), not the page's (Director).
    const rules = revision!.snapshot.score.lines.map((l) => l.ruleId);
    expect(rules).toContain('title_c_level_vp');
    expect(rules).not.toContain('title_director');
    expect(await db.dispositions.get('d1')).toMatchObject({ leadName: 'Jane Doe', company: 'Initech' });
  });

  it('keeps the page’s spelling of the same name (a salutation, case) and flags nothing', async () => {
    const { db, content, panel } = setup();
    await content('page.leadShown', { ref, dom: { name: 'Ms. Jane Doe', company: 'INITECH' } });
    await apiAnswers(db);
    // The API's answer is stored over the page's reading by the refresher; sessions keep what it stored.
    await content('page.leadShown', { ref, dom: { name: 'Ms. Jane Doe', company: 'INITECH' } });
    const s = await panel('panel.getState', {});
    expect(s.lead).toMatchObject({ name: 'Ms. Jane Doe', company: 'INITECH' });
    expect(s.source?.disagreements).toBeUndefined();
  });
});
