// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { loadFixture, withoutCheckVisibility } from '../testing';
import fixture from './fixtures/lead-view.html?raw';
import salesforce, { salesforceIdChecksum, toLeadId18 } from './page';
import { salesforceSelectors } from './selectors';

const ORIGIN = 'https://acme.lightning.force.com';
const LEAD_18 = '00Q5e00000AbCdEEAV';
const LEAD_15 = LEAD_18.slice(0, 15);
const detect = (href: string) => salesforce.detect(new URL(href));

describe('Salesforce lead ids', () => {
  it('computes the 18-character checksum', () => {
    expect(salesforceIdChecksum(LEAD_15)).toBe('EAV');
    expect(salesforceIdChecksum('00Q000000000000')).toBe('EAA'); // the Q of 00Q sets bit 2 of chunk 1
    expect(salesforceIdChecksum('000000000000000')).toBe('AAA');
  });

  it('normalises 15-character ids to 18 and keeps valid 18-character ids', () => {
    expect(toLeadId18(LEAD_15)).toBe(LEAD_18);
    expect(toLeadId18(LEAD_18)).toBe(LEAD_18);
    expect(toLeadId18(`${LEAD_15}eav`)).toBe(LEAD_18); // the suffix is case-insensitive
  });

  it('rejects other prefixes, lengths, characters and bad checksums', () => {
    expect(toLeadId18('0035e00000AbCdEEAV')).toBeNull(); // Contact
    expect(toLeadId18('00q5e00000AbCdEEAV')).toBeNull(); // prefix is case-sensitive
    expect(toLeadId18('00Q5e00000AbCd')).toBeNull();
    expect(toLeadId18('00Q5e00000AbCdEE')).toBeNull(); // 16
    expect(toLeadId18('00Q5e00000AbCdEEAVX')).toBeNull(); // 19
    expect(toLeadId18('00Q5e00000AbCd-EAV')).toBeNull();
    expect(toLeadId18('00Q5e00000AbCdEAAA')).toBeNull(); // wrong checksum
  });
});

describe('Salesforce lead page detection (URL only)', () => {
  it.each([
    `${ORIGIN}/lightning/r/Lead/${LEAD_18}/view`,
    `${ORIGIN}/lightning/r/Lead/${LEAD_15}/view`,
    `${ORIGIN}/lightning/r/${LEAD_18}/view`,
    `${ORIGIN}/lightning/r/${LEAD_15}/view`,
    `${ORIGIN}/lightning/r/Lead/${LEAD_18}/view/`,
    `${ORIGIN}/lightning/r/Lead/${LEAD_18}/view?ws=%2Flightning%2Fr%2FLead%2F${LEAD_18}%2Fview`,
    `${ORIGIN}/lightning/r/Lead/${LEAD_18}/view#details`,
    `${ORIGIN}/lightning/r/lead/${LEAD_18}/view`,
    `https://acme--uat.sandbox.lightning.force.com/lightning/r/Lead/${LEAD_18}/view`,
    `https://agency.lightning.force.mil/lightning/r/Lead/${LEAD_18}/view`,
    `https://acme.lightning.force.com.mcas.ms/lightning/r/Lead/${LEAD_18}/view`,
  ])('%s is a lead page', (href) => {
    const ref = detect(href);
    expect(ref).toMatchObject({ crm: 'salesforce', recordId: LEAD_18, objectType: 'Lead' });
    expect(ref?.host).toBe(new URL(href).host);
  });

  it('gives a canonical link, the host and the org', () => {
    expect(detect(`${ORIGIN}/lightning/r/${LEAD_15}/view?foo=1`)).toEqual({
      crm: 'salesforce',
      recordId: LEAD_18,
      objectType: 'Lead',
      url: `${ORIGIN}/lightning/r/Lead/${LEAD_18}/view`,
      host: 'acme.lightning.force.com',
      account: 'acme.lightning.force.com',
    });
    expect(detect(`https://acme.lightning.force.com.mcas.ms/lightning/r/Lead/${LEAD_18}/view`)?.account).toBe(
      'acme.lightning.force.com',
    );
  });

  it.each([
    [`${ORIGIN}/lightning/o/Lead/list`, 'Lead list view'],
    [`${ORIGIN}/lightning/o/Lead/list?filterName=Recent`, 'Lead list view with filter'],
    [`${ORIGIN}/lightning/o/Lead/home`, 'Lead home'],
    [`${ORIGIN}/lightning/o/Lead/new`, 'new Lead form'],
    [`${ORIGIN}/lightning/r/Contact/0035e00000XyZaBQAZ/view`, 'Contact'],
    [`${ORIGIN}/lightning/r/0035e00000XyZaBQAZ/view`, 'Contact by id'],
    [`${ORIGIN}/lightning/r/Account/0015e00000KlMnOQAR/view`, 'Account'],
    [`${ORIGIN}/lightning/r/Opportunity/0065e00000PqRsTQAV/view`, 'Opportunity'],
    [`${ORIGIN}/lightning/r/Contact/${LEAD_18}/view`, 'a Lead id under /r/Contact/'],
    [`${ORIGIN}/lightning/r/Lead/${LEAD_18}/edit`, 'edit form'],
    [`${ORIGIN}/lightning/r/Lead/${LEAD_18}/related/Histories/view`, 'related list'],
    [`${ORIGIN}/lightning/r/Lead/00Q5e00000AbCdEEAA/view`, 'bad checksum'],
    [`${ORIGIN}/lightning/setup/SetupOneHome/home`, 'Setup'],
    [`${ORIGIN}/lightning/setup/ObjectManager/Lead/view`, 'Object Manager'],
    [`${ORIGIN}/lightning/page/home`, 'home page'],
    [`${ORIGIN}/`, 'root'],
    [`http://acme.lightning.force.com/lightning/r/Lead/${LEAD_18}/view`, 'plain http'],
    [`https://acme.my.salesforce.com/lightning/r/Lead/${LEAD_18}/view`, 'My Domain host (not Lightning)'],
    [`https://lightning.force.com.evil.example/lightning/r/Lead/${LEAD_18}/view`, 'look-alike host'],
    [`https://evil-lightning.force.com/lightning/r/Lead/${LEAD_18}/view`, 'not a subdomain of lightning.force.com'],
    [`https://app.hubspot.com/lightning/r/Lead/${LEAD_18}/view`, 'another CRM'],
  ])('%s is not a lead page (%s)', (href) => {
    expect(detect(href)).toBeNull();
  });
});

