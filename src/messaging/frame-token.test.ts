import { describe, expect, it } from 'vitest';
import { pageProtocol } from './page-protocol';
import { FRAME_TOKEN_PATTERN, frameFromReply, frameTokenHash, frameTokenOf, newFrameToken, requestPanelFrame } from './frame-token';
import * as z from 'zod/mini';

describe('the panel frame’s token', () => {
  it('is 128 random bits, as the background’s reply schema has it', () => {
    const a = newFrameToken();
    expect(a).toMatch(FRAME_TOKEN_PATTERN);
    expect(newFrameToken()).not.toBe(a);
    expect(newFrameToken((b) => b.fill(255))).toBe('f'.repeat(32));
    const response = pageProtocol['page.panelFrame'].response;
    expect(z.safeParse(response, { token: a, placement: 'page', collapsed: false }).success).toBe(true);
    expect(z.safeParse(response, { placement: 'side_panel', collapsed: true }).success).toBe(true);
    expect(z.safeParse(response, { token: 'x', placement: 'page', collapsed: false }).success).toBe(false);
  });

  it('the content script takes a token only from a successful reply of that shape, with the rep’s choices', () => {
    const token = 'ab'.repeat(16);
    const choices = { placement: 'page', collapsed: false } as const;
    expect(frameFromReply({ ok: true, data: { token, ...choices } })).toEqual({ token, ...choices });
    expect(frameFromReply({ ok: true, data: { placement: 'side_panel', collapsed: true } })).toEqual({ token: null, placement: 'side_panel', collapsed: true });
    for (const bad of [token.toUpperCase(), `${token}#x`, '"><img src=x onerror=alert(1)>', 5]) {
      expect(frameFromReply({ ok: true, data: { token: bad, ...choices } })).toEqual({ token: null, ...choices });
    }
    for (const reply of [
      undefined,
      null,
      'x',
      { ok: false, error: { code: 'forbidden' } },
      { ok: true, data: null },
      { ok: true, data: { token } },
      { ok: true, data: { token, placement: 'sidebar', collapsed: false } },
      { ok: true, data: { token, placement: 'page', collapsed: 'yes' } },
    ]) {
      expect(frameFromReply(reply)).toBeNull();
    }
  });

  it('asks with a message of the protocol; a refusal is null, no answer at all fails (the caller may ask again)', async () => {
    const sent: unknown[] = [];
    const data = { token: '0'.repeat(32), placement: 'page', collapsed: true };
    await expect(requestPanelFrame(async (m) => (sent.push(m), { ok: true, data }))).resolves.toEqual(data);
    expect(sent).toEqual([{ channel: 'lead-qualifier/1', type: 'page.panelFrame', payload: {} }]);
    await expect(requestPanelFrame(async () => ({ ok: false, error: { code: 'forbidden' } }))).resolves.toBeNull();
    await expect(requestPanelFrame(async () => ({ ok: true, data: { token: 'x' } }))).resolves.toBeNull();
    await expect(requestPanelFrame(async () => ({ ok: false, error: { code: 'failed' } }))).rejects.toThrow('No answer');
    await expect(requestPanelFrame(async () => undefined)).rejects.toThrow('No answer');
    await expect(requestPanelFrame(() => Promise.reject(new Error('Could not establish connection.')))).rejects.toThrow('Could not establish');
    await expect(
      requestPanelFrame(() => {
        throw new Error('Extension context invalidated.');
      }),
    ).rejects.toThrow('invalidated');
  });

  it('travels in the panel address’s fragment; a fragment someone else wrote gives whatever it says, cut short', () => {
    expect(frameTokenOf(frameTokenHash('0'.repeat(32)))).toBe('0'.repeat(32));
    expect(frameTokenOf('')).toBe('');
    expect(frameTokenOf('#made-up')).toBe('');
    expect(frameTokenOf(`#t=${'x'.repeat(500)}`)).toHaveLength(100);
  });
});
