// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import demo from '../crm/demo/page';
import { clipLeadDom } from '.';
import { createLeadReporter } from './lead-reporter';

const ref = (id: string) => demo.detect(new URL(`http://127.0.0.1:5180/leads/${id}`))!;
const render = (id: string, name: string) => {
  document.title = `${name} | Lead | Demo CRM`;
  document.body.innerHTML = `<article data-record-id="${id}"><h1 data-field="name">${name}</h1><dd data-field="company">Acme</dd></article>`;
};

describe('lead reporter', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    document.body.replaceChildren();
  });
  afterEach(() => vi.useRealTimers());

  it('reports the lead at once when the page already shows it', () => {
    render('L-1001', 'Dana Whitfield');
    const report = vi.fn();
    createLeadReporter(document, report).shown(demo, ref('L-1001'));
    expect(report).toHaveBeenCalledWith({ kind: 'shown', ref: ref('L-1001'), dom: { name: 'Dana Whitfield', company: 'Acme', title: undefined, email: undefined, status: undefined } });
    // One message on a page load: no `left` before a lead that can be reported at once.
    expect(report).toHaveBeenCalledTimes(1);
  });

  it('reports `left` first for a lead that is not on screen yet, so the background forgets the old one at once', async () => {
    document.title = 'Loading…';
    const report = vi.fn();
    createLeadReporter(document, report, { settleMs: 10 }).shown(demo, ref('L-1001'));
    expect(report.mock.calls.map((c) => c[0].kind)).toEqual(['left']);
    render('L-1001', 'Dana Whitfield');
    await vi.advanceTimersByTimeAsync(20);
    expect(report.mock.calls.map((c) => c[0].kind)).toEqual(['left', 'shown']);
    expect(report.mock.calls[1]![0].dom.name).toBe('Dana Whitfield');
  });

  it('after a client-side navigation, waits for the new record instead of reading the old one', async () => {
    render('L-1001', 'Dana Whitfield');
    const report = vi.fn();
    const reporter = createLeadReporter(document, report, { settleMs: 10 });
    reporter.shown(demo, ref('L-1001'));
    expect(report).toHaveBeenCalledTimes(1);
    // The URL says L-1002, but the page still shows L-1001, also after a detour through a list view.
    reporter.left();
    reporter.shown(demo, ref('L-1002'));
    await vi.advanceTimersByTimeAsync(500);
    expect(report).toHaveBeenCalledTimes(2); // shown L-1001, left
    render('L-1002', 'Priya Raman');
    await vi.advanceTimersByTimeAsync(20);
    expect(report).toHaveBeenCalledTimes(3);
    expect(report.mock.calls[2]![0]).toMatchObject({ kind: 'shown', ref: { recordId: 'L-1002' }, dom: { name: 'Priya Raman' } });
  });

  it('falls back to URL-only data after the timeout, never to the old record’s fields', async () => {
    render('L-1001', 'Dana Whitfield');
    const report = vi.fn();
    const reporter = createLeadReporter(document, report, { timeoutMs: 1000 });
    reporter.shown(demo, ref('L-1001'));
    reporter.shown(demo, ref('L-1002'));
    await vi.advanceTimersByTimeAsync(1000);
    expect(report).toHaveBeenLastCalledWith({ kind: 'shown', ref: ref('L-1002'), dom: {} });
  });

  it('coming back to the lead last reported reads it at once (its view is the right one)', () => {
    render('L-1001', 'Dana Whitfield');
    const report = vi.fn();
    const reporter = createLeadReporter(document, report);
    reporter.shown(demo, ref('L-1001'));
    reporter.left();
    reporter.shown(demo, ref('L-1001'));
    expect(report.mock.calls.map((c) => c[0].kind)).toEqual(['shown', 'left', 'shown']);
    expect(report.mock.calls[2]![0].dom.name).toBe('Dana Whitfield');
  });

  it('reports leaving, and a quick second navigation cancels the first wait', async () => {
    render('L-1001', 'Dana Whitfield');
    const report = vi.fn();
    const reporter = createLeadReporter(document, report, { settleMs: 10, timeoutMs: 1000 });
    reporter.shown(demo, ref('L-1001'));
    reporter.shown(demo, ref('L-1002'));
    reporter.left();
    await vi.advanceTimersByTimeAsync(2000);
    expect(report.mock.calls.map((c) => c[0].kind)).toEqual(['shown', 'left']);
  });

  it('clips page text to the message limits instead of failing to report', () => {
    expect(clipLeadDom({ name: 'x'.repeat(1000), email: 'e', status: 's'.repeat(200) })).toEqual({ name: 'x'.repeat(300), email: 'e', status: 's'.repeat(100) });
  });
});
