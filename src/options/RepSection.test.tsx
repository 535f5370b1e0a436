// @vitest-environment happy-dom
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { ProtocolError } from '../messaging/envelope';
import { overview, renderOptions } from './testing';

afterEach(cleanup);

const region = () => screen.findByRole('region', { name: 'Your name' });

describe('your name', () => {
  it('shows the saved name and ID and saves changes', async () => {
    const { bg } = renderOptions();
    const user = userEvent.setup();
    const rep = await region();
    const name = within(rep).getByRole('textbox', { name: 'Name' });
    expect((name as HTMLInputElement).value).toBe('Sam Rep');
    expect((within(rep).getByRole('textbox', { name: 'User ID' }) as HTMLInputElement).value).toBe('sam@acme.example');
    await user.clear(name);
    await user.type(name, '  Samira Rep ');
    await user.click(within(rep).getByRole('button', { name: 'Save name' }));
    expect(await within(rep).findByText('Saved. New decisions are signed with this name.')).toBeTruthy();
    expect(bg.sent('options.setRep')).toEqual([{ id: 'sam@acme.example', name: 'Samira Rep' }]);
  });

  it('starts empty when no name was set, and asks for both fields', async () => {
    const { bg } = renderOptions({ overview: overview({ rep: { id: 'me', name: 'You' } }) });
    const user = userEvent.setup();
    const rep = await region();
    expect(within(rep).getByText('Not set yet: decisions are signed “You”.')).toBeTruthy();
    expect((within(rep).getByRole('textbox', { name: 'Name' }) as HTMLInputElement).value).toBe('');
    await user.click(within(rep).getByRole('button', { name: 'Save name' }));
    expect(within(rep).getByText('Enter your name.')).toBeTruthy();
    expect(within(rep).getByText('Enter your user ID.')).toBeTruthy();
    expect(within(rep).getByRole('textbox', { name: 'Name' }).getAttribute('aria-invalid')).toBe('true');
    expect(bg.sent('options.setRep')).toEqual([]);

    await user.type(within(rep).getByRole('textbox', { name: 'Name' }), 'Sam Rep');
    await user.type(within(rep).getByRole('textbox', { name: 'User ID' }), 'sam{Enter}');
    expect(await within(rep).findByText('Saved. New decisions are signed with this name.')).toBeTruthy();
    expect(bg.sent('options.setRep')).toEqual([{ id: 'sam', name: 'Sam Rep' }]);
  });

  it('shows the background’s error', async () => {
    renderOptions({
      handlers: {
        'options.setRep': () => {
          throw new ProtocolError('failed', 'The browser’s storage is full. Free some space and try again.');
        },
      },
    });
    const user = userEvent.setup();
    const rep = await region();
    await user.click(within(rep).getByRole('button', { name: 'Save name' }));
    expect((await within(rep).findByRole('alert')).textContent).toContain('The browser’s storage is full.');
  });
});
