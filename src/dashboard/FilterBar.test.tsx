// @vitest-environment happy-dom
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../domain/defaults';
import type { DispositionFilters, FilterOptions } from '../store/filters';
import { FilterBar } from './FilterBar';
import { axeViolations } from './testing';

afterEach(cleanup);

const options: FilterOptions = {
  reps: [{ id: 'rep-ana', name: 'Ana Souza' }],
  sources: ['', 'Webinar'],
  campaigns: ['', 'SaaStr Booth'],
  reasonCodes: ['not_icp', 'bad_timing'],
  frameworkIds: ['bant'],
  configVersions: [0, 2, 3],
};

function Harness({ seen }: { seen: DispositionFilters[] }) {
  const [filters, setFilters] = useState<DispositionFilters>({});
  return (
    <FilterBar
      filters={filters}
      onChange={(f) => {
        seen.push(f);
        setFilters(f);
      }}
      options={options}
      config={defaultConfig()}
      searchDelayMs={10}
    />
  );
}

describe('FilterBar', () => {
  it('labels every control and turns choices into filters ("(none)" is a value, "Any" is no filter)', async () => {
    const seen: DispositionFilters[] = [];
    const { container } = render(<Harness seen={seen} />);
    const user = userEvent.setup();
    expect(screen.getByRole('region', { name: 'Filters' })).toBeTruthy();
    await user.selectOptions(screen.getByLabelText('Campaign'), '(none)');
    expect(seen.at(-1)).toEqual({ campaign: '' });
    await user.selectOptions(screen.getByLabelText('Score band'), '60–79');
    expect(seen.at(-1)).toEqual({ campaign: '', scoreBand: 60 });
    await user.selectOptions(screen.getByLabelText('Reason code'), 'Not ICP fit');
    await user.selectOptions(screen.getByLabelText('Disposition SLA'), 'Breached');
    await user.type(screen.getByLabelText('Decided from'), '2026-10-01');
    await user.click(screen.getByLabelText('Only decisions changed later'));
    expect(seen.at(-1)).toEqual({ campaign: '', scoreBand: 60, reasonCode: 'not_icp', slaState: 'breached', from: '2026-10-01', revisedOnly: true });
    await user.selectOptions(screen.getByLabelText('Campaign'), 'Any');
    expect(seen.at(-1)!.campaign).toBeUndefined();
    expect(await axeViolations(container)).toEqual([]);
  });

  it('filters by the config version a decision was made under ("before versions were recorded" too) and by overrides', async () => {
    const seen: DispositionFilters[] = [];
    const { container } = render(<Harness seen={seen} />);
    const user = userEvent.setup();
    const version = screen.getByLabelText('Config version') as HTMLSelectElement;
    expect([...version.options].map((o) => o.textContent)).toEqual(['Any', 'Before versions were recorded', 'Version 2', 'Version 3']);
    await user.selectOptions(version, 'Version 3');
    expect(seen.at(-1)).toEqual({ configVersion: 3 });
    await user.selectOptions(version, 'Before versions were recorded');
    expect(seen.at(-1)).toEqual({ configVersion: 0 });
    await user.click(screen.getByRole('checkbox', { name: 'Only overrides: decided against the recommendation' }));
    expect(seen.at(-1)).toEqual({ configVersion: 0, overrideOnly: true });
    await user.click(screen.getByRole('checkbox', { name: 'Only overrides: decided against the recommendation' }));
    expect(seen.at(-1)).toEqual({ configVersion: 0, overrideOnly: undefined });
    await user.selectOptions(version, 'Any');
    expect(seen.at(-1)!.configVersion).toBeUndefined();
    expect(await axeViolations(container)).toEqual([]);
  });

  it('reports the search after a pause, and empties the box when the filters are cleared', async () => {
    const seen: DispositionFilters[] = [];
    render(<Harness seen={seen} />);
    // No delay between keys: they go in one task, so the pause can't end mid-word on a busy machine.
    const user = userEvent.setup({ delay: null });
    const box = screen.getByLabelText('Search notes, leads and companies') as HTMLInputElement;
    await user.type(box, 'budget');
    await waitFor(() => expect(seen.at(-1)).toEqual({ search: 'budget' }));
    expect(seen.filter((f) => f.search !== undefined)).toHaveLength(1); // once, not per key
    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(seen.at(-1)).toEqual({});
    await waitFor(() => expect(box.value).toBe(''));
    expect((screen.getByRole('button', { name: 'Clear filters' }) as HTMLButtonElement).disabled).toBe(true);
  });
});
