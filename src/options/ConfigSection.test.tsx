// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../domain/defaults';
import { ProtocolError } from '../messaging/envelope';
import { ConfigSection } from './ConfigSection';
import { fakeBackground, overview, renderOptions } from './testing';

afterEach(cleanup);

const settings = () => screen.findByRole('region', { name: 'Qualification settings' });
const editor = async () => within(await settings()).getByRole('textbox', { name: 'Team configuration (JSON)' }) as HTMLTextAreaElement;
const editorJson = async () => JSON.parse((await editor()).value) as ReturnType<typeof defaultConfig>;
/** Replaces the editor's text in one change (typing 20 KB key by key would be slow). */
const setEditor = async (text: string) => fireEvent.change(await editor(), { target: { value: text } });

describe('the JSON editor', () => {
  it('holds the current config, pretty-printed, and saves it', async () => {
    const { bg } = renderOptions();
    const user = userEvent.setup();
    const textarea = await editor();
    expect(textarea.value).toBe(`${JSON.stringify(defaultConfig(), null, 2)}\n`);
    expect(textarea.className).toContain('lq-json');

    const changed = defaultConfig();
    changed.thresholds.followUpDays = 3;
    await setEditor(JSON.stringify(changed));
    await user.click(within(await settings()).getByRole('button', { name: 'Save settings' }));
    expect(await within(await settings()).findByText('Saved. New qualifications use these settings.')).toBeTruthy();
    expect(bg.sent('options.saveConfig')).toEqual([{ config: changed }]);
  });

  it('lists the background’s field-named problems and keeps the text as typed', async () => {
    const { bg } = renderOptions();
    const user = userEvent.setup();
    const bad = defaultConfig() as unknown as { scoring: { fitRules: { points: number }[]; fitMax: number } };
    bad.scoring.fitRules[2]!.points = 500;
    bad.scoring.fitMax = 60;
    const text = JSON.stringify(bad, null, 1);
    await setEditor(text);
    await user.click(within(await settings()).getByRole('button', { name: 'Save settings' }));

    const alert = await within(await settings()).findByRole('alert');
    expect(alert.textContent).toContain('The configuration has 2 problems; nothing was changed.');
    expect(within(alert).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'scoring.fitRules[2].points: Too big: expected number to be <=100',
      'scoring.engagementMax: fitMax + engagementMax must be 100 (now 110)',
    ]);
    expect(document.activeElement).toBe(alert);
    expect((await editor()).value).toBe(text);
    expect(bg.sent('options.saveConfig')).toHaveLength(1);
  });

  it('does not send text that is not JSON, and says where it breaks', async () => {
    const { bg } = renderOptions();
    const user = userEvent.setup();
    await setEditor('{\n  "schemaVersion": 1,\n}');
    await user.click(within(await settings()).getByRole('button', { name: 'Save settings' }));
    const alert = await within(await settings()).findByRole('alert');
    expect(alert.textContent).toMatch(/^The text is not valid JSON: .+ \(line 3, column 1\)\. Nothing was saved\.$/);
    expect(bg.sent('options.saveConfig')).toEqual([]);
    // The common-settings fields wait for valid JSON.
    expect(within(await settings()).getByText('The JSON above has an error: fix it to use these fields.')).toBeTruthy();
  });

  it('shows a stored config the background could not use', async () => {
    renderOptions({ overview: overview({ configProblem: 'The saved configuration is not valid (thresholds.mql: must be below thresholds.sqlReady (65)); the defaults are in use until it is fixed.' }) });
    expect(within(await settings()).getByText(/The saved configuration is not valid \(thresholds\.mql/)).toBeTruthy();
  });

  it('resets to the defaults only after confirmation, and refills the editor', async () => {
    const edited = defaultConfig();
    edited.thresholds.sqlReady = 80;
    const { bg } = renderOptions({ overview: overview({ config: edited }) });
    const user = userEvent.setup();
    expect((await editorJson()).thresholds.sqlReady).toBe(80);
    const region = await settings();
    await user.click(within(region).getByRole('button', { name: 'Reset to defaults' }));
    const confirm = within(region).getByRole('group', { name: /Replace the team configuration with the defaults\?/ });
    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(bg.sent('options.resetConfig')).toEqual([]);

    await user.click(within(region).getByRole('button', { name: 'Reset to defaults' }));
    await user.click(within(region).getByRole('button', { name: 'Yes, reset' }));
    expect(await within(region).findByText('The defaults are restored.')).toBeTruthy();
    expect(bg.sent('options.resetConfig')).toEqual([{}]);
    expect((await editorJson()).thresholds.sqlReady).toBe(65);
  });
});

