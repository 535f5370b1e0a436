/**
 * The team configuration's validation messages, in English (`ConfigMessages`): the checks of
 * `src/domain/config.ts` and `conditions.ts` that zod cannot say by itself. The options page shows them
 * after the field's path (`scoring.engagementMax: fitMax + engagementMax must be 100 (now 90)`), and the
 * background names the first one when a saved configuration is not valid.
 *
 * Ids, field names and paths come in as arguments and stay as they are: they are the configuration's own.
 * zod's built-in messages ("Too big: expected number to be <=100") are zod's English.
 */
export const config = {
  /** The path of an error about the whole configuration. */
  root: '(root)',
  idFormat: 'use lower-case letters, digits and _ only',
  duplicateFramework: (id: string) => `framework id "${id}" is used twice`,
  notAFramework: (id: string) => `"${id}" is not one of the frameworks`,
  duplicateReasonCode: (code: string) => `reason code "${code}" is used twice`,
  duplicateCriterion: (id: string) => `criterion id "${id}" is used twice`,
  notAReasonCode: (code: string) => `"${code}" is not a reason code`,
  sqlAtAboveCriteria: (criteria: number) => `must be at most the number of criteria (${criteria})`,
  followUpAboveSqlAt: (sqlAt: number) => `must not be above sqlAt (${sqlAt})`,
  duplicateQuestion: (id: string) => `question id "${id}" is used twice`,
  notACriterion: (id: string) => `"${id}" is not a criterion of any framework`,
  weightsNot100: (sum: number) => `fitMax + engagementMax must be 100 (now ${sum})`,
  duplicateRule: (id: string) => `rule id "${id}" is used twice`,
  mqlNotBelowSqlReady: (sqlReady: number) => `must be below thresholds.sqlReady (${sqlReady})`,

  // Conditions and the ICP (src/domain/conditions.ts)
  sizeMinAboveMax: 'min must not be above max',
  rangeNeedsBound: 'a range needs min, max or both',
};

export type ConfigMessages = typeof config;
