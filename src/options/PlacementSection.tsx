import { useId, useState } from 'react';
import type { PanelPlacement } from '../messaging/names';
import type { Overview } from '../messaging/options-protocol';
import { errorFeedback, FeedbackView, type Feedback } from './Feedback';
import { strings as t } from './strings';
import type { OptionsSend } from './types';

export interface PlacementSectionProps {
  placement: Overview['placement'];
  send: OptionsSend;
  onSaved?: () => void;
}

/**
 * Where the panel shows (ADR 0020): docked in the CRM page (the default) or in the browser's side panel.
 * Saved as soon as it is chosen (`options.setPlacement`); open CRM tabs follow at once, without a reload.
 */
export function PlacementSection({ placement, send, onSaved }: PlacementSectionProps) {
  const ids = useId();
  const [value, setValue] = useState<PanelPlacement>(placement.value);
  const [feedback, setFeedback] = useState<Feedback>();

  async function choose(next: PanelPlacement) {
    if (next === value || feedback?.kind === 'busy') return;
    const before = value;
    setValue(next);
    setFeedback({ kind: 'busy', message: t.saving });
    try {
      await send('options.setPlacement', { placement: next });
      setFeedback({ kind: 'ok', message: t.placementSaved(next === 'side_panel') });
      onSaved?.();
    } catch (err) {
      setValue(before);
      setFeedback(errorFeedback(err));
    }
  }

  const option = (id: PanelPlacement, label: string, hint: string, disabled = false) => (
    <div className="lq-field">
      <label className="lq-choice">
        <input
          type="radio"
          name={`${ids}-placement`}
          value={id}
          checked={value === id}
          disabled={disabled}
          onChange={() => void choose(id)}
          aria-describedby={`${ids}-${id}-hint`}
        />
        {label}
      </label>
      <p id={`${ids}-${id}-hint`} className="lq-hint">
        {hint}
      </p>
    </div>
  );

  return (
    <section aria-labelledby={`${ids}-h`} className="lq-section">
      <h2 id={`${ids}-h`}>{t.placementHeading}</h2>
      <fieldset aria-labelledby={`${ids}-h`}>
        {option('page', t.placementPage, t.placementPageHint)}
        {option('side_panel', t.placementSidePanel, placement.available ? t.placementSidePanelHint : t.placementUnavailable, !placement.available)}
      </fieldset>
      <FeedbackView feedback={feedback} />
    </section>
  );
}
