// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { downloadText, lineColumn, parseJsonText, prettyJson } from './json';

afterEach(() => vi.useRealTimers());

describe('parseJsonText', () => {
  it('parses JSON', () => {
    expect(parseJsonText('{"a":[1,2]}')).toEqual({ ok: true, value: { a: [1, 2] } });
  });

  it('gives the line and column of an error from the engine’s position', () => {
    const r = parseJsonText('{\n  "a": 1,\n}');
    expect(r).toMatchObject({ ok: false, line: 3, column: 1 });
    expect(r.ok || r.reason).not.toMatch(/position/);
  });

  it('reads Chrome’s "(line … column …)" wording', () => {
    const parse = vi.spyOn(JSON, 'parse').mockImplementationOnce(() => {
      throw new SyntaxError('Expected \',\' or \'}\' after property value in JSON at position 24 (line 3 column 3)');
    });
    expect(parseJsonText('ignored')).toEqual({ ok: false, reason: 'Expected \',\' or \'}\' after property value', line: 3, column: 3 });
    parse.mockRestore();
  });

  it('has no place for an empty text', () => {
    expect(parseJsonText('')).toEqual({ ok: false, reason: 'Unexpected end of JSON input' });
  });

  it('counts lines and columns from 1', () => {
    expect(lineColumn('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});

describe('downloadText', () => {
  it('downloads the text through a Blob URL and an <a download>, then lets the URL go', async () => {
    vi.useFakeTimers();
    const blobs: Blob[] = [];
    const create = vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => (blobs.push(b as Blob), 'blob:lq/1'));
    const revoke = vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const clicked: { href: string; download: string; attached: boolean }[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ href: this.href, download: this.download, attached: this.isConnected });
    });

    downloadText('lead-qualifier-config.json', prettyJson({ a: 1 }));

    expect(clicked).toEqual([{ href: 'blob:lq/1', download: 'lead-qualifier-config.json', attached: true }]);
    expect(document.querySelector('a[download]')).toBeNull();
    expect(await blobs[0]!.text()).toBe('{\n  "a": 1\n}\n');
    expect(blobs[0]!.type).toBe('application/json');
    expect(revoke).not.toHaveBeenCalled();
    vi.runAllTimers();
    expect(revoke).toHaveBeenCalledWith('blob:lq/1');
    create.mockRestore();
    click.mockRestore();
  });
});
