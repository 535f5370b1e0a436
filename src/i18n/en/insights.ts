/**
 * The manager's analyses built in the domain, in English (`InsightsMessages`): the SQL threshold suggestion
 * (`src/domain/calibration.ts`) and the feedback to marketing (`src/domain/feedback.ts`).
 */
export const insights = {
  // SQL threshold suggestion
  calibration: {
    spareCapacity: (min: number, passed: string, capacity: string) =>
      `Spare capacity: even at the minimum of ${min}, ${passed} leads a week would pass, within the team's capacity of ${capacity}.`,
    fitsCapacity: (threshold: number, passed: string, capacity: string, below: number, passedBelow: string) =>
      `${threshold} is the lowest threshold that fits capacity: ${passed} leads a week would pass against a capacity of ${capacity} (at ${below}, ${passedBelow}).`,
    overCapacity: (max: number, passed: string, capacity: string) =>
      `Over capacity: even at the maximum of ${max}, ${passed} leads a week would pass, more than the team's capacity of ${capacity}. Add reps or capacity, or allow a higher maximum.`,
  },

  // Feedback to marketing
  feedback: {
    noValue: (dimension: 'source' | 'campaign') => (dimension === 'campaign' ? 'Leads with no campaign' : 'Leads with no source'),
    group: (dimension: 'source' | 'campaign', value: string) => `Leads from the ${dimension} “${value}”`,
    finding: (group: string, reason: string, share: string, count: number, decided: number) =>
      `${group} are rejected as “${reason}” ${share} of the time (${count} of ${decided} decided)`,
    dataQuality: (intro: string, dimension: 'source' | 'campaign') =>
      `${intro}: the problem is the lead data, not the score. Review how this ${dimension} captures and de-duplicates contacts.`,
    noRule: (intro: string, dimension: 'source' | 'campaign') => `${intro}: no single scoring rule explains these leads. Review who this ${dimension} targets.`,
    lowerRule: (p: {
      intro: string;
      rule: string;
      by: number;
      from: number;
      to: number;
      wouldDrop: number;
      targeted: number;
      mql: number;
      acceptedWouldDrop: number;
      accepted: number;
      dimension: 'source' | 'campaign';
    }) =>
      `${p.intro}: lower “${p.rule}” by ${p.by} (from ${p.from} to ${p.to} points). ` +
      `${p.wouldDrop} of ${p.targeted} such rejections scored on it would have stayed below the MQL threshold of ${p.mql}; ` +
      `${p.acceptedWouldDrop} of ${p.accepted} accepted leads from the same ${p.dimension} would have too.`,
  },
};

export type InsightsMessages = typeof insights;
