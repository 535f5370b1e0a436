/**
 * The team record on HubSpot (stand-in at the real API host, ADR 11), with three browser profiles of the
 * store build: two reps and a manager, each connected with their own HubSpot user's OAuth token (so the
 * CRM says who they are). Rep A rejects a contact; rep B opens it, sees A's decision before any form and
 * changes it (revision 2 on A's chain); the manager imports both revisions as the reps' browsers stored
 * them, reviews the decision, and the review shows in A's panel. HubSpot records each note's creator.
 */
import type { Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTeamNote } from '../../src/domain/note-format';
import { startHubSpotStandIn, type HubSpotStandIn, type StandInUser } from '../stand-ins/hubspot';
import { CRM_HOSTS, forwardRequest, launchExtension, panelFrame, revisionsIn, sendAsExtensionPage, type ExtensionHarness } from './harness';

let hs: HubSpotStandIn;
let contactId: string;
const people: { user: StandInUser; h: ExtensionHarness }[] = [];

/** A profile connected to the HubSpot stand-in as `user` (the options page's token connect). */
async function personOf(user: StandInUser) {
  const h = await launchExtension();
  await h.context.route('https://api.hubapi.com/**', async (route: Route) => route.fulfill(await forwardRequest(route, hs.url)));
  const reply = await sendAsExtensionPage(h, 'options.connect', { auth: 'token', crm: 'hubspot', token: user.token });
  expect(reply).toMatchObject({ ok: true, data: { user: { id: user.userId, email: user.email } } });
  return { user, h };
}

const panelOf = (page: Page) => panelFrame(page).getByRole('complementary', { name: 'Lead qualification' });
const contactUrl = () => `${CRM_HOSTS.hubspot.origin}/contacts/${hs.portalId}/record/0-1/${contactId}`;
const notesOnContact = () => hs.notes.filter((n) => n.associations.some((a) => a.objectType === 'contacts' && a.id === contactId));

beforeAll(async () => {
  hs = await startHubSpotStandIn({ searchLagMs: 0 });
  contactId = hs.addContact({ firstname: 'Maria', lastname: 'Garcia', email: 'maria.garcia@umbrella.example', jobtitle: 'Head of Revenue Operations', company: 'Umbrella Analytics', numemployees: '100-500', industry: 'COMPUTER_SOFTWARE', hs_lead_status: 'NEW' });
  const users = [
    hs.addUser({ email: 'ana.souza@ourco.example', firstName: 'Ana', lastName: 'Souza' }),
    hs.addUser({ email: 'ben.okoro@ourco.example', firstName: 'Ben', lastName: 'Okoro' }),
    hs.addUser({ email: 'maya.brandt@ourco.example', firstName: 'Maya', lastName: 'Brandt' }),
  ];
  for (const u of users) people.push(await personOf(u));
});
afterAll(async () => {
  await Promise.all(people.map((p) => p.h.close()));
  await hs?.close();
});

describe('the team record on HubSpot', () => {
  it('rep A rejects; HubSpot records her as the note’s creator and owner', async () => {
    const [ana] = people;
    const page = await ana!.h.open(contactUrl());
    const panel = panelOf(page);
    await panel.getByText('No decision on this lead in the CRM yet.').waitFor();
    await panel.getByRole('button', { name: 'Reject', exact: true }).click();
    await panel.getByRole('combobox', { name: 'Reason code' }).selectOption('bad_timing');
    await panel.getByRole('textbox', { name: 'Note' }).fill('Locked into a contract until next autumn.');
    await panel.getByRole('button', { name: 'Save disposition' }).click();
    await panel.getByText('Synced to CRM').waitFor();
    await panel.getByText(/^Decided by Ana Souza, /).waitFor();
    expect(notesOnContact()).toMatchObject([{ createdByUserId: ana!.user.userId, ownerId: ana!.user.ownerId }]);
    await page.close();
  });

  it('rep B sees A’s decision first and changes it: revision 2, by B, on A’s chain', async () => {
    const [, ben] = people;
    const page = await ben!.h.open(contactUrl());
    const panel = panelOf(page);
    await panel.getByRole('region', { name: 'Team record' }).getByText(/^Rejected: Bad timing — Ana Souza, /).waitFor();
    await panel.getByText(/^Decided by Ana Souza, /).waitFor();
    expect(await panel.getByRole('button', { name: 'Reject', exact: true }).count()).toBe(0);
    await panel.getByRole('button', { name: 'Change decision' }).click();
    await panel.getByRole('button', { name: 'Reject', exact: true }).click();
    await panel.getByRole('combobox', { name: 'Reason code' }).selectOption('no_budget');
    await panel.getByRole('textbox', { name: 'Note' }).fill('Spoke to finance: no budget for new tools this year.');
    await panel.getByRole('button', { name: 'Save disposition' }).click();
    await panel.getByText('Synced to CRM').waitFor();
    await panel.getByText(/^Decided by Ben Okoro, /).waitFor();
    const notes = notesOnContact();
    expect(notes.map((n) => n.createdByUserId)).toEqual([people[0]!.user.userId, ben!.user.userId]);
    const parsed = parseTeamNote(notes[1]!.body.replace(/<[^>]+>/g, '\n'));
    expect(parsed).toMatchObject({ ok: true, content: { revision: { rev: 2, author: { id: ben!.user.userId, crm: 'hubspot' } } } });
    await page.close();
  });

  it('the manager imports both revisions as the reps stored them, and her review reaches rep A', async () => {
    const [ana, ben, maya] = people;
    const page = await maya!.h.context.newPage();
    await page.setViewportSize({ width: 1400, height: 1000 });
    await page.goto(`chrome-extension://${maya!.h.extensionId}/dashboard.html`);
    await page.getByRole('button', { name: 'Import from CRM' }).click();
    await page.getByText(/^1 new decision, 1 new revision of a known one, .*, 0 refused, /).waitFor();
    const stored = await revisionsIn(maya!.h);
    expect(stored).toEqual(await revisionsIn(ben!.h));
    expect(stored[0]).toEqual((await revisionsIn(ana!.h))[0]);

    await page.getByRole('table', { name: 'Decisions' }).getByRole('button', { name: /^Open / }).first().click();
    await page.getByText(/^History verified: 2 revisions/).waitFor();
    expect(await page.locator('body').textContent()).not.toMatch(/\bYou\b/);

    await page.getByRole('navigation', { name: 'Dashboard sections' }).getByRole('button', { name: /Review/ }).click();
    const item = page.locator('.lqd-review__body');
    await item.getByRole('radio', { name: 'Disagree' }).check();
    await item.getByLabel('Comment').fill('They have budget in Q3: book a call with the CFO.');
    await item.getByRole('button', { name: 'Save review' }).click();
    await item.getByText('Review saved.').waitFor();
    await expect.poll(() => notesOnContact().length).toBe(3);
    expect(notesOnContact()[2]).toMatchObject({ createdByUserId: maya!.user.userId });

    const anaPage = await ana!.h.open(contactUrl());
    const team = panelOf(anaPage).getByRole('region', { name: 'Team record' });
    await team.getByText(/^Maya Brandt disagrees with “Rejected: No budget”/).waitFor();
    await team.getByText('They have budget in Q3: book a call with the CFO.').waitFor();
    await anaPage.close();
    await page.close();
  });
});
