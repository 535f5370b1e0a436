import { describe, expect, it } from 'vitest';
import { crmPages } from '../crm';
import { defineCrmContentScript } from './entrypoint';

describe('one content script per CRM', () => {
  const demo = crmPages.find((page) => page.demoOnly)!;
  const salesforce = crmPages.find((page) => page.id === 'salesforce')!;

  it('matches its own CRM\'s pages only', () => {
    expect(defineCrmContentScript(salesforce, 'production').matches).toEqual(salesforce.matches);
    expect(defineCrmContentScript(salesforce, 'production').runAt).toBe('document_idle');
  });

  it('gives a demo-only CRM no pages outside demo builds (wxt.config.ts then builds no script for it)', () => {
    expect(defineCrmContentScript(demo, 'production').matches).toEqual([]);
    expect(defineCrmContentScript(demo, 'demo').matches).toEqual(demo.matches);
  });
});
