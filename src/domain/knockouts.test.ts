import { describe, expect, it } from 'vitest';
import { findKeyword } from './conditions';
import { defaultConfig } from './defaults';
import { findKnockouts } from './knockouts';
import { leadProfileSchema, type LeadProfileInput } from './lead';
import { icpFit } from './priority';

const config = defaultConfig();
const lead = (f: Partial<LeadProfileInput>) => leadProfileSchema.parse({ crm: 'demo', recordId: 'x', ...f });
const knockoutIds = (f: Partial<LeadProfileInput>) => findKnockouts(lead(f), config).map((h) => h.knockout.id);

describe('knock-outs', () => {
  it('finds none on an ordinary lead', () => {
    expect(knockoutIds({ email: 'ada@acme.example', title: 'Head of IT' })).toEqual([]);
  });

  it('finds competitor, student, job seeker, existing customer and bounced email', () => {
    expect(knockoutIds({ email: 'Bo@RivalCRM.example' })).toEqual(['competitor']);
    expect(knockoutIds({ title: 'PhD student' })).toEqual(['student_job_seeker']);
    expect(knockoutIds({ title: 'Job seeker' })).toEqual(['student_job_seeker']);
    expect(knockoutIds({ existingCustomer: true })).toEqual(['existing_customer']);
    expect(knockoutIds({ activities: [{ type: 'hard_bounce', at: '2026-11-01T00:00:00Z' }] })).toEqual(['bounced']);
  });

  it('reports every knock-out that applies, with what matched', () => {
    const hits = findKnockouts(lead({ email: 'x@competitor.example', existingCustomer: true }), config);
    expect(hits.map((h) => [h.knockout.reasonCode, h.match.source, h.match.detail])).toEqual([
      ['competitor', 'email', 'competitor.example'],
      ['existing_customer', 'existingCustomer', 'marked as a customer in the CRM'],
    ]);
  });

  it('ignores missing or malformed emails instead of matching them', () => {
    expect(knockoutIds({ email: 'no-at-sign' })).toEqual([]);
    expect(knockoutIds({ email: 'trailing@' })).toEqual([]);
  });
});

describe('keyword matching', () => {
  it('matches whole words and phrases, in any case, with punctuation around', () => {
    expect(findKeyword('Sr. VP, Sales', ['vp'])).toBe('vp');
    expect(findKeyword('Head of IT', ['head of'])).toBe('head of');
    expect(findKeyword('MVP', ['vp'])).toBeUndefined();
    expect(findKeyword('Directorate assistant', ['director'])).toBeUndefined();
    expect(findKeyword(undefined, ['vp'])).toBeUndefined();
  });

  it('treats configured words literally, not as patterns', () => {
    expect(findKeyword('C++ lead', ['c++'])).toBe('c++');
    expect(findKeyword('cxx lead', ['c.x'])).toBeUndefined();
  });
});

describe('ICP fit', () => {
  const fit = (f: Partial<LeadProfileInput>) => icpFit(lead(f), config.scoring, config.icpOverride);

  it('is strong when industry and size are in the ICP', () => {
    expect(fit({ industry: 'software', companySize: 200 })).toMatchObject({ level: 'strong', matched: ['industry', 'companySize'] });
  });

  it('is poor when the company size is known and outside it, whatever else matches', () => {
    expect(fit({ industry: 'Software', companySize: 10, region: 'Europe' }).level).toBe('poor');
    expect(fit({ companySize: 6000 }).level).toBe('poor');
  });

  it('is unknown with nothing to judge by, partial otherwise; the size bounds are inclusive', () => {
    expect(fit({}).level).toBe('unknown');
    expect(fit({ industry: 'Retail' }).level).toBe('partial');
    expect(fit({ industry: 'Software', companySize: 50 }).level).toBe('strong');
    expect(fit({ industry: 'Software', companySize: 49 }).level).toBe('poor');
    expect(fit({ industry: 'Software', companySize: 5000 }).level).toBe('strong');
  });
});
