import { describe, expect, it } from 'vitest';
import { pageProtocol } from './page-protocol';
import { FRAME_TOKEN_PATTERN, frameTokenHash, frameTokenOf, newFrameToken, requestFrameToken, tokenFromReply } from './frame-token';
import * as z from 'zod/mini';

describe('the panel frame’s token', () => {
  it('is 128 random bits, as the background’s reply schema has it', () => {
    const a = newFrameToken();
    expect(a).toMatch(FRAME_TOKEN_PATTERN);
    expect(newFrameToken()).not.toBe(a);
    expect(newFrameToken((b) => b.fill(255))).toBe('f'.repeat(32));
    expect(z.safeParse(pageProtocol['page.panelFrame'].response, { token: a }).success).toBe(true);
  });

  it('the content script takes a token only from a successful reply of that shape', () => {
    const token = 'ab'.repeat(16);
    expect(tokenFromReply({ ok: true, data: { token } })).toBe(token);
    for (const reply of [
      undefined,
      null,
      'x',
      { ok: false, error: { code: 'forbidden' } },
      { ok: true, data: null },
      { ok: true, data: { token: token.toUpperCase() } },
      { ok: true, data: { token: `${token}#x` } },
      { ok: true, data: { token: '"><img src=x onerror=alert(1)>' } },
      { ok: true, data: { token: 5 } },
    ]) {
      expect(tokenFromReply(reply)).toBeNull();
    }
  });

  it('asks with a message of the protocol, and gives null when the background cannot be reached', async () => {
    const sent: unknown[] = [];
    await expect(requestFrameToken(async (m) => (sent.push(m), { ok: true, data: { token: '0'.repeat(32) } }))).resolves.toBe('0'.repeat(32));
    expect(sent).toEqual([{ channel: 'lead-qualifier/1', type: 'page.panelFrame', payload: {} }]);
    await expect(requestFrameToken(() => Promise.reject(new Error('Could not establish connection.')))).resolves.toBeNull();
    await expect(
      requestFrameToken(() => {
        throw new Error('Extension context invalidated.');
      }),
    ).resolves.toBeNull();
  });

  it('travels in the panel address’s fragment; a fragment someone else wrote gives whatever it says, cut short', () => {
    expect(frameTokenOf(frameTokenHash('0'.repeat(32)))).toBe('0'.repeat(32));
    expect(frameTokenOf('')).toBe('');
    expect(frameTokenOf('#made-up')).toBe('');
    expect(frameTokenOf(`#t=${'x'.repeat(500)}`)).toHaveLength(100);
  });
});
