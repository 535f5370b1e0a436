// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { loadFixture, withoutCheckVisibility } from '../testing';
import fixture from './fixtures/contact-record.html?raw';
import hubspot from './page';

const ORIGIN = 'https://app-eu1.hubspot.com';
const detect = (href: string) => hubspot.detect(new URL(href));

describe('HubSpot lead page detection (URL only)', () => {
  it.each([
    [`${ORIGIN}/contacts/1234567/record/0-1/987654`, 'contact', '987654'],
    [`${ORIGIN}/contacts/1234567/record/0-1/987654/`, 'contact', '987654'],
    [`${ORIGIN}/contacts/1234567/record/0-1/987654?eschref=%2Fcontacts%2F1234567`, 'contact', '987654'],
    [`${ORIGIN}/contacts/1234567/record/0-1/987654#activity`, 'contact', '987654'],
    [`${ORIGIN}/contacts/1234567/record/0-136/555`, 'lead', '555'],
    [`${ORIGIN}/contacts/1234567/contact/987654`, 'contact', '987654'],
    [`${ORIGIN}/contacts/1234567/contact/987654/`, 'contact', '987654'],
    ['https://app.hubspot.com/contacts/1234567/record/0-1/987654', 'contact', '987654'],
    ['https://app-na2.hubspot.com/contacts/1234567/record/0-1/987654', 'contact', '987654'],
    ['https://app-ap1.hubspot.com/contacts/1234567/record/0-136/42', 'lead', '42'],
  ])('%s is a %s page', (href, objectType, recordId) => {
    expect(detect(href)).toMatchObject({ crm: 'hubspot', objectType, recordId, account: '1234567' });
  });

  it('gives a canonical link, the host and the portal', () => {
    expect(detect(`${ORIGIN}/contacts/1234567/contact/987654?foo=bar`)).toEqual({
      crm: 'hubspot',
      recordId: '987654',
      objectType: 'contact',
      url: `${ORIGIN}/contacts/1234567/record/0-1/987654`,
      host: 'app-eu1.hubspot.com',
      account: '1234567',
    });
  });

  it.each([
    [`${ORIGIN}/contacts/1234567/objects/0-1/views/all/list`, 'contact list'],
    [`${ORIGIN}/contacts/1234567/objects/0-136/views/all/board`, 'leads board'],
    [`${ORIGIN}/contacts/1234567/record/0-2/111`, 'company'],
    [`${ORIGIN}/contacts/1234567/record/0-3/222`, 'deal'],
    [`${ORIGIN}/contacts/1234567/record/0-5/333`, 'ticket'],
    [`${ORIGIN}/contacts/1234567/company/111`, 'legacy company'],
    [`${ORIGIN}/contacts/1234567/record/0-1/`, 'no record id'],
    [`${ORIGIN}/contacts/1234567/record/0-1/abc`, 'non-numeric id'],
    [`${ORIGIN}/contacts/portal/record/0-1/987654`, 'non-numeric portal'],
    [`${ORIGIN}/contacts/1234567/record/0-1/987654/edit`, 'a sub-page'],
    [`${ORIGIN}/reports-dashboard/1234567/view/1`, 'reports'],
    [`${ORIGIN}/`, 'root'],
    ['http://app.hubspot.com/contacts/1234567/record/0-1/987654', 'plain http'],
    ['https://www.hubspot.com/contacts/1234567/record/0-1/987654', 'marketing site'],
    ['https://app-xx9.hubspot.com.evil.example/contacts/1234567/record/0-1/987654', 'look-alike host'],
    ['https://acme.lightning.force.com/contacts/1234567/record/0-1/987654', 'another CRM'],
  ])('%s is not a lead page (%s)', (href) => {
    expect(detect(href)).toBeNull();
  });
});

describe('HubSpot record reading (recorded fixture)', () => {
  const ref = detect(`${ORIGIN}/contacts/1234567/record/0-1/987654`)!;

  beforeEach(() => loadFixture(fixture));

  it('reads the highlight card and the property card', () => {
    expect(hubspot.readLead(document, ref)).toEqual({
      name: 'Maria Garcia',
      company: 'Umbrella Analytics',
      title: 'Head of Revenue Operations',
      email: 'maria.garcia@umbrella.example',
      status: 'Open',
    });
  });

  it('works without checkVisibility too', () => {
    withoutCheckVisibility(() => expect(hubspot.readLead(document, ref)?.name).toBe('Maria Garcia'));
  });

  it('ignores a hidden earlier record', () => {
    const card = document.querySelector('[data-selenium-test="highlight-card"]')!;
    const stale = card.cloneNode(true) as Element;
    stale.querySelector('[data-selenium-test="highlightTitle"]')!.textContent = 'Stale Person';
    stale.setAttribute('style', 'display: none');
    card.before(stale);
    expect(hubspot.readLead(document, ref)?.name).toBe('Maria Garcia');
  });

  it('takes the email from the highlight card when the property card is collapsed', () => {
    document.querySelector('[data-selenium-test="about-this-contact-card"]')!.remove();
    expect(hubspot.readLead(document, ref)).toEqual({ name: 'Maria Garcia', email: 'maria.garcia@umbrella.example' });
  });

  it('falls back to the page title for the name', () => {
    document.querySelector('[data-selenium-test="highlightTitle"]')!.remove();
    expect(hubspot.readLead(document, ref)?.name).toBe('Maria Garcia');
  });

  it('returns null when the page shows nothing readable', () => {
    document.body.replaceChildren();
    document.title = 'HubSpot';
    expect(hubspot.readLead(document, ref)).toBeNull();
  });
});
