/**
 * The CRM as the team's shared record (issue 16), with three browser profiles against one demo CRM:
 * rep A (Ana) rejects a lead with reason, note and evidence; rep B (Ben) opens the same lead and sees
 * Ana's decision before any form, and changes it (revision 2, by Ben, on Ana's chain); the manager (Maya)
 * imports from the CRM and audits both revisions exactly as Ana's and Ben's browsers stored them, then
 * reviews the decision, and the review appears in Ana's panel. Nobody is ever called "You".
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoTokenFor, startDemoCrm, type DemoCrm } from '../../scripts/demo-crm/server';
import type { Server } from 'node:http';
import demoApi from '../../src/crm/demo/api';
import { parseTeamNote } from '../../src/domain/note-format';
import { DEMO_EXTENSION_DIR, launchExtension, panelFrame, revisionsIn, storeConnection, type ExtensionHarness } from './harness';

let server: Server;
let crm: DemoCrm;
let url: string;
let leadId: string;
let ana: ExtensionHarness;
let ben: ExtensionHarness;
let maya: ExtensionHarness;

/** A profile signed in to the demo CRM as `userId` (the connection the options page would make). */
async function profileOf(userId: string | undefined): Promise<ExtensionHarness> {
  const h = await launchExtension({ extensionDir: DEMO_EXTENSION_DIR, allow: [url] });
  if (userId) {
    const user = crm.db.users.find((u) => u.id === userId)!;
    await storeConnection(h, 'demo', {
      crm: 'demo',
      apiBase: url,
      label: 'Demo CRM',
      credentials: { kind: 'token', token: demoTokenFor(userId) },
      mapping: demoApi.defaultMapping,
      connectedAt: new Date().toISOString(),
      user: { id: user.id, name: user.name, email: user.email },
      userCheckedAt: new Date().toISOString(),
      state: 'connected',
    });
  }
  return h;
}

const panelOf = (page: Page) => panelFrame(page).getByRole('complementary', { name: 'Lead qualification' });

const notesOnLead = () => crm.db.notes.filter((n) => n.leadId === leadId);

beforeAll(async () => {
  ({ server, crm, url } = await startDemoCrm(0, { seed: 11 }));
  // A lead nobody has decided yet.
  leadId = crm.db.leads.find((l) => !crm.db.notes.some((n) => n.leadId === l.id))!.id;
  // Ana's browser connects itself, as a fresh demo build does (the demo's default user); Ben and Maya
  // are signed in as themselves.
  [ana, ben, maya] = await Promise.all([profileOf(undefined), profileOf('rep-ben'), profileOf('mgr-maya')]);
});
afterAll(async () => {
  await Promise.all([ana, ben, maya].map((h) => h?.close()));
  await new Promise<void>((r) => server?.close(() => r()));
});