describe('import and export', () => {
  it('exports the editor’s JSON as a file named with its version', async () => {
    const { downloads } = renderOptions();
    const user = userEvent.setup();
    expect(within(await settings()).getByText('Version 1 in use.')).toBeTruthy();
    await user.click(within(await settings()).getByRole('button', { name: 'Export JSON' }));
    expect(downloads).toHaveLength(1);
    expect(downloads[0]!.filename).toBe('lead-qualifier-config-v1.json');
    expect(JSON.parse(downloads[0]!.text)).toEqual(defaultConfig());
    expect(within(await settings()).getByText('Downloaded lead-qualifier-config-v1.json.')).toBeTruthy();

    // A raised version (not saved yet) names the file; a text without one is version 1, written into the file.
    await setEditor(JSON.stringify({ ...defaultConfig(), version: 7 }));
    await user.click(within(await settings()).getByRole('button', { name: 'Export JSON' }));
    expect(downloads[1]!.filename).toBe('lead-qualifier-config-v7.json');
    const { version: _, ...unversioned } = defaultConfig();
    await setEditor(JSON.stringify(unversioned));
    await user.click(within(await settings()).getByRole('button', { name: 'Export JSON' }));
    expect(downloads[2]!.filename).toBe('lead-qualifier-config-v1.json');
    expect(JSON.parse(downloads[2]!.text)).toMatchObject({ version: 1 });
  });

  it('does not export settings that would not import, and names the fields', async () => {
    const { downloads } = renderOptions();
    const user = userEvent.setup();
    await setEditor(JSON.stringify({ ...defaultConfig(), version: 0 }));
    await user.click(within(await settings()).getByRole('button', { name: 'Export JSON' }));
    const alert = await within(await settings()).findByRole('alert');
    expect(alert.textContent).toContain('The settings have 1 problem: fix it before exporting, so the file can be imported.');
    expect(within(alert).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['version: Too small: expected number to be >0']);
    expect(downloads).toEqual([]);
  });

  it('refuses to import a file that is not JSON, with line and column, and leaves the editor alone', async () => {
    const { bg } = renderOptions();
    const user = userEvent.setup();
    const before = (await editor()).value;
    const file = new File(['{\n  "schemaVersion": 1\n  "frameworks": []\n}'], 'team.json', { type: 'application/json' });
    await user.upload(within(await settings()).getByLabelText('Import JSON'), file);
    const alert = await within(await settings()).findByRole('alert');
    expect(alert.textContent).toMatch(/^team\.json is not valid JSON: .+ \(line 3, column 3\)\. The editor was not changed\.$/);
    expect((await editor()).value).toBe(before);
    expect(bg.sent('options.saveConfig')).toEqual([]);
  });

  it('imports a JSON file into the editor without saving it', async () => {
    const { bg } = renderOptions();
    const user = userEvent.setup();
    const imported = defaultConfig();
    imported.thresholds.sqlReady = 72;
    await user.upload(within(await settings()).getByLabelText('Import JSON'), new File([JSON.stringify(imported)], 'team.json', { type: 'application/json' }));
    expect(await within(await settings()).findByText('Imported team.json (version 1). Review it, then choose Save settings.')).toBeTruthy();
    expect((await editor()).value).toBe(`${JSON.stringify(imported, null, 2)}\n`);
    expect(within(await settings()).getByLabelText('SQL-ready threshold')).toHaveProperty('value', '72');
    expect(bg.sent('options.saveConfig')).toEqual([]);
  });
});

