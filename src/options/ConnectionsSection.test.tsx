// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { ProtocolError } from '../messaging/envelope';
import { hubspotConnection, overview, renderOptions } from './testing';

afterEach(cleanup);

const connections = () => screen.findByRole('region', { name: 'CRM connections' });
const card = async (name: string) => within(await connections()).findByRole('article', { name });

describe('connecting a CRM in three steps', () => {
  it('asks the browser for the API host first, then connects, and shows the new state and granted host', async () => {
    const { bg, events, permissions } = renderOptions();
    const user = userEvent.setup();
    const region = await connections();
    expect(within(await card('HubSpot')).getByText('Not connected')).toBeTruthy();

    // 1. choose the CRM
    await user.click(within(region).getByRole('radio', { name: 'HubSpot' }));
    // 2. paste the token
    await user.type(within(region).getByLabelText('Private-app access token'), 'pat-eu1-123');
    // 3. connect
    await user.click(within(region).getByRole('button', { name: 'Connect to HubSpot' }));

    expect(await within(region).findByText('Connected to HubSpot portal 4412345.')).toBeTruthy();
    expect(events.filter((e) => e !== 'options.getOverview')).toEqual(['permissions.request', 'options.connect']);
    expect(permissions.requests).toEqual([['https://api.hubapi.com/*']]);
    expect(bg.sent('options.connect')).toEqual([{ auth: 'token', crm: 'hubspot', token: 'pat-eu1-123' }]);
    // The token is not kept in the page once the background has it.
    expect((within(region).getByLabelText('Private-app access token') as HTMLInputElement).value).toBe('');

    const hubspot = await card('HubSpot');
    expect(await within(hubspot).findByText('Connected to HubSpot portal 4412345')).toBeTruthy();
    expect(await within(hubspot).findByRole('list', { name: 'Access granted to' })).toBeTruthy();
    expect(within(hubspot).getByText('https://api.hubapi.com/*')).toBeTruthy();
  });

  it('asks for the permission synchronously inside the click (the browser requires a user gesture)', async () => {
    const { permissions, bg } = renderOptions();
    const user = userEvent.setup();
    const region = await connections();
    await user.type(within(region).getByLabelText('Private-app access token'), 'pat-eu1-123');
    // fireEvent dispatches synchronously: the request must have been made before the click returned.
    fireEvent.click(within(region).getByRole('button', { name: 'Connect to HubSpot' }));
    expect(permissions.requests).toEqual([['https://api.hubapi.com/*']]);
    expect(bg.sent('options.connect')).toEqual([]);
    await waitFor(() => expect(bg.sent('options.connect')).toHaveLength(1));
  });

  it('sends nothing when the browser refuses access, and says so', async () => {
    const { bg, events } = renderOptions({ grant: false });
    const user = userEvent.setup();
    const region = await connections();
    await user.type(within(region).getByLabelText('Private-app access token'), 'pat-eu1-123');
    await user.click(within(region).getByRole('button', { name: 'Connect to HubSpot' }));

    const alert = await within(region).findByRole('alert');
    expect(alert.textContent).toContain('did not grant access to api.hubapi.com, so nothing was sent');
    expect(events).toContain('permissions.request');
    expect(bg.sent('options.connect')).toEqual([]);
    // Focus goes to the message, and the token is still there to try again.
    expect(document.activeElement).toBe(alert);
    expect((within(region).getByLabelText('Private-app access token') as HTMLInputElement).value).toBe('pat-eu1-123');
  });

  it('says when the browser cannot ask at all, and sends nothing', async () => {
    const { bg } = renderOptions({ permissionThrows: 'Only permissions specified in the manifest may be requested.' });
    const user = userEvent.setup();
    const region = await connections();
    await user.type(within(region).getByLabelText('Private-app access token'), 'pat');
    await user.click(within(region).getByRole('button', { name: 'Connect to HubSpot' }));
    expect((await within(region).findByRole('alert')).textContent).toContain('The browser could not ask for access: Only permissions specified in the manifest may be requested.');
    expect(bg.sent('options.connect')).toEqual([]);
  });

  it('shows the background’s error when the CRM does not accept the token, and keeps what was typed', async () => {
    const { bg } = renderOptions({
      handlers: {
        'options.connect': () => {
          throw new ProtocolError('failed', 'HubSpot did not accept the connection: Authentication credentials not found. Check the token and its scopes and try again.');
        },
      },
    });
    const user = userEvent.setup();
    const region = await connections();
    await user.type(within(region).getByLabelText('Private-app access token'), 'pat-wrong');
    await user.click(within(region).getByRole('button', { name: 'Connect to HubSpot' }));

    expect((await within(region).findByRole('alert')).textContent).toContain('HubSpot did not accept the connection: Authentication credentials not found.');
    expect(bg.sent('options.connect')).toHaveLength(1);
    expect((within(region).getByLabelText('Private-app access token') as HTMLInputElement).value).toBe('pat-wrong');
    expect(within(await card('HubSpot')).getByText('Not connected')).toBeTruthy();
  });

  it('asks for the token before asking the browser for anything', async () => {
    const { bg, permissions } = renderOptions();
    const user = userEvent.setup();
    const region = await connections();
    await user.click(within(region).getByRole('button', { name: 'Connect to HubSpot' }));
    const token = within(region).getByLabelText('Private-app access token');
    expect(token.getAttribute('aria-invalid')).toBe('true');
    expect(within(region).getByText('Paste the token.')).toBeTruthy();
    expect(document.activeElement).toBe(token);
    expect(permissions.requests).toEqual([]);
    expect(bg.sent('options.connect')).toEqual([]);
  });

  it('signs in to an OAuth CRM with the login host and consumer key, asking for the login and API hosts first', async () => {
    const { bg, events, permissions } = renderOptions({ props: { redirectUri: 'https://lqtestextensionid.chromiumapp.org/' } });
    const user = userEvent.setup();
    const region = await connections();
    await user.click(within(region).getByRole('radio', { name: 'Salesforce' }));
    expect(within(region).getByRole('group', { name: '2. Enter the sign-in details' })).toBeTruthy();
    const host = within(region).getByLabelText('Login host');
    expect((host as HTMLInputElement).value).toBe('https://login.salesforce.com');
    await user.clear(host);
    await user.type(host, 'https://acme.my.salesforce.com');
    await user.type(within(region).getByLabelText('Consumer key'), '3MVG9-key');
    expect(within(region).getByText(/callback URL must be https:\/\/lqtestextensionid\.chromiumapp\.org\//)).toBeTruthy();
    await user.click(within(region).getByRole('button', { name: 'Sign in to Salesforce' }));

    expect(await within(region).findByText('Connected to salesforce org.')).toBeTruthy();
    expect(events.filter((e) => e !== 'options.getOverview')).toEqual(['permissions.request', 'options.connect']);
    // A My Domain login host is where the API is: that host (and the login hosts) only, no wildcard.
    expect(permissions.requests).toEqual([['https://acme.my.salesforce.com/*', 'https://login.salesforce.com/*', 'https://test.salesforce.com/*']]);
    expect(bg.sent('options.connect')).toEqual([{ auth: 'oauth', crm: 'salesforce', loginHost: 'https://acme.my.salesforce.com', clientId: '3MVG9-key' }]);
  });

  it('signing in through login.salesforce.com also asks for the org API hosts (the instance is only known after sign-in)', async () => {
    const { permissions } = renderOptions();
    const user = userEvent.setup();
    const region = await connections();
    await user.click(within(region).getByRole('radio', { name: 'Salesforce' }));
    await user.type(within(region).getByLabelText('Consumer key'), '3MVG9-key');
    await user.click(within(region).getByRole('button', { name: 'Sign in to Salesforce' }));
    expect(permissions.requests).toEqual([['https://login.salesforce.com/*', 'https://test.salesforce.com/*', 'https://*.my.salesforce.com/*']]);
  });

  it('asks for the API address of a CRM without a default one (the demo CRM) and requests that host', async () => {
    const base = overview();
    const { bg, permissions } = renderOptions({
      overview: { ...base, available: [...base.available, { id: 'demo', label: 'Demo CRM', connectWith: 'token', defaultMapping: hubspotConnection.mapping }] },
    });
    const user = userEvent.setup();
    const region = await connections();
    await user.click(within(region).getByRole('radio', { name: 'Demo CRM' }));
    await user.type(within(region).getByLabelText('Private-app access token'), 'demo-token');
    await user.type(within(region).getByLabelText('API address'), 'not a url');
    await user.click(within(region).getByRole('button', { name: 'Connect to Demo CRM' }));
    expect(within(region).getByText(/Enter the address, starting with https:\/\//)).toBeTruthy();
    expect(permissions.requests).toEqual([]);

    await user.clear(within(region).getByLabelText('API address'));
    await user.type(within(region).getByLabelText('API address'), 'http://127.0.0.1:4010');
    await user.click(within(region).getByRole('button', { name: 'Connect to Demo CRM' }));
    await waitFor(() => expect(bg.sent('options.connect')).toEqual([{ auth: 'token', crm: 'demo', token: 'demo-token', apiBase: 'http://127.0.0.1:4010' }]));
    expect(permissions.requests).toEqual([['http://127.0.0.1/*']]); // the demo module's own pattern (match patterns have no port)
  });
});

describe('a connected CRM', () => {
  const connected = () => overview({ connections: [hubspotConnection] });

  it('shows its state and only the hosts granted for its API', async () => {
    renderOptions({ overview: connected(), granted: ['https://api.hubapi.com/*', 'https://app.hubspot.com/*', 'http://127.0.0.1/*'] });
    const hubspot = await card('HubSpot');
    expect(within(hubspot).getByText('Connected to HubSpot portal 4412345')).toBeTruthy();
    expect(within(hubspot).getByText(/Connected 19 Nov 2026, 09:30 · Private-app token/)).toBeTruthy();
    const hosts = await within(hubspot).findByRole('list', { name: 'Access granted to' });
    expect(within(hosts).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['https://api.hubapi.com/*']);
    expect(within(await card('Salesforce')).getByText('Not connected')).toBeTruthy();
  });

  it('offers to grant access again when the API host permission was removed', async () => {
    const { permissions } = renderOptions({ overview: connected(), granted: [] });
    const user = userEvent.setup();
    const hubspot = await card('HubSpot');
    expect(await within(hubspot).findByText(/No access to api\.hubapi\.com/)).toBeTruthy();
    await user.click(within(hubspot).getByRole('button', { name: 'Grant access to HubSpot' }));
    expect(permissions.requests).toEqual([['https://api.hubapi.com/*']]);
    expect(await within(hubspot).findByText('Access granted.')).toBeTruthy();
    expect(await within(hubspot).findByText('https://api.hubapi.com/*')).toBeTruthy();
  });

  it('tests the connection and shows what the CRM answered, or its error', async () => {
    let fail = false;
    const { bg } = renderOptions({
      overview: connected(),
      handlers: {
        'options.testConnection': () => {
          if (fail) throw new ProtocolError('failed', 'HubSpot could not be reached: Failed to fetch');
          return { label: 'HubSpot portal 4412345', account: '4412345' };
        },
      },
    });
    const user = userEvent.setup();
    const hubspot = await card('HubSpot');
    await user.click(within(hubspot).getByRole('button', { name: 'Test connection' }));
    expect(await within(hubspot).findByText('The connection works: HubSpot portal 4412345.')).toBeTruthy();
    expect(bg.sent('options.testConnection')).toEqual([{ crm: 'hubspot' }]);

    fail = true;
    await user.click(within(hubspot).getByRole('button', { name: 'Test connection' }));
    expect((await within(hubspot).findByRole('alert')).textContent).toContain('HubSpot could not be reached: Failed to fetch');
  });

  it('disconnects only after confirmation', async () => {
    const { bg } = renderOptions({ overview: connected() });
    const user = userEvent.setup();
    const hubspot = await card('HubSpot');
    await user.click(within(hubspot).getByRole('button', { name: 'Disconnect' }));
    const confirm = within(hubspot).getByRole('group', { name: /Disconnect HubSpot\?/ });
    expect(document.activeElement).toBe(within(confirm).getByRole('button', { name: 'Cancel' }));
    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(bg.sent('options.disconnect')).toEqual([]);
    await waitFor(() => expect(document.activeElement).toBe(within(hubspot).getByRole('button', { name: 'Disconnect' })));

    await user.click(within(hubspot).getByRole('button', { name: 'Disconnect' }));
    await user.click(within(hubspot).getByRole('button', { name: 'Yes, disconnect' }));
    expect(await within(hubspot).findByText('Disconnected from HubSpot.')).toBeTruthy();
    expect(bg.sent('options.disconnect')).toEqual([{ crm: 'hubspot' }]);
    expect(await within(hubspot).findByText('Not connected')).toBeTruthy();
  });

  it('an expired connection says so, and Reconnect takes the rep to the token field', async () => {
    renderOptions({ overview: overview({ connections: [{ ...hubspotConnection, state: 'expired' }] }) });
    const user = userEvent.setup();
    const hubspot = await card('HubSpot');
    expect(within(hubspot).getByText('Expired — reconnect')).toBeTruthy();
    await user.click(within(await connections()).getByRole('radio', { name: 'Salesforce' }));
    await user.click(within(hubspot).getByRole('button', { name: 'Reconnect HubSpot' }));
    const region = await connections();
    expect((within(region).getByRole('radio', { name: 'HubSpot' }) as HTMLInputElement).checked).toBe(true);
    await waitFor(() => expect(document.activeElement).toBe(within(region).getByLabelText('Private-app access token')));
  });
});

describe('mapping', () => {
  it('saves the status values, reason field and the CRM value per reason code', async () => {
    const { bg } = renderOptions({ overview: overview({ connections: [hubspotConnection] }) });
    const user = userEvent.setup();
    const hubspot = await card('HubSpot');
    const toggle = within(hubspot).getByRole('button', { name: 'Edit mapping for HubSpot' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    await user.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const form = within(hubspot).getByRole('form', { name: 'Mapping for HubSpot' });

    const statuses = within(form).getByRole('group', { name: 'Lead status values' });
    expect((within(statuses).getByLabelText('Accept as SQL') as HTMLInputElement).value).toBe('OPEN_DEAL');
    await user.clear(within(statuses).getByLabelText('Reject'));
    await user.type(within(statuses).getByLabelText('Reject'), 'DISQUALIFIED');
    await user.type(within(form).getByLabelText('Reason field'), 'lq_reason');
    const reasons = within(form).getByRole('group', { name: 'Reason code values' });
    await user.type(within(reasons).getByLabelText('No budget (no_budget)'), 'NO_BUDGET');
    await user.type(within(reasons).getByLabelText('Competitor (competitor)'), '   ');
    await user.click(within(form).getByRole('button', { name: 'Save mapping' }));

    expect(await within(form).findByText('Mapping saved.')).toBeTruthy();
    expect(bg.sent('options.setMapping')).toEqual([
      {
        crm: 'hubspot',
        mapping: { statusField: 'hs_lead_status', status: { accept: 'OPEN_DEAL', reject: 'DISQUALIFIED', recycle: 'BAD_TIMING' }, reasonField: 'lq_reason', reasons: { no_budget: 'NO_BUDGET' } },
      },
    ]);
  });

  it('refuses an empty status value, naming the field, and sends nothing', async () => {
    const { bg } = renderOptions({ overview: overview({ connections: [hubspotConnection] }) });
    const user = userEvent.setup();
    const hubspot = await card('HubSpot');
    await user.click(within(hubspot).getByRole('button', { name: 'Edit mapping for HubSpot' }));
    const form = within(hubspot).getByRole('form', { name: 'Mapping for HubSpot' });
    await user.clear(within(form).getByLabelText('Recycle to nurture'));
    await user.click(within(form).getByRole('button', { name: 'Save mapping' }));
    expect(within(form).getByText('Enter the CRM value for Recycle to nurture.')).toBeTruthy();
    expect(within(form).getByLabelText('Recycle to nurture').getAttribute('aria-invalid')).toBe('true');
    expect(bg.sent('options.setMapping')).toEqual([]);
  });

  it('shows the background’s field-named errors', async () => {
    renderOptions({
      overview: overview({ connections: [hubspotConnection] }),
      handlers: {
        'options.setMapping': () => {
          throw new ProtocolError('invalid', 'Invalid "options.setMapping".', [{ path: 'mapping.statusField', message: 'Too big: expected string to have <=100 characters' }]);
        },
      },
    });
    const user = userEvent.setup();
    const hubspot = await card('HubSpot');
    await user.click(within(hubspot).getByRole('button', { name: 'Edit mapping for HubSpot' }));
    await user.click(within(hubspot).getByRole('button', { name: 'Save mapping' }));
    const alert = await within(hubspot).findByRole('alert');
    expect(within(alert).getByRole('listitem').textContent).toBe('mapping.statusField: Too big: expected string to have <=100 characters');
  });
});
