import { describe, expect, it } from 'vitest';
import { activeCrmPages, contentScriptMatches, crmPages, detectLeadPageIn, leadKey, sameLead } from './index';

const detectLeadPage = (url: URL) => detectLeadPageIn(url, crmPages);
import { matchesPattern } from './match-pattern';

describe('CRM registry', () => {
  it('discovers every src/crm/<name>/page.ts', () => {
    expect(crmPages.map((p) => p.id)).toEqual(expect.arrayContaining(['hubspot', 'salesforce']));
    expect(new Set(crmPages.map((p) => p.id)).size).toBe(crmPages.length);
  });

  it('finds which CRM shows a lead page', () => {
    const sf = detectLeadPage(new URL('https://acme.lightning.force.com/lightning/r/Lead/00Q5e00000AbCdEEAV/view'));
    expect(sf?.page.id).toBe('salesforce');
    const hs = detectLeadPage(new URL('https://app-eu1.hubspot.com/contacts/1234567/record/0-1/987654'));
    expect(hs?.page.id).toBe('hubspot');
    expect(detectLeadPage(new URL('https://example.com/lightning/r/Lead/00Q5e00000AbCdEEAV/view'))).toBeNull();
  });

  it('every lead page a CRM detects is covered by its own match patterns', () => {
    const samples = [
      'https://acme.lightning.force.com/lightning/r/Lead/00Q5e00000AbCdEEAV/view',
      'https://app-eu1.hubspot.com/contacts/1234567/record/0-1/987654',
    ];
    for (const href of samples) {
      const found = detectLeadPage(new URL(href))!;
      expect(found.page.matches.some((p) => matchesPattern(p, new URL(href)))).toBe(true);
    }
  });

  it('match patterns are valid for Chrome and narrow: `*` only as a whole leading label, no broad hosts', () => {
    const all = contentScriptMatches(true);
    expect(all.length).toBeGreaterThan(0);
    expect(new Set(all).size).toBe(all.length);
    for (const pattern of all) {
      expect(pattern).toMatch(/^(https?|\*):\/\/(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)+\/.*$|^http:\/\/localhost\/.*$/);
      expect(pattern).not.toContain('<all_urls>');
    }
  });

  it('real CRMs are matched on https only', () => {
    for (const pattern of contentScriptMatches(false)) expect(pattern).toMatch(/^https:\/\//);
  });

  it('leaves demo-only CRMs out of normal builds', () => {
    const normal = activeCrmPages(false);
    expect(normal.every((p) => !p.demoOnly)).toBe(true);
    const demoMatches = crmPages.filter((p) => p.demoOnly).flatMap((p) => p.matches);
    for (const m of demoMatches) expect(contentScriptMatches(false)).not.toContain(m);
  });

  it('keys a lead by CRM, account and record id', () => {
    const a = detectLeadPage(new URL('https://app.hubspot.com/contacts/1/record/0-1/5'))!.ref;
    const b = detectLeadPage(new URL('https://app.hubspot.com/contacts/2/record/0-1/5'))!.ref;
    const c = detectLeadPage(new URL('https://app.hubspot.com/contacts/1/contact/5/'))!.ref;
    expect(leadKey(a)).toBe('hubspot:1:5');
    expect(sameLead(a, b)).toBe(false);
    expect(sameLead(a, c)).toBe(true);
    expect(sameLead(null, null)).toBe(true);
    expect(sameLead(a, null)).toBe(false);
  });
});

describe('one content script per CRM (wxt.config.ts)', () => {
  // Two CRMs' scripts on one page would both report: one the lead, the other that the page shows none.
  it('no two CRMs match the same page', () => {
    const sample = (pattern: string) => new URL(pattern.replace('*://', 'https://').replace('://*.', '://x.').replace(/\*$/, ''));
    for (const a of crmPages) {
      for (const b of crmPages) {
        if (a === b) continue;
        for (const pattern of a.matches) expect(b.matches.some((p) => matchesPattern(p, sample(pattern))), `${a.id} ${pattern} vs ${b.id}`).toBe(false);
      }
    }
  });
});

describe('match patterns', () => {
  it.each([
    ['https://*.lightning.force.com/*', 'https://acme.lightning.force.com/x', true],
    ['https://*.lightning.force.com/*', 'https://a.b.lightning.force.com/', true],
    ['https://*.lightning.force.com/*', 'https://lightning.force.com/', true],
    ['https://*.lightning.force.com/*', 'https://evillightning.force.com/', false],
    ['https://*.lightning.force.com/*', 'http://acme.lightning.force.com/', false],
    ['https://app.hubspot.com/*', 'https://app.hubspot.com/contacts?x=1', true],
    ['https://app.hubspot.com/*', 'https://app-eu1.hubspot.com/', false],
    ['*://localhost/demo/*', 'http://localhost:5173/demo/leads/1', true],
    ['*://localhost/demo/*', 'ftp://localhost/demo/', false],
    ['*://localhost/demo/*', 'http://localhost/other/demo/', false],
    ['not a pattern', 'https://app.hubspot.com/', false],
  ])('%s vs %s → %s', (pattern, href, expected) => {
    expect(matchesPattern(pattern, new URL(href))).toBe(expected);
  });
});
