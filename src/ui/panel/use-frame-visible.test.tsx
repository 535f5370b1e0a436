// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DispositionForm } from './DispositionForm';
import { config, FakeIntersectionObserver as IO, renderUtc, TODAY } from './testing';
import { FramedInPage, gateTiming, MIN_FRAME_HEIGHT, POINTER_DWELL_MS, resetPointerTracking, tracksVisibility, VISIBLE_FOR_MS } from './use-frame-visible';

const save = () => screen.getByRole('button', { name: 'Save disposition' });
const blocked = () => save().getAttribute('aria-disabled') === 'true';
const HIDDEN_TEXT = 'Saving is paused while this panel is covered or not fully in view. Bring it fully into view to save.';
const TOO_SOON = 'That click came right after the pointer moved into the panel, so it did nothing. Check what you are clicking, then click again.';
const wait = (ms: number) => act(() => vi.advanceTimersByTime(ms));

/** A pointer at (x, y) in the panel, with the frame's top-left corner at `frame` on screen. */
const at = (x: number, y: number, frame = { x: 900, y: 0 }) => ({ clientX: x, clientY: y, screenX: frame.x + x, screenY: frame.y + y, pointerType: 'mouse' });
/** `pointerleave` alone (Testing Library's `fireEvent.pointerLeave` adds a `pointerout` that names no element). */
const leave = (el: Element, init: PointerEventInit) => el.dispatchEvent(new PointerEvent('pointerleave', init));
/** A mouse click where the pointer is: press, then the click (`detail` 1: a pointer's, not the keyboard's). */
function clickWithMouse(el: Element, where = at(100, 500)) {
  fireEvent.pointerDown(el, where);
  fireEvent.click(el, { detail: 1 });
}

