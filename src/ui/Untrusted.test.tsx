// @vitest-environment happy-dom
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { LeadHeader } from './panel/LeadHeader';
import { Untrusted } from './Untrusted';

describe('text from the CRM is shown as itself', () => {
  it('isolates it and makes direction controls visible (U+202E, U+2066–2069)', () => {
    render(
      <p>
        <Untrusted text={'\u202Etegdub on - tcejer'} /> <Untrusted text={'Ana\u2066\u2067\u2068\u2069'} />
      </p>,
    );
    const [note, name] = [...document.querySelectorAll('bdi')];
    expect(note!.getAttribute('dir')).toBe('auto');
    expect(note!.textContent).toBe('[U+202E]tegdub on - tcejer');
    expect(name!.textContent).toBe('Ana[U+2066][U+2067][U+2068][U+2069]');
    expect(document.body.textContent).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
  });

  it("in the panel's header: a lead name with an override cannot reorder what stands beside it", () => {
    render(<LeadHeader lead={{ name: '\u202EDana', company: 'Acme\u2067', title: 'CEO' }} sla={{}} now={0} dueSoonShare={0.25} />);
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('[U+202E]Dana');
    expect(screen.getByRole('heading', { level: 2 }).querySelector('bdi')).not.toBeNull();
    expect(screen.getByText('Acme[U+2067]').tagName).toBe('BDI');
  });
});
