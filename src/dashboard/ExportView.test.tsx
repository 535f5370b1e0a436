// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import Papa from 'papaparse';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../domain/config';
import { axeViolations, renderDashboard, seededDb } from './testing';

afterEach(cleanup);

describe('ExportView', () => {
  it('exports the filtered decisions as CSV, with formulas in notes defused', async () => {
    const db = await seededDb(150);
    const target = (await db.dispositions.where('repId').equals('rep-ana').first())!;
    await db.dispositions.put({ ...target, noteSearch: '=hyperlink("http://evil.example")' });
    const ana = await db.dispositions.where('repId').equals('rep-ana').count();
    const { downloads, container } = renderDashboard(db, { initialView: 'export' });
    const user = userEvent.setup();
    await screen.findByRole('option', { name: 'Ana Souza' });
    await user.selectOptions(screen.getByLabelText('Rep'), 'Ana Souza');
    await user.click(screen.getByRole('button', { name: 'Decisions matching the filters (CSV)' }));
    await waitFor(() => expect(downloads).toHaveLength(1));
    expect(screen.getByRole('status').textContent).toBe(`Downloaded decisions-2026-11-20.csv (${ana}).`);
    expect(downloads[0]!.text.startsWith('\uFEFF')).toBe(true); // so spreadsheets read UTF-8
    const parsed = Papa.parse<string[]>(downloads[0]!.text.slice(1).trim());
    expect(parsed.data[0]!.slice(0, 4)).toEqual(['Disposition id', 'Lead', 'Company', 'CRM']);
    expect(parsed.data).toHaveLength(ana + 1);
    expect(parsed.data.slice(1).every((r) => r[6] === 'Ana Souza')).toBe(true);
    const line = parsed.data.find((r) => r[0] === target.id)!;
    expect(line.at(-1)).toBe(`'=hyperlink("http://evil.example")`);
    expect(await axeViolations(container)).toEqual([]);
  });

  it('exports the team configuration as JSON that validates', async () => {
    const db = await seededDb(5);
    const { downloads } = renderDashboard(db, { initialView: 'export' });
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Team configuration (JSON)' }));
    expect(downloads[0]!.name).toBe('qualification-config-2026-11-20.json');
    expect(parseConfig(JSON.parse(downloads[0]!.text)).ok).toBe(true);
  });
});
