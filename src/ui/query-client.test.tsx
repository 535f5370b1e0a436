// @vitest-environment happy-dom
import { notifyManager, onlineManager, QueryClientProvider, useQuery, useQueryClient } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { extensionQueryClient } from './query-client';

/** A controlled radio pair whose state is cached data, changed at once on a click (as the panel's checklist does). */
function Choice() {
  const client = useQueryClient();
  const { data } = useQuery({ queryKey: ['choice'], queryFn: async () => 'no', staleTime: Infinity });
  if (!data) return null;
  return (
    <>
      {['no', 'yes'].map((v) => (
        <label key={v}>
          <input type="radio" name="c" value={v} checked={data === v} onChange={() => client.setQueryData(['choice'], v)} />
          {v}
        </label>
      ))}
    </>
  );
}

afterEach(() => {
  cleanup();
  onlineManager.setOnline(true);
  notifyManager.setScheduler((cb) => setTimeout(cb, 0));
});

describe('the extension pages’ query client', () => {
  it('asks the background while the browser is offline (a decision waiting for the CRM stays visible)', async () => {
    onlineManager.setOnline(false);
    const client = extensionQueryClient();
    await expect(client.fetchQuery({ queryKey: ['state'], queryFn: async () => 'from the background' })).resolves.toBe('from the background');
    const mutation = client.getMutationCache().build(client, { mutationFn: async () => 'saved' });
    await expect(mutation.execute(undefined)).resolves.toBe('saved');
  });

  it('shows a change of cached data within the task of the click: a controlled radio never shows its old value after it', async () => {
    render(
      <QueryClientProvider client={extensionQueryClient()}>
        <Choice />
      </QueryClientProvider>,
    );
    const yes = await screen.findByRole<HTMLInputElement>('radio', { name: 'yes' });
    fireEvent.click(yes);
    // Microtasks only: no timer, no next task.
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect(yes.checked).toBe(true);
  });
});
