/**
 * Network faults between the client and any stand-in server, decided per request: what a flaky network,
 * a killed worker or an overloaded CRM looks like from the client's side. `apply…` faults let the
 * request reach the server first, so the CRM did the write but the client can't know.
 */
export type ClientFault = 'drop' | 'applyThenDrop' | 'status429' | 'status503' | 'applyThen500' | 'applyThenTimeout';

export const clientFaults: readonly ClientFault[] = ['drop', 'applyThenDrop', 'status429', 'status503', 'applyThen500', 'applyThenTimeout'];

export interface FetchCall {
  method: string;
  url: string;
  fault?: ClientFault;
}

export function faultyFetch(decide: (call: { method: string; url: string }) => ClientFault | undefined, base: typeof fetch = fetch) {
  const calls: FetchCall[] = [];
  const wrapped: typeof fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = (init?.method ?? 'GET').toUpperCase();
    const fault = decide({ method, url });
    calls.push({ method, url, fault });
    switch (fault) {
      case undefined:
        return base(input, init);
      case 'drop':
        throw new TypeError('fetch failed (connection reset)');
      case 'applyThenDrop':
        await base(input, init);
        throw new TypeError('fetch failed (connection reset after sending)');
      case 'applyThenTimeout':
        await base(input, init);
        throw new DOMException('The operation timed out.', 'TimeoutError');
      case 'status429':
        return new Response(JSON.stringify({ status: 'error', message: 'You have reached your ten_secondly_rolling limit.', errorType: 'RATE_LIMIT', correlationId: 'test' }), {
          status: 429,
          headers: { 'content-type': 'application/json', 'retry-after': '2' },
        });
      case 'status503':
        return new Response(JSON.stringify({ status: 'error', message: 'Service unavailable', category: 'UNAVAILABLE' }), { status: 503, headers: { 'content-type': 'application/json' } });
      case 'applyThen500': {
        await base(input, init);
        return new Response(JSON.stringify({ status: 'error', message: 'Internal error', category: 'INTERNAL_ERROR' }), { status: 500, headers: { 'content-type': 'application/json' } });
      }
    }
  };
  return { fetch: wrapped, calls };
}
