/** The lead qualification panel's presentational components. Data in through props, actions out through callbacks. */
export { Panel, type PanelProps } from './Panel';
export { LeadHeader, describeTimer, type LeadHeaderProps } from './LeadHeader';
export { Checklist, type ChecklistProps } from './Checklist';
export { CallSection, CallTimer, type CallSectionProps } from './CallMode';
export { Discovery, type DiscoveryProps } from './Discovery';
export { ScoreBreakdown, type ScoreBreakdownProps } from './ScoreBreakdown';
export { RecommendationCard, type RecommendationCardProps } from './RecommendationCard';
export { DispositionForm, type DispositionConfig, type DispositionFormProps } from './DispositionForm';
export { SavedDecision, decisionHeadline, syncText, type SavedDecisionProps } from './SavedDecision';
export { FormatProvider, makeFormatter, type FormatOptions, type Formatter } from './format';
export { strings, type PanelStrings } from './strings';
export type { AnswerInput, CallActions, CallView, OnAnswer, OnSave, SavedDecisionInfo, SyncState } from './types';
