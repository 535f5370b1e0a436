import { useEffect, useId, useRef, useState } from 'react';
import type { QualificationConfig } from '../domain/config';
import { outcomes } from '../domain/dispositions';
import { DEFAULT_BANDS } from '../domain/kpis';
import { hasFilters, NO_CONFIG_VERSION, type DispositionFilters, type FilterOptions } from '../store/filters';
import type { DispositionRecord } from '../store/records';
import { bandLabel, frameworkLabel, groupLabel, reasonLabel } from './format';
import { strings as t } from './strings';

export interface FilterBarProps {
  filters: DispositionFilters;
  onChange: (filters: DispositionFilters) => void;
  /** Values present in the store; undefined while loading. */
  options: FilterOptions | undefined;
  config: QualificationConfig;
  /** Search waits this long after the last keystroke. */
  searchDelayMs?: number;
}

const SLA_STATES: DispositionRecord['slaState'][] = ['on_track', 'breached', 'unknown'];

/** Option values are prefixed so that '' ("no campaign") stays different from "any". */
const ANY = '';
const encode = (value: string | number | undefined) => (value === undefined ? ANY : `v:${value}`);
const decode = (value: string) => (value === ANY ? undefined : value.slice(2));

interface Choice {
  value: string | number;
  label: string;
}

function FilterSelect({ label, value, choices, onChange }: { label: string; value: string | number | undefined; choices: Choice[]; onChange: (v: string | undefined) => void }) {
  const id = useId();
  return (
    <div className="lqd-filter">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={encode(value)} onChange={(e) => onChange(decode(e.target.value))}>
        <option value={ANY}>{t.any}</option>
        {choices.map((c) => (
          <option key={String(c.value)} value={encode(c.value)}>
            {c.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function DateFilter({ label, value, onChange }: { label: string; value: string | undefined; onChange: (v: string | undefined) => void }) {
  const id = useId();
  return (
    <div className="lqd-filter">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="date" value={value ?? ''} onChange={(e) => onChange(e.target.value || undefined)} />
    </div>
  );
}

/** The search box keeps its own text and reports it after a pause, so typing does not query per key. */
function SearchFilter({ value, onChange, delayMs }: { value: string | undefined; onChange: (v: string | undefined) => void; delayMs: number }) {
  const id = useId();
  const report = useRef(onChange);
  useEffect(() => {
    report.current = onChange;
  });
  const [text, setText] = useState(value ?? '');
  const [reported, setReported] = useState(value ?? '');
  // Cleared from outside ("Clear filters"): follow it.
  if ((value ?? '') !== reported) {
    setReported(value ?? '');
    setText(value ?? '');
  }
  useEffect(() => {
    if (text === reported) return;
    const timer = setTimeout(() => {
      setReported(text);
      report.current(text.trim() ? text : undefined);
    }, delayMs);
    return () => clearTimeout(timer);
  }, [text, reported, delayMs]);
  return (
    <div className="lqd-filter lqd-filter--search">
      <label htmlFor={id}>{t.search}</label>
      <input id={id} type="search" value={text} placeholder={t.searchPlaceholder} onChange={(e) => setText(e.target.value)} />
    </div>
  );
}

/** The versions present, plus the chosen one while the store no longer has it (so the select still shows it). */
function withSelected(versions: readonly number[], selected: number | undefined): number[] {
  return selected === undefined || versions.includes(selected) ? [...versions] : [...versions, selected].sort((a, b) => a - b);
}

export function FilterBar({ filters, onChange, options, config, searchDelayMs = 300 }: FilterBarProps) {
  const set = <K extends keyof DispositionFilters>(key: K, value: DispositionFilters[K] | undefined) => onChange({ ...filters, [key]: value });
  return (
    <section className="lqd-filters" aria-label={t.filtersLabel}>
      <FilterSelect label={t.rep} value={filters.repId} choices={(options?.reps ?? []).map((r) => ({ value: r.id, label: r.name }))} onChange={(v) => set('repId', v)} />
      <FilterSelect
        label={t.outcome}
        value={filters.outcome}
        choices={outcomes.map((o) => ({ value: o, label: t.outcomes[o] }))}
        onChange={(v) => set('outcome', v as DispositionFilters['outcome'])}
      />
      <FilterSelect
        label={t.reason}
        value={filters.reasonCode}
        choices={(options?.reasonCodes ?? []).map((code) => ({ value: code, label: reasonLabel(config, code) })).sort((a, b) => a.label.localeCompare(b.label))}
        onChange={(v) => set('reasonCode', v)}
      />
      <DateFilter label={t.from} value={filters.from} onChange={(v) => set('from', v)} />
      <DateFilter label={t.to} value={filters.to} onChange={(v) => set('to', v)} />
      <FilterSelect label={t.source} value={filters.source} choices={(options?.sources ?? []).map((s) => ({ value: s, label: groupLabel(s) }))} onChange={(v) => set('source', v)} />
      <FilterSelect label={t.campaign} value={filters.campaign} choices={(options?.campaigns ?? []).map((s) => ({ value: s, label: groupLabel(s) }))} onChange={(v) => set('campaign', v)} />
      <FilterSelect
        label={t.scoreBand}
        value={filters.scoreBand}
        choices={DEFAULT_BANDS.map((b) => ({ value: b, label: bandLabel(b) }))}
        onChange={(v) => set('scoreBand', v === undefined ? undefined : Number(v))}
      />
      <FilterSelect
        label={t.framework}
        value={filters.frameworkId}
        choices={(options?.frameworkIds ?? []).map((id) => ({ value: id, label: frameworkLabel(config, id) }))}
        onChange={(v) => set('frameworkId', v)}
      />
      <FilterSelect
        label={t.sla}
        value={filters.slaState}
        choices={SLA_STATES.map((s) => ({ value: s, label: t.slaStates[s] }))}
        onChange={(v) => set('slaState', v as DispositionFilters['slaState'])}
      />
      <FilterSelect
        label={t.configVersion}
        value={filters.configVersion}
        choices={withSelected(options?.configVersions ?? [], filters.configVersion).map((v) => ({ value: v, label: v === NO_CONFIG_VERSION ? t.beforeVersions : t.configVersionOption(v) }))}
        onChange={(v) => set('configVersion', v === undefined ? undefined : Number(v))}
      />
      <SearchFilter value={filters.search} onChange={(v) => set('search', v)} delayMs={searchDelayMs} />
      <div className="lqd-filter lqd-filter--check">
        {/* The box inside its label: the whole line is the target. */}
        <label>
          <input type="checkbox" checked={filters.revisedOnly ?? false} onChange={(e) => set('revisedOnly', e.target.checked || undefined)} />
          {t.revisedOnly}
        </label>
      </div>
      <div className="lqd-filter lqd-filter--check">
        <label>
          <input type="checkbox" checked={filters.overrideOnly ?? false} onChange={(e) => set('overrideOnly', e.target.checked || undefined)} />
          {t.overrideOnly}
        </label>
      </div>
      <div className="lqd-filter lqd-filter--actions">
        <button type="button" className="lq-button" onClick={() => onChange({})} disabled={!hasFilters(filters)}>
          {t.clearFilters}
        </button>
      </div>
    </section>
  );
}
