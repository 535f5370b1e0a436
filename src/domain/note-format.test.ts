import { describe, expect, it } from 'vitest';
import { defaultConfig } from './defaults';
import { createRevision, snapshotLead, type Revision } from './dispositions';
import { emptyChecklist, setAnswer } from './frameworks';
import { leadProfileSchema } from './lead';
import { formatDispositionNote, idempotencyKey, NOTE_MARKER, parseDispositionNote } from './note-format';
import { qualify } from './qualify';

const config = defaultConfig();
const AT = '2026-11-20T12:00:00.000Z';

function revision(decision: Revision['decision'], evidence = 'We set aside 40k for this.', name = 'Ada Park'): Revision {
  const lead = leadProfileSchema.parse({ crm: 'hubspot', recordId: '512', name, title: 'Director of IT', source: 'webinar', campaign: 'Q4' });
  const checklist = setAnswer(emptyChecklist('bant'), 'budget', { state: 'confirmed', evidence, by: 'Sam', at: AT });
  const q = qualify(lead, checklist, config, Date.parse(AT));
  return createRevision(undefined, {
    dispositionId: 'd-1',
    decision,
    snapshot: { lead: snapshotLead(lead), score: q.score, checklist, recommendation: q.recommendation, framework: { id: 'bant', version: 1, label: 'BANT' } },
    author: { id: 'rep-1', name: 'Sam Rep' },
    at: AT,
  });
}
const reject = { outcome: 'reject' as const, reasonCode: 'not_icp', note: 'Ten people, no IT team.' };

describe('the note a disposition becomes in the CRM', () => {
  it('reads well and carries a block the dashboard can import', () => {
    const r = revision(reject);
    const { subject, body } = formatDispositionNote(r, config, 65_536);
    expect(subject).toBe(`Lead qualification: Rejected: Not ICP fit (${idempotencyKey(r)})`);
    expect(body).toContain('Lead qualification: Rejected: Not ICP fit\nNote: Ten people, no IT team.\nScore: ');
    expect(body).toContain('- Budget: confirmed — “We set aside 40k for this.”');
    expect(body).toContain(NOTE_MARKER);
    const parsed = parseDispositionNote(body);
    expect(parsed).toMatchObject({ ok: true, block: { key: idempotencyKey(r), dispositionId: 'd-1', rev: 1, hash: r.hash, outcome: 'reject', reasonCode: 'not_icp', note: reject.note, author: { name: 'Sam Rep' } } });
    expect(parsed.ok && parsed.block.criteria).toEqual([{ id: 'budget', state: 'confirmed', evidence: 'We set aside 40k for this.' }]);
  });

  it('keys are one alphanumeric token per revision, stable across retries', () => {
    const r = revision(reject);
    expect(idempotencyKey(r)).toMatch(/^lq[0-9a-f]{32}$/);
    expect(idempotencyKey(r)).toBe(idempotencyKey({ hash: r.hash }));
  });

  it('cannot be broken by a note that imitates the block', () => {
    const sneaky = '--- end lqblock ---\n--- lqblock v1 (machine-readable: do not edit) ---\n{"v":1}';
    const r = revision({ ...reject, note: sneaky }, sneaky);
    const parsed = parseDispositionNote(formatDispositionNote(r, config, 65_536).body);
    expect(parsed).toMatchObject({ ok: true, block: { note: sneaky, dispositionId: 'd-1' } });
  });

  it('fits the CRM’s limit, shortening the readable part first and keeping the key and block', () => {
    const long = 'x'.repeat(9_000);
    const r = revision({ ...reject, note: long }, 'y'.repeat(2_000));
    const full = formatDispositionNote(r, config, 65_536).body;
    const bounded = formatDispositionNote(r, config, 12_000).body;
    expect(full.length).toBeGreaterThan(12_000);
    expect(bounded.length).toBeLessThanOrEqual(12_000);
    expect(parseDispositionNote(bounded)).toMatchObject({ ok: true, block: { note: long } });
    const tiny = formatDispositionNote(r, config, 3_000).body;
    expect(tiny.length).toBeLessThanOrEqual(3_000);
    expect(parseDispositionNote(tiny)).toMatchObject({ ok: true, block: { noteTruncated: true, key: idempotencyKey(r) } });
  });

  it('says why a block cannot be imported', () => {
    expect(parseDispositionNote('Called, left a voicemail.')).toEqual({ ok: false, reason: 'no structured block' });
    const body = formatDispositionNote(revision(reject), config, 65_536).body;
    expect(parseDispositionNote(body.replace('"outcome":"reject"', '"outcome":"maybe"'))).toMatchObject({ ok: false, reason: expect.stringContaining('outcome') });
    expect(parseDispositionNote(body.replace('{"v":1', '{"v":1,,'))).toMatchObject({ ok: false, reason: expect.stringContaining('not valid JSON') });
  });

  it('keeps hostile text as text', () => {
    const r = revision({ ...reject, note: '<img src=x onerror=alert(1)> مرحبا 🚀' }, '', '<script>x</script>');
    const parsed = parseDispositionNote(formatDispositionNote(r, config, 65_536).body);
    expect(parsed).toMatchObject({ ok: true, block: { note: '<img src=x onerror=alert(1)> مرحبا 🚀', leadName: '<script>x</script>' } });
  });
});
