import { describe, expect, it } from 'vitest';
import { defaultConfig } from './defaults';
import { REGIONS, regionOfCountry } from './regions';

describe('regions', () => {
  it('names the regions the default ICP speaks of', () => {
    for (const region of defaultConfig().scoring.icp.regions) expect(Object.keys(REGIONS)).toContain(region);
  });

  it('places a country code in its region, in any case', () => {
    expect(regionOfCountry('us')).toBe('North America');
    expect(regionOfCountry('DE')).toBe('Europe');
    expect(regionOfCountry('br')).toBe('Latin America');
    expect(regionOfCountry('jp')).toBe('Asia Pacific');
    expect(regionOfCountry('za')).toBe('Middle East & Africa');
    expect(regionOfCountry('aq')).toBeUndefined();
  });

  it('lists each country in one region only', () => {
    const codes = Object.values(REGIONS).flat();
    expect(new Set(codes).size).toBe(codes.length);
  });
});
