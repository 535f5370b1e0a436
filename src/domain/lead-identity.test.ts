import { describe, expect, it } from 'vitest';
import { crmIdentity, disagreements, normalised, pageIdentity } from './lead-identity';

const crm = { name: 'Jane Doe', company: 'Initech', title: 'VP Operations', email: 'jane.doe@initech.example', crmStatus: 'Open - Not Contacted' };

describe('normalised', () => {
  it('ignores surrounding and repeated white space and case; a name also a leading salutation', () => {
    expect(normalised('company', '  Umbrella\u00a0  Analytics ')).toBe('umbrella analytics');
    expect(normalised('email', 'Jane.Doe@Initech.example')).toBe('jane.doe@initech.example');
    expect(normalised('name', 'Ms. Jane  Doe')).toBe('jane doe');
    expect(normalised('name', 'Dr Jane Doe')).toBe('jane doe');
    // Only a name loses a salutation, and only before it.
    expect(normalised('title', 'Dr. of Operations')).toBe('dr. of operations');
    expect(normalised('name', 'Jane Doe, Ms.')).toBe('jane doe, ms.');
  });

  it('keeps characters that make text look the same but are not (direction controls, zero-width space)', () => {
    expect(normalised('name', 'Jane\u200bDoe')).not.toBe(normalised('name', 'Jane Doe'));
    expect(normalised('name', '\u202eeoD enaJ')).not.toBe(normalised('name', 'Jane Doe'));
  });
});

describe('whose reading the lead’s identity is', () => {
  it('before the API answers: what the page shows, over what was known', () => {
    expect(pageIdentity({ name: 'Eve Mallory', status: 'Customer' }, crm)).toEqual({ ...crm, name: 'Eve Mallory', crmStatus: 'Customer' });
  });

  it('after: the CRM’s values, whatever the page shows; empty where the CRM is empty', () => {
    const page = { name: 'Eve Mallory', company: 'Evil Corp', title: 'CEO', email: 'eve@evil.example', status: 'Customer' };
    expect(crmIdentity(crm, page)).toEqual(crm);
    expect(crmIdentity({ ...crm, title: undefined }, page).title).toBeUndefined();
  });

  it('keeps the page’s spelling of a value the CRM has too (normalised), so the header does not change', () => {
    expect(crmIdentity(crm, { name: 'Ms. Jane Doe', company: 'INITECH', email: ' jane.doe@initech.example' })).toEqual({ ...crm, name: 'Ms. Jane Doe', company: 'INITECH', email: ' jane.doe@initech.example' });
    // An empty reading is no spelling.
    expect(crmIdentity(crm, { name: '  ' }).name).toBe('Jane Doe');
  });
});

describe('disagreements', () => {
  it('lists each field the page shows otherwise than the CRM, in name, company, title, email order', () => {
    expect(disagreements(crm, { email: 'eve@evil.example', name: 'Eve Mallory', title: 'VP  operations', company: 'Initech' })).toEqual([
      { field: 'name', page: 'Eve Mallory', crm: 'Jane Doe' },
      { field: 'email', page: 'eve@evil.example', crm: 'jane.doe@initech.example' },
    ]);
  });

  it('says when the CRM has nothing where the page shows something; a field the page leaves out is no disagreement', () => {
    expect(disagreements({ ...crm, title: undefined }, { title: 'CEO' })).toEqual([{ field: 'title', page: 'CEO' }]);
    expect(disagreements(crm, {})).toEqual([]);
    expect(disagreements(crm, undefined)).toEqual([]);
    expect(disagreements(crm, { name: 'Ms. Jane Doe', company: ' ' })).toEqual([]);
  });

  it('does not compare the status (pages show its label, APIs its value)', () => {
    expect(disagreements(crm, { status: 'Working' })).toEqual([]);
  });
});
