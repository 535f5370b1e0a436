// @vitest-environment happy-dom
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { ProtocolError } from '../messaging/envelope';
import { overview, renderOptions } from './testing';

afterEach(cleanup);

const region = () => screen.findByRole('region', { name: 'Where the panel shows' });
const inPage = 'In the CRM page, docked on the right (default)';
const inSidePanel = 'In the browser’s side panel';

describe('where the panel shows (ADR 0020)', () => {
  it('shows the page as the default and saves the side panel as soon as it is chosen', async () => {
    const { bg } = renderOptions();
    const section = await region();
    const page = within(section).getByRole('radio', { name: inPage }) as HTMLInputElement;
    const side = within(section).getByRole('radio', { name: inSidePanel }) as HTMLInputElement;
    expect(page.checked).toBe(true);
    expect(side.getAttribute('aria-describedby')).toBeTruthy();
    expect(document.getElementById(side.getAttribute('aria-describedby')!)!.textContent).toMatch(/nothing is added to the CRM’s page/);
    await userEvent.setup().click(side);
    expect(await within(section).findByText('Saved. Open CRM tabs take the panel out of the page now; open the side panel with the shortcut.')).toBeTruthy();
    expect(bg.sent('options.setPlacement')).toEqual([{ placement: 'side_panel' }]);
    expect(side.checked).toBe(true);
  });

  it('offers no side panel where the browser has none, and says why', async () => {
    renderOptions({ overview: overview({ placement: { value: 'page', available: false } }) });
    const section = await region();
    const side = within(section).getByRole('radio', { name: inSidePanel }) as HTMLInputElement;
    expect(side.disabled).toBe(true);
    expect(within(section).getByText('This browser has no side panel for extensions, so the panel stays in the CRM page.')).toBeTruthy();
  });

  it('a refusal puts the choice back and shows the background’s reason', async () => {
    const { bg } = renderOptions({
      overview: overview({ placement: { value: 'side_panel', available: true } }),
      handlers: {
        'options.setPlacement': () => {
          throw new ProtocolError('invalid', 'This browser has no side panel for extensions: the panel stays in the CRM page.');
        },
      },
    });
    const section = await region();
    const page = within(section).getByRole('radio', { name: inPage }) as HTMLInputElement;
    expect((within(section).getByRole('radio', { name: inSidePanel }) as HTMLInputElement).checked).toBe(true);
    await userEvent.setup().click(page);
    expect((await within(section).findByRole('alert')).textContent).toContain('no side panel for extensions');
    expect(page.checked).toBe(false);
    expect(bg.sent('options.setPlacement')).toEqual([{ placement: 'page' }]);
  });
});
