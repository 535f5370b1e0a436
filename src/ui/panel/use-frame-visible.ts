import { createContext, useContext, useEffect, useState, type RefObject } from 'react';

/**
 * Clickjacking defence (issue 18 findings 2 and 3, ADR 0015): the panel is a frame inside a page we do not
 * control, which can make it transparent, cover it with decoys, clip it, or move it under the pointer. A
 * control that commits something (Save, Log call, Discard) works only
 * - once the browser has said, for this long without a break, that the element holding it is fully in view
 *   and nothing covers, fades or transforms it (IntersectionObserver v2 `isVisible`), that the whole frame is
 *   on screen and not clipped (a full-frame sentinel, plain IntersectionObserver), and that the frame is not
 *   shrunk to a sliver around the button (`MIN_FRAME_WIDTH` × `MIN_FRAME_HEIGHT`): `useFrameVisible`;
 * - and, for a pointer's click, once the pointer has been inside the panel's document for `POINTER_DWELL_MS`
 *   before the button went down, without the frame moving under it (IntersectionObserver says nothing when
 *   the page moves the frame with top/left): `useActionGate`. Keyboard activation needs no dwell.
 */
export const VISIBLE_FOR_MS = 500;

/**
 * Whether the panel is a frame inside a web page (the default) and so needs the gate. The browser's own
 * side panel (ADR 0020) is browser UI beside the page: no page can frame, cover, fade or move it, so there
 * the gate stands aside (its sliding open would otherwise count as the frame moving under the pointer).
 */
export const FramedInPage = createContext(true);
/** How long the pointer must have been in the panel (the frame not moving under it) before a click that commits. */
export const POINTER_DWELL_MS = 500;
/** The smallest frame that can act: a frame cut down to the Save row shows nothing of what is being saved. */
export const MIN_FRAME_WIDTH = 280;
export const MIN_FRAME_HEIGHT = 360;
/** The shortest notification delay IntersectionObserver v2 allows with `trackVisibility`. */
const OBSERVER_DELAY_MS = 100;
/** A change of the frame's place on screen by more than this (CSS px) is the frame moving under the pointer. */
const MOVED_PX = 2;

/**
 * The pointer dwell in use. Component tests that click at once with user-event set it to 0
 * (test/support/setup.ts); the gate's own tests set it back.
 */
export const gateTiming = { pointerDwellMs: POINTER_DWELL_MS };

/** IntersectionObserver v2's additions (not in TypeScript's DOM types yet). */
interface VisibilityEntry extends IntersectionObserverEntry {
  readonly isVisible?: boolean;
}

/**
 * Whether the browser reports occlusion and visual effects (IntersectionObserver v2: Chromium). Firefox,
 * Safari and happy-dom do not: there the panel treats itself as visible (ADR 0015 says what that leaves).
 */
export function tracksVisibility(): boolean {
  return typeof IntersectionObserver === 'function' && typeof IntersectionObserverEntry === 'function' && 'isVisible' in IntersectionObserverEntry.prototype;
}

/**
 * True once `ref`'s element has been fully in view and visible, the whole frame on screen and unclipped, and
 * the frame large enough, all at once for `visibleForMs` (as the browser says); false at once when one of them
 * stops. Always true where the browser cannot tell occlusion (`tracksVisibility`).
 */
export function useFrameVisible(ref: RefObject<Element | null>, visibleForMs = VISIBLE_FOR_MS): boolean {
  const framed = useContext(FramedInPage);
  const [tracked] = useState(() => framed && tracksVisibility());
  const [visible, setVisible] = useState(!tracked);
  useEffect(() => {
    const element = ref.current;
    if (!tracked || !element) return;
    const doc = element.ownerDocument;
    const win = doc.defaultView ?? window;
    const ok = { row: false, frame: false, size: false };
    let timer: ReturnType<typeof setTimeout> | undefined;
    let shown = false;
    const evaluate = () => {
      if (ok.row && ok.frame && ok.size) {
        if (!shown && timer === undefined)
          timer = setTimeout(() => {
            timer = undefined;
            shown = true;
            setVisible(true);
          }, visibleForMs);
        return;
      }
      clearTimeout(timer);
      timer = undefined;
      shown = false;
      setVisible(false);
    };
    // The control's row: fully in view (a half-shown button is a decoy's best friend) and nothing over or through it.
    const row = new IntersectionObserver(
      (entries) => {
        const entry = entries.at(-1) as VisibilityEntry | undefined;
        if (!entry) return;
        ok.row = entry.isVisible === true && entry.intersectionRatio >= 0.99;
        // A new "visible" after any report starts the wait again: a decoy moving away just before a click gains nothing.
        if (ok.row && !shown) {
          clearTimeout(timer);
          timer = undefined;
        }
        evaluate();
      },
      { threshold: 1, trackVisibility: true, delay: OBSERVER_DELAY_MS } as IntersectionObserverInit,
    );
    // The whole frame: a sentinel over the frame's viewport must be entirely on screen, so a host moved mostly
    // off screen, or clipped by an ancestor with everything but the button cut away, cannot act. Plain
    // IntersectionObserver (no occlusion: a chat widget over a corner must not block saving for good), drawn
    // under everything (negative z-index) so it never counts as covering the button for the row's observer.
    const sentinel = doc.createElement('div');
    sentinel.setAttribute('aria-hidden', 'true');
    sentinel.dataset.lqSentinel = '';
    sentinel.style.cssText = 'position:fixed;inset:0;pointer-events:none;z-index:-2147483647;visibility:visible;background:none;border:0;margin:0;padding:0';
    (doc.body ?? doc.documentElement).append(sentinel);
    const frame = new IntersectionObserver(
      (entries) => {
        const entry = entries.at(-1);
        if (!entry) return;
        ok.frame = entry.intersectionRatio >= 0.99;
        evaluate();
      },
      { threshold: [0, 0.5, 0.99, 1] },
    );
    const size = () => {
      ok.size = win.innerWidth >= MIN_FRAME_WIDTH && win.innerHeight >= MIN_FRAME_HEIGHT;
      evaluate();
    };
    size();
    win.addEventListener('resize', size);
    row.observe(element);
    frame.observe(sentinel);
    return () => {
      clearTimeout(timer);
      row.disconnect();
      frame.disconnect();
      sentinel.remove();
      win.removeEventListener('resize', size);
      setVisible(false);
    };
  }, [ref, tracked, visibleForMs]);
  return visible;
}

