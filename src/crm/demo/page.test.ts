// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import page from './page';

describe('demo CRM page detection', () => {
  it.each([
    ['http://127.0.0.1:5180/leads/L-1001', 'L-1001'],
    ['http://localhost:3000/leads/L-1042/', 'L-1042'],
    ['http://127.0.0.1:5180/leads/L-1001?tab=notes#top', 'L-1001'],
  ])('%s is lead %s', (url, id) => {
    expect(page.detect(new URL(url))).toMatchObject({ crm: 'demo', recordId: id, objectType: 'lead' });
  });

  it.each(['http://127.0.0.1:5180/leads', 'http://127.0.0.1:5180/', 'https://127.0.0.1/leads/L-1', 'http://example.com/leads/L-1001', 'http://127.0.0.1/leads/L-1001/edit', 'http://127.0.0.1/leads/1001'])(
    '%s is not a lead page',
    (url) => {
      expect(page.detect(new URL(url))).toBeNull();
    },
  );

  it('reads the lead from the record on the page, as text', () => {
    document.body.innerHTML = `<article data-record-id="L-1001"><h1 data-field="name">&lt;img src=x onerror=alert(1)&gt;</h1>
      <dd data-field="company">Foxglove Software</dd><dd data-field="title">Director of Operations</dd>
      <dd data-field="email">dana@foxglove.example</dd><dd data-field="status">New</dd></article>`;
    const ref = page.detect(new URL('http://127.0.0.1:5180/leads/L-1001'))!;
    expect(page.readLead(document, ref)).toEqual({ name: '<img src=x onerror=alert(1)>', company: 'Foxglove Software', title: 'Director of Operations', email: 'dana@foxglove.example', status: 'New' });
  });

  it('returns null while the page still shows another record', () => {
    document.body.innerHTML = '<article data-record-id="L-1001"><h1 data-field="name">Dana</h1></article>';
    expect(page.readLead(document, page.detect(new URL('http://127.0.0.1/leads/L-1002'))!)).toBeNull();
  });
});
