import { onlineManager } from '@tanstack/react-query';
import { afterEach, describe, expect, it } from 'vitest';
import { extensionQueryClient } from './query-client';

afterEach(() => onlineManager.setOnline(true));

describe("the extension pages' query client", () => {
  it('asks the background while the browser is offline (a decision waiting for the CRM stays visible)', async () => {
    onlineManager.setOnline(false);
    const client = extensionQueryClient();
    await expect(client.fetchQuery({ queryKey: ['state'], queryFn: async () => 'from the background' })).resolves.toBe('from the background');
    const mutation = client.getMutationCache().build(client, { mutationFn: async () => 'saved' });
    await expect(mutation.execute(undefined)).resolves.toBe('saved');
  });
});