/** Where the pointer has been in one document, and what the rep used last. */
interface PointerState {
  /** When the pointer came into the document (or the frame last moved under it); undefined while it is outside. */
  enteredAt?: number;
  /** The frame's place on screen then (screen minus client coordinates). */
  origin?: { x: number; y: number };
  /** The last press of a pointer: whether it had dwelt long enough by then. */
  lastDown?: { dwelt: boolean };
  /** What the rep used last, for where focus goes when a form opens. */
  modality?: 'pointer' | 'keyboard';
}

const pointers = new WeakMap<Document, PointerState>();
const now = () => performance.now();

function originOf(e: PointerEvent) {
  return { x: e.screenX - e.clientX, y: e.screenY - e.clientY };
}

/** The pointer is in the document at `e`: it came in now, or the frame moved under it (its origin changed). */
function pointerAt(state: PointerState, e: PointerEvent) {
  const origin = originOf(e);
  const moved = state.origin !== undefined && (Math.abs(origin.x - state.origin.x) > MOVED_PX || Math.abs(origin.y - state.origin.y) > MOVED_PX);
  if (state.enteredAt === undefined || moved) state.enteredAt = now();
  state.origin = origin;
}

function pointerLeft(state: PointerState) {
  state.enteredAt = undefined;
  state.origin = undefined;
}

/** Follows the pointer and the keyboard in `doc` (capture phase: before any handler of ours runs). */
function pointerState(doc: Document): PointerState {
  const known = pointers.get(doc);
  if (known) return known;
  const state: PointerState = {};
  pointers.set(doc, state);
  const capture = { capture: true, passive: true };
  doc.addEventListener('pointerover', (e) => pointerAt(state, e), capture);
  doc.addEventListener('pointermove', (e) => pointerAt(state, e), capture);
  doc.addEventListener(
    'pointerout',
    (e) => {
      if (e.relatedTarget === null) pointerLeft(state);
    },
    capture,
  );
  // Not in the capture phase: there every element's own pointerleave would pass by (it does not bubble, but it is captured).
  const root = doc.documentElement;
  root?.addEventListener('pointerleave', (e) => void (e.target === root && pointerLeft(state)), { passive: true });
  doc.addEventListener(
    'pointerdown',
    (e) => {
      pointerAt(state, e);
      state.modality = 'pointer';
      // A finger has no hover to dwell with (ADR 0015: touch is not covered by the dwell).
      const dwelt = e.pointerType === 'touch' || now() - (state.enteredAt ?? Infinity) >= gateTiming.pointerDwellMs;
      state.lastDown = { dwelt };
    },
    capture,
  );
  doc.addEventListener('keydown', () => void (state.modality = 'keyboard'), capture);
  return state;
}

// From the panel's start, so the pointer's time in the panel counts before any gated control appears.
if (typeof document !== 'undefined') pointerState(document);

/** For tests: forget where the pointer was and what was used last. */
export function resetPointerTracking(doc: Document = document): void {
  const state = pointerState(doc);
  pointerLeft(state);
  delete state.lastDown;
  delete state.modality;
}

/** Whether the rep's last input in `doc` was a pointer (a click opened what appears now), not the keyboard. */
export function lastInputWasPointer(doc: Document = document): boolean {
  return pointerState(doc).modality === 'pointer';
}

/** The click (`detail` > 0: a pointer's) came from a press made after the pointer had dwelt in the document. */
function pointerDwelt(doc: Document): boolean {
  return pointerState(doc).lastDown?.dwelt === true;
}

/** What a control that commits needs from the gate. */
export interface ActionGate {
  /** Not (long enough) fully in view, uncovered and whole: the control is `aria-disabled` and does nothing. */
  hidden: boolean;
  /** The last click came too soon after the pointer entered the panel (or the panel moved under it): it did nothing. */
  tooSoon: boolean;
  /**
   * Call from the control's `onClick`: false, with the click's default prevented (no form submission), when
   * it must do nothing. Keyboard activation (Enter, Space, a form's implicit submission: `detail` 0) needs no
   * dwell; a pointer's click does.
   */
  allows(event: { detail: number; preventDefault(): void }): boolean;
}

/** The clickjacking gate of one control that commits (or a row of them): `ref` holds it. */
export function useActionGate(ref: RefObject<Element | null>): ActionGate {
  const visible = useFrameVisible(ref);
  const [tooSoon, setTooSoon] = useState(false);
  useEffect(() => {
    pointerState(ref.current?.ownerDocument ?? document);
  }, [ref]);
  const framed = useContext(FramedInPage);
  const allows = (event: { detail: number; preventDefault(): void }) => {
    if (!framed) return true;
    if (!visible) {
      event.preventDefault();
      return false;
    }
    if (event.detail > 0 && !pointerDwelt(ref.current?.ownerDocument ?? document)) {
      event.preventDefault();
      setTooSoon(true);
      return false;
    }
    setTooSoon(false);
    return true;
  };
  return { hidden: !visible, tooSoon, allows };
}
