import { describe, expect, it } from 'vitest';
import { declaredHosts } from '../crm/api-hosts';
import { defaultModules, grantedFor, hostOfPattern, hostsFor, signInHosts } from './hosts';

describe('API hosts to ask for', () => {
  it('come from each CRM folder and its API module', () => {
    expect(declaredHosts('hubspot')).toEqual(['https://api.hubapi.com/*', 'https://api.hubspot.com/*']);
    expect(declaredHosts('nowhere')).toEqual([]);
    expect(hostsFor(defaultModules, 'hubspot', 'https://api.hubapi.com/')).toEqual(['https://api.hubapi.com/*']);
    // A CRM without a module (or not in this build): the address's origin.
    expect(hostsFor(() => undefined, 'other', 'https://crm.example.com/api/v2')).toEqual(['https://crm.example.com/*']);
  });

  it('for a sign-in, add the wildcard API hosts unless the login host is itself an API host', () => {
    expect(signInHosts(defaultModules, 'salesforce', 'https://login.salesforce.com')).toEqual([
      'https://login.salesforce.com/*',
      'https://test.salesforce.com/*',
      'https://*.my.salesforce.com/*',
    ]);
    expect(signInHosts(defaultModules, 'salesforce', 'https://acme--uat.sandbox.my.salesforce.com')).toEqual([
      'https://acme--uat.sandbox.my.salesforce.com/*',
      'https://login.salesforce.com/*',
      'https://test.salesforce.com/*',
    ]);
  });

  it('show only the granted patterns that reach a connection’s API', () => {
    const granted = ['https://*.my.salesforce.com/*', 'https://acme.lightning.force.com/*', 'https://login.salesforce.com/*'];
    const needed = hostsFor(defaultModules, 'salesforce', 'https://acme.my.salesforce.com');
    expect(grantedFor(granted, needed, 'https://acme.my.salesforce.com')).toEqual(['https://*.my.salesforce.com/*', 'https://login.salesforce.com/*']);
    expect(grantedFor(granted, [], 'not a url')).toEqual([]);
    expect(hostOfPattern('https://*.my.salesforce.com/*')).toBe('*.my.salesforce.com');
  });
});
