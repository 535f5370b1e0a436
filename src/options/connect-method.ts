import type { ChangeEvent, ReactNode, Ref } from 'react';
import type { RequestOf } from '../messaging/envelope';
import type { Overview, optionsProtocol } from '../messaging/options-protocol';
import type { HostModules } from './types';

export type Available = Overview['available'][number];

/** What the connect form holds, for every way of connecting (kept while the person switches CRM). */
export interface ConnectValues {
  token: string;
  apiBase: string;
  loginHost: string;
  clientId: string;
}
export type ConnectFieldName = keyof ConnectValues;
export type ConnectErrors = Partial<Record<ConnectFieldName, string>>;
export type ConnectRequest = RequestOf<typeof optionsProtocol, 'options.connect'>;

/** The props every field of the form takes from it: id, value, change handler and error. */
export interface FieldProps {
  id: string;
  value: string;
  onChange: (e: ChangeEvent<HTMLInputElement>) => void;
  error: string | undefined;
}

export interface ConnectFieldsProps {
  crm: Available;
  field: (name: ConnectFieldName) => FieldProps;
  /** The step's first input: focused when a card asks for this form. */
  firstFieldRef: Ref<HTMLInputElement>;
  redirectUri?: string;
}

/** One way of connecting (a CRM's `connectWith`): its step 2 and what it sends. */
export interface ConnectMethod {
  legend: () => string;
  submitLabel: (crmLabel: string) => string;
  Fields: (props: ConnectFieldsProps) => ReactNode;
  /** What to send and which hosts to ask for, or field errors. Synchronous: it runs before the permission request. */
  prepare: (crm: Available, values: ConnectValues, modules: HostModules) => { request: ConnectRequest; origins: string[] } | ConnectErrors;
}

export function isHttpUrl(value: string, httpsOnly: boolean): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || (!httpsOnly && url.protocol === 'http:');
  } catch {
    return false;
  }
}
