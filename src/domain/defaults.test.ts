import { describe, expect, it } from 'vitest';
import { parseConfig } from './config';
import { defaultConfig, defaultConfigInput } from './defaults';

describe('default configuration', () => {
  it('is valid and has the five frameworks from the brief', () => {
    const c = defaultConfig();
    expect(c.frameworks.map((f) => f.id)).toEqual(['bant', 'champ', 'meddic', 'meddpicc', 'five_characteristics']);
    expect(parseConfig(defaultConfigInput()).ok).toBe(true);
  });
});