describe('importing a configuration file and its version', () => {
  const inUse = (version: number) => ({ ...defaultConfig(), version });
  const file = (config: unknown, name = 'team.json') => new File([JSON.stringify(config)], name, { type: 'application/json' });

  it('refuses a file that is JSON but not a valid configuration, with the fields, and leaves the editor alone', async () => {
    const { bg } = renderOptions();
    const user = userEvent.setup();
    const before = (await editor()).value;
    const bad = { ...defaultConfig(), scoring: { ...defaultConfig().scoring, fitMax: 90 }, nextSteps: [] };
    await user.upload(within(await settings()).getByLabelText('Import JSON'), file(bad));
    const alert = await within(await settings()).findByRole('alert');
    expect(alert.textContent).toContain('team.json is not a valid configuration (2 problems). The editor was not changed.');
    expect(within(alert).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'nextSteps: Too small: expected array to have >=1 items',
      'scoring.engagementMax: fitMax + engagementMax must be 100 (now 140)',
    ]);
    expect((await editor()).value).toBe(before);
    expect(bg.sent('options.saveConfig')).toEqual([]);
  });

  it('asks before loading a file older than the version in use; no keeps the editor as it was', async () => {
    renderOptions({ overview: overview({ config: inUse(7) }) });
    const user = userEvent.setup();
    const region = await settings();
    const before = (await editor()).value;
    await user.upload(within(region).getByLabelText('Import JSON'), file(inUse(3), 'old.json'));
    const ask = await within(region).findByRole('group', { name: /old\.json is version 3, older than the version 7 in use/ });
    expect(document.activeElement).toBe(within(ask).getByRole('button', { name: 'Cancel' }));
    await user.click(within(ask).getByRole('button', { name: 'Cancel' }));
    expect(within(region).getByText('Not imported. The editor was not changed.')).toBeTruthy();
    expect((await editor()).value).toBe(before);

    await user.upload(within(region).getByLabelText('Import JSON'), file(inUse(3), 'old.json'));
    await user.click(await within(region).findByRole('button', { name: 'Load version 3' }));
    expect((await editorJson()).version).toBe(3);
    expect(within(region).getByText('Imported old.json (version 3). Review it, then choose Save settings.')).toBeTruthy();
    expect(within(region).queryByRole('group', { name: /older than/ })).toBeNull();
  });

  it('loads the same or a newer version without asking', async () => {
    renderOptions({ overview: overview({ config: inUse(7) }) });
    const user = userEvent.setup();
    await user.upload(within(await settings()).getByLabelText('Import JSON'), file(inUse(8)));
    expect(await within(await settings()).findByText('Imported team.json (version 8). Review it, then choose Save settings.')).toBeTruthy();
    expect((await editorJson()).version).toBe(8);
  });
});