describe('the team shares one record in the CRM', () => {
  it('rep A rejects with reason, note and evidence; it reaches the CRM signed with her CRM user', async () => {
    const page = await ana.open(`${url}/leads/${leadId}`);
    const panel = panelOf(page);
    await panel.getByRole('meter', { name: 'Lead score' }).waitFor();
    await panel.getByText('No decision on this lead in the CRM yet.').waitFor();

    await panel.getByRole('radiogroup', { name: 'Budget' }).getByRole('radio', { name: 'Disconfirmed' }).check();
    const evidence = panel.getByRole('textbox', { name: 'Budget evidence' });
    await evidence.fill('“We have nothing until the June budget round.”');
    await evidence.blur();
    // The answer is signed with the CRM user, not a placeholder.
    await panel.getByText(/^Ana Souza, \d/).first().waitFor();
    await panel.getByRole('button', { name: 'Reject', exact: true }).click();
    await panel.getByRole('combobox', { name: 'Reason code' }).selectOption('no_budget');
    await panel.getByRole('textbox', { name: 'Note' }).fill('Budget frozen until June; call back then.');
    await panel.getByRole('button', { name: 'Save disposition' }).click();
    await panel.getByText('Synced to CRM').waitFor();
    await panel.getByText(/^Decided by Ana Souza, /).waitFor();

    const notes = notesOnLead();
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ authorId: 'rep-ana' });
    expect(notes[0]!.body).not.toMatch(/\bYou\b/);
    expect(notes[0]!.body.split('\n')[1]).toMatch(/^Decided by Ana Souza, /);
    await page.close();
  });

  it('rep B sees A’s decision before any form, and changing it adds revision 2 by B', async () => {
    const page = await ben.open(`${url}/leads/${leadId}`);
    const panel = panelOf(page);
    const team = panel.getByRole('region', { name: 'Team record' });
    await team.getByText(/^Rejected: No budget — Ana Souza, /).waitFor();
    await team.getByText('Budget frozen until June; call back then.').waitFor();
    await team.getByText(/^CRM status now: Unqualified/).waitFor();
    // The decision, not the form, comes first.
    await panel.getByText(/^Decided by Ana Souza, /).waitFor();
    expect(await panel.getByRole('button', { name: 'Reject', exact: true }).count()).toBe(0);

    await panel.getByRole('button', { name: 'Change decision' }).click();
    await panel.getByRole('button', { name: 'Reject', exact: true }).click();
    await panel.getByRole('combobox', { name: 'Reason code' }).selectOption('bad_timing');
    await panel.getByRole('textbox', { name: 'Note' }).fill('Talked to their CFO: it is timing, not money. Renewal in June.');
    await panel.getByRole('button', { name: 'Save disposition' }).click();
    await panel.getByText('Synced to CRM').waitFor();
    await panel.getByText(/^Decided by Ben Okoro, /).waitFor();

    const notes = notesOnLead();
    expect(notes).toHaveLength(2);
    expect(notes[1]).toMatchObject({ authorId: 'rep-ben' });
    const [first, second] = notes.map((n) => parseTeamNote(n.body));
    if (!first?.ok || !second?.ok || first.content.kind !== 'decision' || second.content.kind !== 'decision' || first.content.v !== 2 || second.content.v !== 2) throw new Error('expected two decision notes');
    expect(second.content.revision).toMatchObject({ rev: 2, dispositionId: first.content.revision.dispositionId, prevHash: first.content.revision.hash, author: { id: 'rep-ben', name: 'Ben Okoro', crm: 'demo' } });
    await page.close();
  });

  it('the manager imports both revisions at full fidelity, equal to what A’s and B’s browsers stored', async () => {
    const page = await maya.context.newPage();
    await page.setViewportSize({ width: 1400, height: 1000 });
    await page.goto(`chrome-extension://${maya.extensionId}/dashboard.html`);
    await page.getByRole('heading', { level: 1, name: 'Team dashboard' }).waitFor();
    await page.getByRole('button', { name: 'Import from CRM' }).click();
    await page.getByText(/^\d+ new decisions?, .*, 0 refused, /).waitFor();

    const stored = (await revisionsIn(maya)).filter((r) => r.snapshot.lead.recordId === leadId);
    const anas = (await revisionsIn(ana)).filter((r) => r.snapshot.lead.recordId === leadId);
    const bens = (await revisionsIn(ben)).filter((r) => r.snapshot.lead.recordId === leadId);
    expect(stored.map((r) => [r.rev, r.author.name])).toEqual([[1, 'Ana Souza'], [2, 'Ben Okoro']]);
    expect(stored[0]).toEqual(anas[0]);
    expect(stored).toEqual(bens);
    // What Ana saw: her evidence and the frozen score, in the manager's store.
    expect(stored[0]!.snapshot.checklist.answers.budget).toMatchObject({ state: 'disconfirmed', evidence: '“We have nothing until the June budget round.”', by: 'Ana Souza' });
    expect(stored[0]!.snapshot.score.total).toBe(anas[0]!.snapshot.score.total);

    // The dashboard shows the decision with both revisions, reasons and notes.
    await page.getByRole('searchbox', { name: 'Search notes, leads and companies' }).fill('Talked to their CFO');
    await page.locator('p.lqd-count[role="status"]').getByText(/^1 of \d+ decisions$/).waitFor();
    await page.getByRole('table', { name: 'Decisions' }).getByRole('button', { name: /^Open / }).first().click();
    const historyRegion = page.getByRole('region', { name: 'History' });
    await historyRegion.getByText(/Talked to their CFO/).waitFor();
    await historyRegion.getByText(/Budget frozen until June/).first().waitFor();
    await page.getByText(/^History verified: 2 revisions/).waitFor();
    expect(await page.locator('body').textContent()).not.toMatch(/\bYou\b/);
    await page.close();
  });

  it('the manager’s review reaches the CRM and shows in rep A’s panel', async () => {
    const page = await maya.context.newPage();
    await page.setViewportSize({ width: 1400, height: 1000 });
    await page.goto(`chrome-extension://${maya.extensionId}/dashboard.html`);
    await page.getByRole('navigation', { name: 'Dashboard sections' }).getByRole('button', { name: /Review/ }).click();
    // The latest rejection comes first: Ben's revision of this lead.
    const lead = crm.db.leads.find((l) => l.id === leadId)!;
    await page.getByRole('heading', { name: `${lead.firstName} ${lead.lastName}` }).first().waitFor();
    const item = page.locator('.lqd-review__body');
    await item.getByRole('radio', { name: 'Disagree' }).check();
    await item.getByLabel('Comment').fill('Timing is right, but ask about budget owners first.');
    await item.getByRole('button', { name: 'Save review' }).click();
    await item.getByText('Review saved.').waitFor();
    await expect.poll(() => notesOnLead().length).toBe(3);
    expect(notesOnLead()[2]).toMatchObject({ authorId: 'mgr-maya' });
    await page.close();

    const anaPage = await ana.open(`${url}/leads/${leadId}`);
    const team = panelOf(anaPage).getByRole('region', { name: 'Team record' });
    await team.getByText(/^Maya Brandt disagrees with “Rejected: Bad timing”/).waitFor();
    await team.getByText('Timing is right, but ask about budget owners first.').waitFor();
    await anaPage.close();
  });
});
