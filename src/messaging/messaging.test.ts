import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod/mini';
import { createClient } from './client';
import { CHANNEL, MAX_MESSAGE_BYTES, ProtocolError, type MessageDef } from './envelope';
import { pageProtocol } from './page-protocol';
import { createRouter } from './router';
import { identifySender, type Caller } from './sender';

const protocol = {
  ...pageProtocol,
  'test.echo': { from: ['panel'], request: z.object({ text: z.string().check(z.maxLength(10)) }), response: z.object({ text: z.string() }) },
  'test.broken': { from: ['panel'], request: z.object({}), response: z.object({ n: z.number() }) },
} satisfies Record<string, MessageDef>;

const panel: Caller = { role: 'panel', tabId: 7 };
const content: Caller = { role: 'content', tabId: 7 };
const ref = { crm: 'salesforce', recordId: '00Q5e00000AbCdEEAV', objectType: 'Lead', url: 'https://acme.lightning.force.com/lightning/r/Lead/00Q5e00000AbCdEEAV/view', host: 'acme.lightning.force.com' };

function setup() {
  const shown = vi.fn();
  const route = createRouter(protocol, {
    'page.leadShown': (p, caller) => {
      shown(p, caller);
      return null;
    },
    'page.leadLeft': () => null,
    'page.panelFrame': () => ({ token: '0'.repeat(32), placement: 'page' as const, collapsed: false }),
    'test.echo': (p) => {
      if (p.text === 'boom') throw new Error('internal detail');
      if (p.text === 'nope') throw new ProtocolError('invalid', 'Nope.', [{ path: 'text', message: 'not that' }]);
      return { text: p.text.toUpperCase() };
    },
    'test.broken': () => ({ n: 'not a number' }) as never,
  });
  const envelope = (type: string, payload: unknown) => ({ channel: CHANNEL, type, payload });
  return { route, shown, envelope };
}

describe('router', () => {
  it('runs the handler for a valid message from an allowed sender, with the caller', async () => {
    const { route, shown, envelope } = setup();
    expect(await route(envelope('page.leadShown', { ref, dom: { name: 'Ada' } }), content)).toEqual({ ok: true, data: null });
    expect(shown).toHaveBeenCalledWith({ ref, dom: { name: 'Ada' } }, content);
  });

  it('refuses an unidentified sender before anything else', async () => {
    const { route, shown, envelope } = setup();
    expect(await route(envelope('page.leadShown', { ref, dom: {} }), null)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(shown).not.toHaveBeenCalled();
  });

  it('refuses a message from a role it is not meant for (a panel cannot claim to be the page)', async () => {
    const { route, shown, envelope } = setup();
    expect(await route(envelope('page.leadShown', { ref, dom: {} }), panel)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await route(envelope('test.echo', { text: 'hi' }), content)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(shown).not.toHaveBeenCalled();
  });

  it.each([
    ['not an object', 'hello'],
    ['no channel', { type: 'test.echo', payload: { text: 'x' } }],
    ['another channel', { channel: 'other/1', type: 'test.echo', payload: { text: 'x' } }],
    ['null', null],
  ])('refuses malformed input: %s', async (_name, raw) => {
    const { route } = setup();
    expect(await route(raw, panel)).toMatchObject({ ok: false, error: { code: 'invalid' } });
  });

  it('refuses unknown types, including inherited property names', async () => {
    const { route, envelope } = setup();
    for (const type of ['test.nothing', 'toString', '__proto__', 'constructor']) {
      expect(await route(envelope(type, {}), panel)).toMatchObject({ ok: false, error: { code: 'unknown_type' } });
    }
  });

  it('refuses an invalid payload and says which field', async () => {
    const { route, envelope } = setup();
    const r = await route(envelope('test.echo', { text: 'far too long for ten' }), panel);
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid', issues: [{ path: 'text' }] } });
  });

  it('refuses oversized messages before parsing them', async () => {
    const { route, shown, envelope } = setup();
    const huge = { ref, dom: { name: 'x'.repeat(MAX_MESSAGE_BYTES) } };
    expect(await route(envelope('page.leadShown', huge), content)).toMatchObject({ ok: false, error: { code: 'too_large' } });
    expect(shown).not.toHaveBeenCalled();
  });

  it('refuses data that cannot be serialised (cycles)', async () => {
    const { route } = setup();
    const cyclic: Record<string, unknown> = { channel: CHANNEL, type: 'test.echo' };
    cyclic.payload = cyclic;
    expect(await route(cyclic, panel)).toMatchObject({ ok: false, error: { code: 'invalid' } });
  });

  it('passes a handler’s ProtocolError on, but hides other errors', async () => {
    const { route, envelope } = setup();
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await route(envelope('test.echo', { text: 'nope' }), panel)).toEqual({ ok: false, error: { code: 'invalid', message: 'Nope.', issues: [{ path: 'text', message: 'not that' }] } });
    const hidden = await route(envelope('test.echo', { text: 'boom' }), panel);
    expect(hidden).toEqual({ ok: false, error: { code: 'failed', message: 'Could not handle "test.echo".' } });
  });

  it('checks its own replies too', async () => {
    const { route, envelope } = setup();
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await route(envelope('test.broken', {}), panel)).toMatchObject({ ok: false, error: { code: 'failed' } });
  });
});

