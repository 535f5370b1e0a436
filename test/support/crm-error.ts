import { expect } from 'vitest';
import { CrmError } from '../../src/crm/api';

/** The `CrmError` a call rejects with (fails the test when it resolves or throws something else). */
export async function crmError(p: Promise<unknown>): Promise<CrmError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(CrmError);
  return e as CrmError;
}
