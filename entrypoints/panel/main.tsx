import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

/** The record the content script opened the panel for (query string for now; messaging later). */
function readRecordFromQuery(search: string) {
  const params = new URLSearchParams(search);
  return { crm: params.get('crm') ?? '', recordId: params.get('recordId') ?? '' };
}

function Panel({ crm, recordId }: { crm: string; recordId: string }) {
  return (
    <aside aria-label="Lead qualification" data-crm={crm}>
      <h2>{recordId ? `Lead ${recordId}` : 'No lead'}</h2>
    </aside>
  );
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <Panel {...readRecordFromQuery(location.search)} />
    </StrictMode>,
  );
}