describe('saving only while the panel is visible (ADR 0015, clickjacking)', () => {
  beforeEach(() => {
    IO.stub(vi.stubGlobal);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    resetPointerTracking();
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
  /** The browser says the row and the whole frame are in view, and the wait is over. */
  function inView() {
    IO.reportVisible();
    wait(VISIBLE_FOR_MS);
  }

  it('watches the buttons with IntersectionObserver v2, fully in view, and the whole frame with a full-frame sentinel', () => {
    expect(tracksVisibility()).toBe(true);
    renderForm();
    const [row] = IO.rows();
    expect(row!.options).toEqual({ threshold: 1, trackVisibility: true, delay: 100 });
    expect(row!.observed[0]!.contains(save())).toBe(true);
    const [frame] = IO.frames();
    expect(frame!.options.trackVisibility).toBeUndefined(); // no occlusion: a widget over a corner must not block for good
    const sentinel = frame!.observed[0] as HTMLElement;
    expect(sentinel.getAttribute('aria-hidden')).toBe('true');
    expect(sentinel.style.position).toBe('fixed');
    expect(sentinel.style.inset).toBe('0');
    expect(sentinel.style.pointerEvents).toBe('none');
    cleanup();
    expect(sentinel.isConnected).toBe(false);
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
    IO.reportVisible();
    wait(VISIBLE_FOR_MS - 1);
    fireEvent.click(save()); // a click right as a decoy moves away: too soon
    expect(onSave).not.toHaveBeenCalled();
    wait(1);
    expect(blocked()).toBe(false);
    expect(screen.queryByText(HIDDEN_TEXT)).toBeNull();
    fireEvent.click(save());
    expect(onSave).toHaveBeenCalledTimes(1);

    IO.reportRow(false); // covered, faded or moved off screen
    expect(blocked()).toBe(true);
    fireEvent.click(save());
    expect(onSave).toHaveBeenCalledTimes(1);
  });

  it('a break in visibility starts the wait again; half in view is not in view', () => {
    const onSave = renderForm();
    IO.reportVisible();
    wait(VISIBLE_FOR_MS - 100);
    IO.reportRow(false);
    IO.reportRow(true);
    wait(VISIBLE_FOR_MS - 100);
    expect(blocked()).toBe(true);
    IO.reportRow(true, 0.5);
    wait(VISIBLE_FOR_MS * 2);
    expect(blocked()).toBe(true);
    fireEvent.click(save());
    expect(onSave).not.toHaveBeenCalled();
  });

  it('the Save row in view is not enough: the whole frame must be on screen and unclipped (finding 3)', () => {
    const onSave = renderForm();
    // The page moved the host up (top: -700px) or clipped it in an ancestor: only the buttons' part shows.
    IO.reportRow(true);
    IO.reportFrame(0.3);
    wait(VISIBLE_FOR_MS * 2);
    expect(blocked()).toBe(true);
    fireEvent.click(save());
    expect(onSave).not.toHaveBeenCalled();
    // Back in place: after the usual wait, it saves; clipped again, it stops at once.
    IO.reportFrame(1);
    wait(VISIBLE_FOR_MS - 1);
    expect(blocked()).toBe(true);
    wait(1);
    expect(blocked()).toBe(false);
    IO.reportFrame(0.98);
    expect(blocked()).toBe(true);
  });

  it('a frame shrunk below the minimum size cannot save, however visible (finding 3)', () => {
    const height = window.innerHeight;
    try {
      Object.defineProperty(window, 'innerHeight', { configurable: true, value: MIN_FRAME_HEIGHT - 1 });
      const onSave = renderForm();
      inView();
      expect(blocked()).toBe(true);
      fireEvent.click(save());
      expect(onSave).not.toHaveBeenCalled();
      Object.defineProperty(window, 'innerHeight', { configurable: true, value: MIN_FRAME_HEIGHT });
      act(() => void window.dispatchEvent(new Event('resize')));
      wait(VISIBLE_FOR_MS);
      expect(blocked()).toBe(false);
    } finally {
      Object.defineProperty(window, 'innerHeight', { configurable: true, value: height });
    }
  });

  describe('a pointer’s click needs the pointer in the panel for a moment first (finding 2)', () => {
    beforeEach(() => void (gateTiming.pointerDwellMs = POINTER_DWELL_MS));
    afterEach(() => void (gateTiming.pointerDwellMs = 0));

    it('a click right after the pointer came in (the page moved the panel under it) does nothing, and says so', () => {
      const onSave = renderForm();
      inView();
      fireEvent.pointerOver(save(), at(100, 500));
      wait(POINTER_DWELL_MS - 100);
      clickWithMouse(save());
      expect(onSave).not.toHaveBeenCalled();
      expect(screen.getByText(TOO_SOON)).toBeTruthy();
      expect(save().getAttribute('aria-describedby')).toBe(screen.getByText(TOO_SOON).id);
      // The pointer stayed: by now it has been in the panel long enough, and the rep's next click saves.
      wait(100);
      clickWithMouse(save());
      expect(onSave).toHaveBeenCalledTimes(1);
      expect(screen.queryByText(TOO_SOON)).toBeNull();
    });

    it('in the browser’s side panel (browser UI: no page can cover or move it) the gate stands aside', () => {
      const onSave = vi.fn();
      renderUtc(
        <FramedInPage.Provider value={false}>
          <DispositionForm kind="recycle" config={config} today={TODAY} onSave={onSave} />
        </FramedInPage.Provider>,
      );
      // No observer, no wait for "visible", no dwell: the side panel sliding open moves it under the pointer.
      expect(IO.rows()).toHaveLength(0);
      expect(blocked()).toBe(false);
      fireEvent.pointerOver(save(), at(100, 500, { x: 1200, y: 0 }));
      clickWithMouse(save(), at(100, 500, { x: 900, y: 0 }));
      expect(onSave).toHaveBeenCalledTimes(1);
      expect(screen.queryByText(TOO_SOON)).toBeNull();
    });

    it('the press itself, with no move before it, counts as the pointer coming in', () => {
      const onSave = renderForm();
      inView();
      clickWithMouse(save());
      expect(onSave).not.toHaveBeenCalled();
    });

    it('the frame moving under a resting pointer starts the dwell again, as does the pointer leaving', () => {
      const onSave = renderForm();
      inView();
      fireEvent.pointerMove(document.body, at(50, 100));
      wait(POINTER_DWELL_MS * 2);
      // The page moves the host 300px up under the pointer (no pointer event reaches the panel for that):
      // the press comes at the same screen point, another point of the panel.
      clickWithMouse(save(), at(50, 400, { x: 900, y: -300 }));
      expect(onSave).not.toHaveBeenCalled();
      wait(POINTER_DWELL_MS);
      clickWithMouse(save(), at(50, 400, { x: 900, y: -300 }));
      expect(onSave).toHaveBeenCalledTimes(1);

      // Moving between the panel's own elements is no leaving (their pointerleave events pass the root too)…
      leave(save(), at(100, 500));
      leave(document.body, at(100, 500));
      wait(POINTER_DWELL_MS);
      clickWithMouse(save(), at(50, 400, { x: 900, y: -300 }));
      expect(onSave).toHaveBeenCalledTimes(2);
      // …leaving the panel's document is: the dwell starts again when the pointer comes back.
      fireEvent.pointerOut(document.body, { ...at(0, 100), relatedTarget: null });
      fireEvent.pointerOver(save(), at(100, 500));
      wait(POINTER_DWELL_MS - 1);
      clickWithMouse(save());
      expect(onSave).toHaveBeenCalledTimes(2);
      leave(document.documentElement, at(-1, 100));
      fireEvent.pointerOver(save(), at(100, 500));
      wait(POINTER_DWELL_MS - 1);
      clickWithMouse(save());
      expect(onSave).toHaveBeenCalledTimes(2);
    });

    it('keyboard activation (Enter on the button, Enter in a field) needs no dwell', () => {
      const onSave = renderForm();
      inView();
      fireEvent.click(save(), { detail: 0 }); // what Enter or Space on a button dispatches
      expect(onSave).toHaveBeenCalledTimes(1);
    });
  });

  describe('where focus goes when a form opens', () => {
    it('opened by a pointer’s click: its heading, so that "press Enter" cannot submit a complete form blindly', () => {
      fireEvent.pointerDown(document.body, at(10, 10));
      renderUtc(<DispositionForm kind="recycle" config={config} today={TODAY} onSave={vi.fn()} autoFocus />);
      expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Recycle to nurture' }));
    });

    it('opened from the keyboard: its first field', () => {
      fireEvent.keyDown(document.body, { key: 'Enter' });
      renderUtc(<DispositionForm kind="recycle" config={config} today={TODAY} onSave={vi.fn()} autoFocus />);
      expect(document.activeElement).toBe(screen.getByLabelText('Re-check on'));
    });
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