describe('a configuration managed by the organisation’s policy', () => {
  const policy = () => ({ ...defaultConfig(), version: 12, thresholds: { ...defaultConfig().thresholds, sqlReady: 80 } });

  it('is shown read-only, says why, and nothing on the section can change it', async () => {
    const { bg, downloads } = renderOptions({ overview: overview({ config: policy(), configSource: 'managed' }) });
    const user = userEvent.setup();
    const region = await settings();
    const note = within(region).getByRole('note', { name: 'Managed by your organisation’s policy' });
    expect(note.textContent).toContain('so they cannot be edited, imported or reset here');

    const textarea = await editor();
    expect(textarea.readOnly).toBe(true);
    expect(JSON.parse(textarea.value)).toEqual(policy());
    expect(textarea.getAttribute('aria-describedby')).toContain(note.getAttribute('aria-describedby'));
    const save = within(region).getByRole('button', { name: 'Save settings' }) as HTMLButtonElement;
    const reset = within(region).getByRole('button', { name: 'Reset to defaults' }) as HTMLButtonElement;
    const upload = within(region).getByLabelText('Import JSON') as HTMLInputElement;
    expect([save.disabled, reset.disabled, upload.disabled]).toEqual([true, true, true]);
    expect(save.getAttribute('aria-describedby')).toBe(note.getAttribute('aria-describedby'));

    // The common settings are there to read, inside a disabled fieldset (the browser disables every control in it).
    const sql = within(region).getByLabelText('SQL-ready threshold') as HTMLInputElement;
    expect(sql.value).toBe('80');
    let fieldset = sql.closest('fieldset')!;
    while (fieldset.parentElement?.closest('fieldset')) fieldset = fieldset.parentElement.closest('fieldset')!;
    expect(fieldset.disabled).toBe(true);
    expect(fieldset.contains(within(region).getByRole('button', { name: 'Add reason code' }))).toBe(true);
    await user.type(sql, '5');

    await user.type(textarea, 'x');
    await user.click(save);
    await user.click(reset);
    expect(JSON.parse((await editor()).value)).toEqual(policy());
    expect(bg.sent('options.saveConfig')).toEqual([]);
    expect(bg.sent('options.resetConfig')).toEqual([]);
    expect(within(region).queryByRole('group', { name: /Replace the team configuration/ })).toBeNull();

    // Export still works: the policy's config, named with its version.
    await user.click(within(region).getByRole('button', { name: 'Export JSON' }));
    expect(downloads.map((d) => d.filename)).toEqual(['lead-qualifier-config-v12.json']);
    expect(JSON.parse(downloads[0]!.text)).toEqual(policy());
  });

  it('shows an invalid policy config’s problem and keeps the local config editable', async () => {
    const problem = 'Your organisation’s policy sets a configuration that is not valid (nextSteps: Too small: expected array to have >=1 items). This browser’s own settings are in use until your administrator fixes it.';
    const { bg } = renderOptions({ overview: overview({ configSource: 'local', managedProblem: problem }) });
    const user = userEvent.setup();
    const region = await settings();
    expect(within(region).getByText(problem)).toBeTruthy();
    expect(within(region).queryByRole('note')).toBeNull();
    expect((await editor()).readOnly).toBe(false);
    await user.click(within(region).getByRole('button', { name: 'Save settings' }));
    await waitFor(() => expect(bg.sent('options.saveConfig')).toHaveLength(1));
  });

  it('a refusal from the background (the policy arrived meanwhile) is shown and the text is kept', async () => {
    const { bg } = renderOptions({
      handlers: {
        'options.saveConfig': () => {
          throw new ProtocolError('forbidden', 'Your organisation’s policy sets these settings, so they cannot be changed here. Ask your administrator to change the policy.');
        },
      },
    });
    const user = userEvent.setup();
    const text = JSON.stringify({ ...defaultConfig(), version: 2 });
    await setEditor(text);
    await user.click(within(await settings()).getByRole('button', { name: 'Save settings' }));
    expect((await within(await settings()).findByRole('alert')).textContent).toContain('Your organisation’s policy sets these settings');
    expect((await editor()).value).toBe(text);
    expect(bg.sent('options.saveConfig')).toHaveLength(1);
  });

  it('when the policy arrives or goes while the page is open, the editor follows', async () => {
    const bg = fakeBackground();
    const mine = { ...defaultConfig(), version: 2 };
    const props = { send: bg.send, reload: async () => ({ config: mine }), download: () => undefined };
    const view = render(<ConfigSection {...props} config={mine} />);
    await setEditor(JSON.stringify({ ...mine, version: 3 }));
    view.rerender(<ConfigSection {...props} config={policy()} configSource="managed" />);
    expect(JSON.parse((await editor()).value)).toEqual(policy());
    expect((await editor()).readOnly).toBe(true);
    view.rerender(<ConfigSection {...props} config={mine} configSource="local" />);
    expect(JSON.parse((await editor()).value)).toEqual(mine);
    expect((await editor()).readOnly).toBe(false);
  });
});

