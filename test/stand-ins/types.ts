/**
 * The common shape of the local stand-ins for real CRM APIs (HubSpot, Salesforce, …). Each follows its
 * CRM's documented contract (paths, bodies, status codes, error bodies, rate-limit headers, batch limits)
 * closely enough that the real client code runs against it unchanged, and can inject faults so tests
 * can prove retries never duplicate anything.
 */

export type Fault =
  /** Answer with this status (and body/headers) without applying the request. */
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  /** Apply the request, then answer with this status (e.g. 500, 504): the client can't know it worked. */
  | { kind: 'applyThenStatus'; status: number }
  /** Apply the request, then drop the connection (the client sees a network error). */
  | { kind: 'applyThenDrop' }
  /** Drop the connection without applying anything. */
  | { kind: 'drop' }
  /** Wait before handling normally. */
  | { kind: 'delay'; ms: number };

export interface FaultRule {
  /** Which requests it hits; all when absent. */
  match?: { method?: string; path?: RegExp };
  fault: Fault;
  /** How many matching requests it hits (default 1). */
  times?: number;
}

export interface StandInCall {
  method: string;
  path: string;
  status: number;
  at: number;
}

export interface StandIn {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** A token the stand-in accepts now. */
  token: string;
  /** Every request answered (or dropped: status 0), in order. */
  calls: StandInCall[];
  inject(rule: FaultRule): void;
  clearFaults(): void;
  /** Makes the current token invalid (401 from now on) and returns a new valid one. */
  rotateToken(): string;
  close(): Promise<void>;
}