describe('client', () => {
  it('round-trips through the router with types and validation on both sides', async () => {
    const { route } = setup();
    const send = createClient(protocol, (m) => route(m, panel));
    expect(await send('test.echo', { text: 'hi' })).toEqual({ text: 'HI' });
  });

  it('refuses to send an invalid payload, without calling the transport', async () => {
    const transport = vi.fn();
    const send = createClient(protocol, transport);
    await expect(send('test.echo', { text: 'x'.repeat(11) })).rejects.toMatchObject({ code: 'invalid', issues: [{ path: 'text' }] });
    expect(transport).not.toHaveBeenCalled();
  });

  it('raises the other side’s error with its field issues', async () => {
    const { route } = setup();
    const send = createClient(protocol, (m) => route(m, panel));
    await expect(send('test.echo', { text: 'nope' })).rejects.toMatchObject({ name: 'ProtocolError', code: 'invalid', message: 'Nope.' });
  });

  it('treats a missing or malformed reply as a failure, and a reply of the wrong shape as invalid', async () => {
    await expect(createClient(protocol, async () => undefined)('test.echo', { text: 'a' })).rejects.toMatchObject({ code: 'failed' });
    await expect(createClient(protocol, async () => ({ ok: true, data: { text: 5 } }))('test.echo', { text: 'a' })).rejects.toMatchObject({ code: 'invalid' });
  });
});

describe('sender check', () => {
  const self = { id: 'ext-id', origin: 'chrome-extension://ext-id' };
  const isCrm = (u: URL) => u.hostname.endsWith('.lightning.force.com');
  const crmUrl = 'https://acme.lightning.force.com/lightning/r/Lead/00Q5e00000AbCdEEAV/view';

  it('knows the content script in a CRM tab’s top frame', () => {
    expect(identifySender({ id: 'ext-id', url: crmUrl, frameId: 0, tab: { id: 3 } }, self, isCrm)).toEqual({ role: 'content', tabId: 3 });
    expect(identifySender({ id: 'ext-id', url: crmUrl, frameId: 0, documentId: 'TOP', documentLifecycle: 'active', tab: { id: 3 } }, self, isCrm)).toEqual({ role: 'content', tabId: 3, documentId: 'TOP' });
  });

  it('knows the panel in a tab, and extension pages', () => {
    expect(identifySender({ id: 'ext-id', url: `${self.origin}/panel.html?crm=salesforce`, frameId: 12, tab: { id: 3 } }, self, isCrm)).toEqual({ role: 'panel', tabId: 3, frameId: 12 });
    // Chrome names the document: the tab's panel binding checks it (ADR 0015).
    expect(identifySender({ id: 'ext-id', url: `${self.origin}/panel.html#t=x`, frameId: 12, documentId: 'DOC', tab: { id: 3 } }, self, isCrm)).toEqual({ role: 'panel', tabId: 3, frameId: 12, documentId: 'DOC' });
    expect(identifySender({ id: 'ext-id', url: `${self.origin}/dashboard.html`, tab: { id: 9 } }, self, isCrm)).toEqual({ role: 'extension_page', tabId: 9 });
    expect(identifySender({ id: 'ext-id', url: `${self.origin}/options.html` }, self, isCrm)).toEqual({ role: 'extension_page', tabId: undefined });
  });

  it.each([
    ['another extension', { id: 'other', url: crmUrl, frameId: 0, tab: { id: 3 } }],
    ['no url', { id: 'ext-id', frameId: 0, tab: { id: 3 } }],
    ['a page that is not a CRM', { id: 'ext-id', url: 'https://evil.example/', frameId: 0, tab: { id: 3 } }],
    ['a sub-frame of the CRM page', { id: 'ext-id', url: crmUrl, frameId: 4, tab: { id: 3 } }],
    ['a panel outside a tab', { id: 'ext-id', url: `${self.origin}/panel.html` }],
    ['a malformed url', { id: 'ext-id', url: 'not a url', frameId: 0, tab: { id: 3 } }],
    ['a panel page without a frame id', { id: 'ext-id', url: `${self.origin}/panel.html`, tab: { id: 3 } }],
    ['a CRM page in the back/forward cache', { id: 'ext-id', url: crmUrl, frameId: 0, documentLifecycle: 'cached', tab: { id: 3 } }],
    ['a CRM page being unloaded', { id: 'ext-id', url: crmUrl, frameId: 0, documentLifecycle: 'pending_deletion', tab: { id: 3 } }],
    // Not shown yet: Chrome gives its frame id as other than 0 (w3c/webextensions#396), but a 0 is refused too.
    ['a prerendered CRM page', { id: 'ext-id', url: crmUrl, frameId: 0, documentLifecycle: 'prerender', tab: { id: 3 } }],
  ])('trusts nothing from %s', (_name, sender) => {
    expect(identifySender(sender, self, isCrm)).toBeNull();
  });
});