describe('Salesforce lead page reading (recorded fixture)', () => {
  const ref = detect(`${ORIGIN}/lightning/r/Lead/${LEAD_18}/view`)!;

  beforeEach(() => loadFixture(fixture));

  it('reads the visible record, not the hidden older view', () => {
    expect(salesforce.readLead(document, ref)).toEqual({
      name: 'Ms. Jane Doe',
      company: 'Globex Corporation',
      title: 'VP of Sales',
      email: 'jane.doe@globex.example',
      status: 'Working - Contacted',
    });
  });

  it('the fixture really holds a hidden older view first', () => {
    const names = [...document.querySelectorAll('records-highlights2 lightning-formatted-name')];
    expect(names.map((n) => n.textContent)).toEqual(['Mr. Old Prospect', 'Ms. Jane Doe']);
    expect(names[0]!.checkVisibility()).toBe(false);
  });

  it('finds the active view with one query that stops at its first match, not a walk of the whole page', () => {
    const all = vi.spyOn(document, 'querySelectorAll');
    expect(salesforce.readLead(document, ref)?.name).toBe('Ms. Jane Doe');
    expect(all).not.toHaveBeenCalledWith(salesforceSelectors.highlights);
  });

  it('falls back to the first visible view when the active mark is on a hidden one', () => {
    const views = document.querySelectorAll<HTMLElement>('.oneContent');
    views[0]!.classList.add('active'); // the older view, first in the page, marked active…
    views[0]!.style.display = 'none'; // …but hidden
    expect(salesforce.readLead(document, ref)?.name).toBe('Ms. Jane Doe');
  });

  it('skips views hidden with the hidden attribute when checkVisibility is missing', () => {
    const views = document.querySelectorAll('.oneContent');
    views[0]!.classList.add('active'); // both views would be visible by class now
    views[0]!.setAttribute('hidden', '');
    withoutCheckVisibility(() => {
      expect(typeof document.body.checkVisibility).toBe('undefined');
      expect(salesforce.readLead(document, ref)?.name).toBe('Ms. Jane Doe');
    });
  });

  it('takes the status from the path when the compact layout has no status', () => {
    const active = document.querySelector('.oneContent.active')!;
    const statusItem = [...active.querySelectorAll('records-highlights-details-item')].find((item) =>
      item.textContent?.includes('Lead Status'),
    );
    statusItem!.remove();
    expect(salesforce.readLead(document, ref)?.status).toBe('Working - Contacted');
  });

  it('falls back to the page title for the name while the highlights panel is missing', () => {
    for (const el of document.querySelectorAll('records-highlights2')) el.remove();
    expect(salesforce.readLead(document, ref)).toEqual({ name: 'Jane Doe', status: 'Working - Contacted' });
  });

  it('returns null when the page shows nothing readable', () => {
    document.body.replaceChildren();
    document.title = 'Salesforce';
    expect(salesforce.readLead(document, ref)).toBeNull();
  });
});
