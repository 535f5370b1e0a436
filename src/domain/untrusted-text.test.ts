import { describe, expect, it } from 'vitest';
import { isolate, showControls } from './untrusted-text';

describe('untrusted text', () => {
  it('shows every direction control as its code point and keeps the rest', () => {
    expect(showControls('\u202Etegdub on - tcejer')).toBe('[U+202E]tegdub on - tcejer');
    expect(showControls('a\u2066b\u2067c\u2068d\u2069e\u200E\u200F\u061C\u202A\u202B\u202C\u202D')).toBe(
      'a[U+2066]b[U+2067]c[U+2068]d[U+2069]e[U+200E][U+200F][U+061C][U+202A][U+202B][U+202C][U+202D]',
    );
    expect(showControls('Ana Souza — مرحبا')).toBe('Ana Souza — مرحبا');
  });

  it('isolates text placed in a sentence, so an unmatched PDI inside cannot close the isolate early', () => {
    const value = isolate('evil\u2069\u202E');
    expect(value).toBe('\u2068evil[U+2069][U+202E]\u2069');
    expect([...value].filter((c) => c === '\u2069')).toHaveLength(1);
  });
});
