import { createContext, useContext, useMemo, type ReactNode } from 'react';

/**
 * Dates and numbers as the rep reads them. Locale and time zone come from the host (the browser's, in
 * the extension); tests pin them so expectations can be written by hand.
 */

export interface FormatOptions {
  /** BCP 47 locale for dates and numbers. Default `en-GB` ("20 Nov 10:02"), matching the English strings. */
  locale?: string;
  /** IANA time zone; default: the runtime's own. */
  timeZone?: string;
  /** The clock (ms), used to leave out the year for dates in the current year. Default: `Date.now()` at render. */
  now?: number;
}

export interface Formatter {
  /** An instant, e.g. "20 Nov 10:02" (year added when not the current one). */
  dateTime(iso: string): string;
  /** The calendar day of an instant, e.g. "20 Nov". */
  date(iso: string): string;
  /** The time of day of an instant, e.g. "10:02". */
  time(iso: string): string;
  /** A calendar day `YYYY-MM-DD` as picked by the rep (no time zone shift), e.g. "25 Nov 2026". */
  day(isoDay: string): string;
  /** A count, e.g. "10,000". */
  count(n: number): string;
}

const DEFAULT_LOCALE = 'en-GB';

export function makeFormatter({ locale = DEFAULT_LOCALE, timeZone, now }: FormatOptions = {}): Formatter {
  const yearOf = (ms: number) => Number(new Intl.DateTimeFormat('en-US', { year: 'numeric', timeZone }).format(ms));
  const currentYear = yearOf(now ?? Date.now());
  const dayMonth = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone });
  const dayMonthYear = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone });
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone });
  const utcDay = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  const number = new Intl.NumberFormat(locale);

  const parse = (iso: string): number | undefined => {
    const ms = Date.parse(iso);
    return Number.isNaN(ms) ? undefined : ms;
  };
  const date = (iso: string) => {
    const ms = parse(iso);
    if (ms === undefined) return iso;
    return (yearOf(ms) === currentYear ? dayMonth : dayMonthYear).format(ms);
  };
  return {
    date,
    time(iso) {
      const ms = parse(iso);
      return ms === undefined ? iso : time.format(ms);
    },
    dateTime(iso) {
      const ms = parse(iso);
      return ms === undefined ? iso : `${date(iso)} ${time.format(ms)}`;
    },
    day(isoDay) {
      const ms = /^\d{4}-\d{2}-\d{2}$/.test(isoDay) ? parse(`${isoDay}T00:00:00Z`) : undefined;
      return ms === undefined ? isoDay : utcDay.format(ms);
    },
    count: (n) => number.format(n),
  };
}

const FormatContext = createContext<Formatter | undefined>(undefined);

export function FormatProvider({ children, locale, timeZone, now }: FormatOptions & { children: ReactNode }) {
  const value = useMemo(() => makeFormatter({ locale, timeZone, now }), [locale, timeZone, now]);
  return <FormatContext.Provider value={value}>{children}</FormatContext.Provider>;
}

const fallback = makeFormatter();

/** The formatter from the nearest `FormatProvider` (the panel sets one up), or the defaults. */
export function useFormat(): Formatter {
  return useContext(FormatContext) ?? fallback;
}

/** Signed points with a real minus sign: "+15", "−7", "0". */
export function signedPoints(points: number): string {
  if (points > 0) return `+${points}`;
  if (points < 0) return `\u2212${Math.abs(points)}`;
  return '0';
}

/** Calendar-day arithmetic is the domain's, shared with decision validation. */
export { addDays } from '../../domain/lead';
