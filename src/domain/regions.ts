/**
 * The world regions lead profiles speak of, by the ISO 3166-1 alpha-2 country codes each covers. The
 * names are the ones the ICP uses (`defaults.ts`, `scoring.icp.regions`), so a lead a CRM places in a
 * country matches the ICP's region rule. CRM modules map a record's country code with `regionOfCountry`;
 * a country not listed keeps its own name.
 */
export const REGIONS: Readonly<Record<string, readonly string[]>> = {
  'North America': ['us', 'ca'],
  'Latin America': ['mx', 'br', 'ar', 'cl', 'co', 'pe', 'uy', 'py', 'bo', 'ec', 've', 'cr', 'pa', 'gt', 'hn', 'sv', 'ni', 'do', 'cu', 'pr'],
  Europe: [
    'gb', 'ie', 'fr', 'de', 'nl', 'be', 'lu', 'ch', 'at', 'it', 'es', 'pt', 'dk', 'se', 'no', 'fi', 'is', 'pl', 'cz', 'sk',
    'hu', 'ro', 'bg', 'gr', 'si', 'hr', 'rs', 'ba', 'me', 'mk', 'al', 'ee', 'lv', 'lt', 'ua', 'md', 'cy', 'mt',
  ],
  'Asia Pacific': ['au', 'nz', 'jp', 'kr', 'cn', 'hk', 'tw', 'sg', 'my', 'th', 'vn', 'ph', 'id', 'in', 'pk', 'bd', 'lk'],
  'Middle East & Africa': ['ae', 'sa', 'qa', 'kw', 'bh', 'om', 'il', 'tr', 'eg', 'za', 'ng', 'ke', 'ma', 'tn', 'gh'],
};

const REGION_OF = new Map(Object.entries(REGIONS).flatMap(([region, codes]) => codes.map((c) => [c, region] as const)));

/** The region of a two-letter country code (any case), or undefined for a code no region lists. */
export function regionOfCountry(code: string): string | undefined {
  return REGION_OF.get(code.toLowerCase());
}
