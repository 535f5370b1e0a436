// @vitest-environment happy-dom
import { cleanup, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { dispositionDeadline, speedToLead } from '../../domain/sla';
import { describeTimer, LeadHeader } from './LeadHeader';
import { config, NOW, renderUtc } from './testing';

afterEach(cleanup);

const MIN = 60_000;
const sla = config.sla; // contact request 5 min, MQL 4 h, disposition 24 h, due soon at 25 % left
// Contact requested at 11:58: the speed-to-lead deadline is 12:03.
const open = speedToLead({ mqlAt: '2026-11-20T11:58:00Z', contactRequested: true }, sla, NOW)!;

describe('describeTimer', () => {
  it('counts down while on track', () => {
    expect(describeTimer(open, NOW, sla.dueSoonShare)).toEqual({ text: '3 min left', tone: 'ok', dueSoon: false });
  });

  it('turns amber with a "due soon" flag in the last quarter of the window', () => {
    // 12:01:45 → 75 s left = exactly 25 % of 5 min.
    expect(describeTimer(open, NOW + 105_000, sla.dueSoonShare)).toEqual({ text: '1 min left', tone: 'warn', dueSoon: true });
    // One second earlier is still on track.
    expect(describeTimer(open, NOW + 104_000, sla.dueSoonShare).dueSoon).toBe(false);
  });

  it('is on time exactly at the deadline and breached after it, with how long ago', () => {
    expect(describeTimer(open, NOW + 3 * MIN, sla.dueSoonShare).text).toBe('0 s left');
    expect(describeTimer(open, NOW + 3 * MIN + 1000, sla.dueSoonShare)).toEqual({ text: 'Breached 1 s ago', tone: 'bad', dueSoon: false });
    expect(describeTimer(open, NOW + 123 * MIN, sla.dueSoonShare).text).toBe('Breached 2 h ago');
  });

  it('says Met or Missed by for a stopped clock', () => {
    const met = speedToLead({ mqlAt: '2026-11-20T11:58:00Z', firstContactAt: '2026-11-20T12:01:00Z', contactRequested: true }, sla, NOW)!;
    expect(describeTimer(met, NOW, sla.dueSoonShare)).toEqual({ text: 'Met', tone: 'ok', dueSoon: false });
    const missed = speedToLead({ mqlAt: '2026-11-20T11:58:00Z', firstContactAt: '2026-11-20T12:10:00Z', contactRequested: true }, sla, NOW)!;
    expect(describeTimer(missed, NOW, sla.dueSoonShare)).toEqual({ text: 'Missed by 7 min', tone: 'bad', dueSoon: false });
  });
});

describe('LeadHeader', () => {
  const lead = { name: 'Ada Park', company: 'Northwind Health', title: 'Director of Operations', crmStatus: 'Working' };

  it('shows name as the heading, company, title and CRM status', () => {
    renderUtc(<LeadHeader lead={lead} sla={{}} now={NOW} dueSoonShare={0.25} />);
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('Ada Park');
    expect(screen.getByText('Northwind Health')).toBeTruthy();
    expect(screen.getByText('Director of Operations')).toBeTruthy();
    expect(screen.getByText('Working')).toBeTruthy();
    expect(screen.queryByRole('group', { name: 'Service level' })).toBeNull();
  });

  it('shows both SLA timers with text as well as colour', () => {
    const disposition = dispositionDeadline({ firstContactAt: '2026-11-19T10:00:00Z' }, sla, NOW)!; // deadline 20 Nov 10:00, 2 h ago
    renderUtc(<LeadHeader lead={lead} sla={{ speedToLead: open, disposition }} now={NOW} dueSoonShare={0.25} />);
    const timers = within(screen.getByRole('group', { name: 'Service level' }));
    const speed = timers.getByText('Speed-to-lead').parentElement!;
    expect(speed.querySelector('dd')!.textContent).toBe('3 min left (deadline 20 Nov 12:03)');
    expect(speed.className).toContain('lq-sla--ok');
    const dispose = timers.getByText('Time to dispose').parentElement!;
    expect(within(dispose).getByText('Breached 2 h ago')).toBeTruthy();
    expect(dispose.className).toContain('lq-sla--bad');
  });

  it('follows the clock it is given without a new timer', () => {
    const { rerender } = renderUtc(<LeadHeader lead={lead} sla={{ speedToLead: open }} now={NOW} dueSoonShare={0.25} />);
    rerender(<LeadHeader lead={lead} sla={{ speedToLead: open }} now={NOW + 2 * MIN} dueSoonShare={0.25} />);
    expect(screen.getByText('1 min left')).toBeTruthy();
    expect(screen.getByText('Due soon')).toBeTruthy();
  });

  it('renders a hostile name as text, never as markup', () => {
    const hostile = '<img src=x onerror=alert(1)>';
    const { container } = renderUtc(<LeadHeader lead={{ ...lead, name: hostile, company: '<b>Evil</b>' }} sla={{}} now={NOW} dueSoonShare={0.25} />);
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe(hostile);
    expect(screen.getByText('<b>Evil</b>')).toBeTruthy();
    expect(container.querySelector('img, b')).toBeNull();
  });

  it('names a lead without a name', () => {
    renderUtc(<LeadHeader lead={{ name: '  ' }} sla={{}} now={NOW} dueSoonShare={0.25} />);
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('Unnamed lead');
  });
});

describe('LeadHeader: whose reading it shows (ADR 15, finding 3)', () => {
  const lead = { name: 'Maria Garcia', company: 'Umbrella Analytics', title: 'Head of Revenue Operations', recordId: '00Q5e00000AbCdEEAV' };
  const FSI = '\u2068';
  const PDI = '\u2069';

  it('shows the record id, and that the facts are the page’s before the CRM’s API answered', () => {
    const { container } = renderUtc(<LeadHeader lead={lead} source={{ fromCrm: false, crmLabel: 'HubSpot' }} sla={{}} now={NOW} dueSoonShare={0.25} />);
    expect(container.querySelector('.lq-header__record')!.textContent).toBe('Record 00Q5e00000AbCdEEAV · from the page');
    expect(screen.queryByRole('group', { name: 'The page and HubSpot disagree' })).toBeNull();
  });

  it('says the facts are the CRM’s once it answered, and flags each field the page shows otherwise', () => {
    const disagreements = [
      { field: 'name' as const, page: 'Eve Mallory', crm: 'Maria Garcia' },
      { field: 'title' as const, page: 'CEO' },
    ];
    const { container } = renderUtc(<LeadHeader lead={lead} source={{ fromCrm: true, crmLabel: 'HubSpot', disagreements }} sla={{}} now={NOW} dueSoonShare={0.25} />);
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('Maria Garcia');
    expect(container.querySelector('.lq-header__record')!.textContent).toBe('Record 00Q5e00000AbCdEEAV · from HubSpot');
    const flags = within(screen.getByRole('group', { name: 'The page and HubSpot disagree' })).getAllByRole('listitem');
    expect(flags.map((f) => f.textContent)).toEqual([
      `Name: the page shows “${FSI}Eve Mallory${PDI}”, HubSpot says “${FSI}Maria Garcia${PDI}” — using HubSpot’s.`,
      `Title: the page shows “${FSI}CEO${PDI}”, HubSpot has none — using HubSpot’s (none).`,
    ]);
  });

  it('shows what the page says as text: markup stays text, direction controls are shown', () => {
    const disagreements = [{ field: 'name' as const, page: '<img src=x onerror=alert(1)>\u202eecivres', crm: 'Maria Garcia' }];
    const { container } = renderUtc(<LeadHeader lead={{ ...lead, recordId: '<b>1</b>' }} source={{ fromCrm: true, crmLabel: 'HubSpot', disagreements }} sla={{}} now={NOW} dueSoonShare={0.25} />);
    const flag = within(screen.getByRole('group', { name: 'The page and HubSpot disagree' })).getByRole('listitem');
    expect(flag.textContent).toContain(`“${FSI}<img src=x onerror=alert(1)>[U+202E]ecivres${PDI}”`);
    expect(container.querySelector('.lq-header__record')!.textContent).toContain('<b>1</b>');
    expect(container.querySelector('img, b')).toBeNull();
  });
});
