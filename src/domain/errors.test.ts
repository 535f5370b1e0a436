import { describe, expect, it } from 'vitest';
import { messageOf } from './errors';

describe('messageOf', () => {
  it('gives an Error’s message, its subclasses’ too', () => {
    expect(messageOf(new Error('boom'))).toBe('boom');
    expect(messageOf(new TypeError('fetch failed'))).toBe('fetch failed');
    expect(messageOf(new Error(''))).toBe('');
  });

  it('turns anything else thrown into text', () => {
    expect(messageOf('plain')).toBe('plain');
    expect(messageOf(42)).toBe('42');
    expect(messageOf(undefined)).toBe('undefined');
    expect(messageOf(null)).toBe('null');
    expect(messageOf({ message: 'not an Error' })).toBe('[object Object]');
  });
});
