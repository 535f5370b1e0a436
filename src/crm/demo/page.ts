import type { CrmPage, LeadDomData } from '../types';
import type { LeadRef } from '../../domain/lead-ref';

/**
 * The bundled demo CRM (`npm run demo`), served on the loopback interface. Only demo builds match it.
 * Lead pages: `/leads/<id>` with ids like `L-1001`.
 */
const LEAD_PATH = /^\/leads\/(L-\d{1,9})\/?$/;

const page: CrmPage = {
  id: 'demo',
  label: 'Demo CRM',
  // Chrome match patterns ignore the port, so these cover whatever port the demo server picked.
  matches: ['http://127.0.0.1/*', 'http://localhost/*'],
  demoOnly: true,

  detect(url: URL): LeadRef | null {
    if (url.protocol !== 'http:' || (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost')) return null;
    const m = LEAD_PATH.exec(url.pathname);
    if (!m) return null;
    return { crm: 'demo', recordId: m[1]!, objectType: 'lead', url: `${url.origin}/leads/${m[1]}`, host: url.host };
  },

  readLead(doc: Document, ref: LeadRef): LeadDomData | null {
    const record = doc.querySelector(`article[data-record-id="${CSS.escape(ref.recordId)}"]`);
    if (!record) return null;
    const field = (name: string) => record.querySelector(`[data-field="${name}"]`)?.textContent?.trim() || undefined;
    return { name: field('name'), company: field('company'), title: field('title'), email: field('email'), status: field('status') };
  },
};

export default page;