describe('common settings', () => {
  it('edit the same JSON: SQL threshold and a fit rule’s points', async () => {
    const { bg } = renderOptions();
    const user = userEvent.setup();
    const region = await settings();
    const sql = within(region).getByLabelText('SQL-ready threshold');
    await user.clear(sql);
    await user.type(sql, '70');
    expect((await editorJson()).thresholds.sqlReady).toBe(70);

    const fit = within(region).getByRole('table', { name: 'Fit rules' });
    const director = within(fit).getByRole('spinbutton', { name: 'Points for Director title' });
    expect((director as HTMLInputElement).value).toBe('15');
    await user.clear(director);
    await user.type(director, '12');
    expect((await editorJson()).scoring.fitRules.find((r) => r.id === 'title_director')!.points).toBe(12);

    const engagement = within(region).getByRole('table', { name: 'Engagement rules' });
    const demo = within(engagement).getByRole('spinbutton', { name: 'Points for Requested a demo' });
    await user.clear(demo);
    await user.type(demo, '35');
    expect((await editorJson()).scoring.engagementRules.find((r) => r.id === 'demo_request')!.points).toBe(35);

    await user.click(within(region).getByRole('button', { name: 'Save settings' }));
    await waitFor(() => expect(bg.sent('options.saveConfig')).toHaveLength(1));
    const saved = bg.sent('options.saveConfig')[0]!.config as ReturnType<typeof defaultConfig>;
    expect(saved.thresholds.sqlReady).toBe(70);
  });

  it('an out-of-range value is saved as typed and refused with the field’s name', async () => {
    renderOptions();
    const user = userEvent.setup();
    const region = await settings();
    const intern = within(within(region).getByRole('table', { name: 'Fit rules' })).getByRole('spinbutton', { name: 'Points for Intern or student title' });
    await user.clear(intern);
    await user.type(intern, '-150');
    await user.click(within(region).getByRole('button', { name: 'Save settings' }));
    const alert = await within(region).findByRole('alert');
    expect(within(alert).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['scoring.fitRules[3].points: Too small: expected number to be >=-100']);
  });

  it('renames and retires reason codes, and adds one', async () => {
    renderOptions();
    const user = userEvent.setup();
    const region = await settings();
    const codes = within(region).getByRole('table', { name: 'Reason codes' });
    const label = within(codes).getByRole('textbox', { name: 'Label for duplicate' });
    await user.clear(label);
    await user.type(label, 'Duplicate record');
    await user.click(within(codes).getByRole('checkbox', { name: 'Retired: not_icp' }));
    let json = await editorJson();
    expect(json.reasonCodes.find((r) => r.code === 'duplicate')!.label).toBe('Duplicate record');
    expect(json.reasonCodes.find((r) => r.code === 'not_icp')!.retired).toBe(true);

    const add = within(region).getByRole('form', { name: 'Add a reason code' });
    await user.type(within(add).getByLabelText('New code'), 'Wrong Region');
    await user.type(within(add).getByLabelText('New label'), 'Outside our regions');
    await user.click(within(add).getByRole('button', { name: 'Add reason code' }));
    expect(within(add).getByText('Use lower-case letters, digits and _ only.')).toBeTruthy();

    await user.clear(within(add).getByLabelText('New code'));
    await user.type(within(add).getByLabelText('New code'), 'duplicate');
    await user.click(within(add).getByRole('button', { name: 'Add reason code' }));
    expect(within(add).getByText('“duplicate” is already a reason code.')).toBeTruthy();

    await user.clear(within(add).getByLabelText('New code'));
    await user.type(within(add).getByLabelText('New code'), 'wrong_region{Enter}');
    expect(within(add).getByText('Added “wrong_region”. Save settings to keep it.')).toBeTruthy();
    json = await editorJson();
    expect(json.reasonCodes.at(-1)).toEqual({ code: 'wrong_region', label: 'Outside our regions' });
    expect(within(codes).getByRole('textbox', { name: 'Label for wrong_region' })).toBeTruthy();
  });
});
