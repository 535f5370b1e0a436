// @vitest-environment happy-dom
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { ProtocolError } from '../messaging/envelope';
import { overview, renderOptions } from './testing';

afterEach(cleanup);

const region = () => screen.findByRole('region', { name: 'Who you are' });
const connection = {
  crm: 'hubspot',
  apiBase: 'https://api.hubapi.com',
  label: 'HubSpot portal 4412',
  mapping: { statusField: 'hs_lead_status', status: { accept: 'OPEN_DEAL', reject: 'UNQUALIFIED', recycle: 'BAD_TIMING' }, reasonField: '', reasons: {} },
  connectedAt: '2026-11-20T12:00:00.000Z',
  state: 'connected' as const,
  auth: 'token' as const,
};

describe('who you are', () => {
  it('shows the saved name and email and saves changes', async () => {
    const { bg } = renderOptions();
    const user = userEvent.setup();
    const rep = await region();
    const name = within(rep).getByRole('textbox', { name: 'Name' });
    expect((name as HTMLInputElement).value).toBe('Sam Rep');
    expect((within(rep).getByRole('textbox', { name: 'Work email' }) as HTMLInputElement).value).toBe('sam@acme.example');
    await user.clear(name);
    await user.type(name, '  Samira Rep ');
    await user.click(within(rep).getByRole('button', { name: 'Save name and email' }));
    expect(await within(rep).findByText('Saved. Decisions the CRM cannot sign are signed with this name.')).toBeTruthy();
    expect(bg.sent('options.setRep')).toEqual([{ name: 'Samira Rep', email: 'sam@acme.example' }]);
  });

  it('names the CRM user each connection signs as, and says why it asks when a CRM cannot say', async () => {
    renderOptions({
      overview: overview({
        rep: null,
        connections: [
          { ...connection, crm: 'salesforce', label: 'Acme org', auth: 'oauth', user: { id: '005xx0000012345AAA', name: 'Ana Souza', email: 'ana@acme.example' }, userCheckedAt: '2026-11-20T12:00:00.000Z' },
          { ...connection, userCheckedAt: '2026-11-20T12:00:00.000Z' },
        ],
      }),
    });
    const rep = await region();
    expect(within(rep).getByText('Acme org: signed in as Ana Souza (ana@acme.example).')).toBeTruthy();
    expect(within(rep).getByText('HubSpot portal 4412 does not say which user this connection belongs to (a private-app token has no user behind it).')).toBeTruthy();
    expect(within(rep).getByText(/Where the CRM cannot say who you are/)).toBeTruthy();
    expect(within(rep).getByText('Not given yet: you will be asked before your first decision.')).toBeTruthy();
    expect(rep.textContent).not.toContain('You”');
  });

  it('starts empty when no name was given, and asks for both fields', async () => {
    const { bg } = renderOptions({ overview: overview({ rep: null }) });
    const user = userEvent.setup();
    const rep = await region();
    expect((within(rep).getByRole('textbox', { name: 'Name' }) as HTMLInputElement).value).toBe('');
    await user.click(within(rep).getByRole('button', { name: 'Save name and email' }));
    expect(within(rep).getByText('Enter your name.')).toBeTruthy();
    expect(within(rep).getByText('Enter your work email, e.g. ana@example.com.')).toBeTruthy();
    expect(within(rep).getByRole('textbox', { name: 'Name' }).getAttribute('aria-invalid')).toBe('true');
    expect(bg.sent('options.setRep')).toEqual([]);

    await user.type(within(rep).getByRole('textbox', { name: 'Name' }), 'Sam Rep');
    await user.type(within(rep).getByRole('textbox', { name: 'Work email' }), 'sam@acme.example{Enter}');
    expect(await within(rep).findByText('Saved. Decisions the CRM cannot sign are signed with this name.')).toBeTruthy();
    expect(bg.sent('options.setRep')).toEqual([{ name: 'Sam Rep', email: 'sam@acme.example' }]);
  });

  it('shows the background’s error', async () => {
    renderOptions({
      handlers: {
        'options.setRep': () => {
          throw new ProtocolError('failed', 'The browser’s storage is full. Free some space and try again.');
        },
      },
    });
    const user = userEvent.setup();
    const rep = await region();
    await user.click(within(rep).getByRole('button', { name: 'Save name and email' }));
    expect((await within(rep).findByRole('alert')).textContent).toContain('The browser’s storage is full.');
  });
});
