// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { axeViolations, renderDashboard, seededDb } from './testing';

afterEach(cleanup);

describe('FeedbackView', () => {
  it('lists rejection reasons by source and campaign, proposes scoring changes, and exports them as JSON', async () => {
    // The seeded trade-show booth brings small companies outside the ICP: "Not ICP fit" stands out there.
    const db = await seededDb(700, 3);
    const { downloads, container } = renderDashboard(db, { initialView: 'feedback' });
    const byCampaign = await screen.findByRole('table', { name: 'By campaign' });
    const booth = within(byCampaign).getByRole('rowheader', { name: 'SaaStr Booth' }).closest('tr')!;
    expect(booth.textContent).toMatch(/Not ICP fit \d+%/);
    expect(within(screen.getByRole('table', { name: 'By source' })).getByRole('rowheader', { name: 'Trade show' })).toBeTruthy();

    const proposals = await screen.findByRole('list', { name: 'Proposals' });
    const items = within(proposals).getAllByRole('listitem');
    const boothProposal = items.find((li) => li.textContent!.includes('campaign “SaaStr Booth” are rejected as “Not ICP fit”'));
    expect(boothProposal?.textContent).toMatch(/^Scoring change Leads from the campaign “SaaStr Booth” are rejected as “Not ICP fit” \d+% of the time \(\d+ of \d+ decided\): lower “.+” by \d+ \(from \d+ to \d+ points\)\./);

    await userEvent.setup().click(screen.getByRole('button', { name: 'Export proposals (JSON)' }));
    expect(downloads[0]!.name).toBe('feedback-proposals-2026-11-20.json');
    const exported = JSON.parse(downloads[0]!.text) as { generatedAt: string; findings: unknown[]; proposals: { kind: string; text: string }[] };
    expect(exported.generatedAt).toBe('2026-11-20T12:00:00.000Z');
    expect(exported.proposals.length).toBe(items.length);
    expect(exported.proposals.map((p) => p.text)).toContain(boothProposal!.textContent!.replace(/^Scoring change /, ''));
    expect(await axeViolations(container)).toEqual([]);
  });

  it('says when nothing stands out', async () => {
    const db = await seededDb(15);
    renderDashboard(db, { initialView: 'feedback' });
    expect(await screen.findByText(/^Nothing stands out/)).toBeTruthy();
  });
});
