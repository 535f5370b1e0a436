// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DispositionForm } from './DispositionForm';
import { config, renderUtc, TODAY } from './testing';
import { tracksVisibility, VISIBLE_FOR_MS } from './use-frame-visible';

/**
 * IntersectionObserver v2 as Chromium has it (happy-dom has v1 only): the test says what the browser
 * would report about the observed element.
 */
class FakeObserver {
  static all: FakeObserver[] = [];
  readonly observed: Element[] = [];
  constructor(
    readonly callback: (entries: unknown[]) => void,
    readonly options: { threshold?: number; trackVisibility?: boolean; delay?: number },
  ) {
    FakeObserver.all.push(this);
  }
  observe(el: Element) {
    this.observed.push(el);
  }
  disconnect() {
    this.observed.length = 0;
  }
  unobserve() {}
  takeRecords() {
    return [];
  }
}
class FakeEntry {
  get isVisible() {
    return false;
  }
}

/** The browser reports the observed element: fully in view and uncovered, or not. */
function report(isVisible: boolean, intersectionRatio = 1) {
  const observer = FakeObserver.all.find((o) => o.observed.length > 0)!;
  act(() => observer.callback([{ isVisible, intersectionRatio, target: observer.observed[0] }]));
}
const save = () => screen.getByRole('button', { name: 'Save disposition' });
const blocked = () => save().getAttribute('aria-disabled') === 'true';
const HIDDEN_TEXT = 'Saving is paused while this panel is covered or not fully in view. Bring it fully into view to save.';

describe('saving only while the panel is visible (ADR 0015, clickjacking)', () => {
  beforeEach(() => {
    FakeObserver.all = [];
    vi.stubGlobal('IntersectionObserver', FakeObserver);
    vi.stubGlobal('IntersectionObserverEntry', FakeEntry);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  });
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  function renderForm() {
    const onSave = vi.fn();
    // A recycle form is complete as it opens (the re-check date is prefilled): one click would save it.
    renderUtc(<DispositionForm kind="recycle" config={config} today={TODAY} onSave={onSave} />);
    return onSave;
  }

  it('watches the buttons with IntersectionObserver v2, fully in view', () => {
    expect(tracksVisibility()).toBe(true);
    renderForm();
    const observer = FakeObserver.all.find((o) => o.observed.length > 0)!;
    expect(observer.options).toEqual({ threshold: 1, trackVisibility: true, delay: 100 });
    expect(observer.observed[0]!.contains(save())).toBe(true);
  });

  it('until the browser says the buttons are visible, saving does nothing and says why', () => {
    const onSave = renderForm();
    expect(blocked()).toBe(true);
    expect(screen.getByText(HIDDEN_TEXT)).toBeTruthy();
    expect(save().getAttribute('aria-describedby')).toBe(screen.getByText(HIDDEN_TEXT).id);
    fireEvent.click(save());
    expect(onSave).not.toHaveBeenCalled();
  });

  it('saves once they have been visible for a moment; covered again, it stops at once', () => {
    const onSave = renderForm();
    report(true);
    act(() => vi.advanceTimersByTime(VISIBLE_FOR_MS - 1));
    fireEvent.click(save()); // a click right as a decoy moves away: too soon
    expect(onSave).not.toHaveBeenCalled();
    act(() => vi.advanceTimersByTime(1));
    expect(blocked()).toBe(false);
    expect(screen.queryByText(HIDDEN_TEXT)).toBeNull();
    fireEvent.click(save());
    expect(onSave).toHaveBeenCalledTimes(1);

    report(false); // covered, faded or moved off screen
    expect(blocked()).toBe(true);
    fireEvent.click(save());
    expect(onSave).toHaveBeenCalledTimes(1);
  });

  it('a break in visibility starts the wait again; half in view is not in view', () => {
    const onSave = renderForm();
    report(true);
    act(() => vi.advanceTimersByTime(VISIBLE_FOR_MS - 100));
    report(false);
    report(true);
    act(() => vi.advanceTimersByTime(VISIBLE_FOR_MS - 100));
    expect(blocked()).toBe(true);
    report(true, 0.5);
    act(() => vi.advanceTimersByTime(VISIBLE_FOR_MS * 2));
    expect(blocked()).toBe(true);
    fireEvent.click(save());
    expect(onSave).not.toHaveBeenCalled();
  });

  it('where the browser cannot tell (no IntersectionObserver v2: Firefox, happy-dom), the form is not blocked', () => {
    vi.unstubAllGlobals();
    expect(tracksVisibility()).toBe(false);
    const onSave = renderForm();
    expect(blocked()).toBe(false);
    fireEvent.click(save());
    expect(onSave).toHaveBeenCalledTimes(1);
  });
});
