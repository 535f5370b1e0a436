import { useEffect, useState, type RefObject } from 'react';

/**
 * Clickjacking defence (issue 18 finding 2, ADR 0015): the panel is a frame inside a page we do not control,
 * which can make it transparent, cover it with decoys, or move it under the pointer. An action that commits
 * something works only once the browser has said, for this long without a break, that the element holding
 * it is fully in view and nothing covers, fades or transforms it (IntersectionObserver v2 `isVisible`).
 */
export const VISIBLE_FOR_MS = 500;
/** The shortest notification delay IntersectionObserver v2 allows with `trackVisibility`. */
const OBSERVER_DELAY_MS = 100;

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
 * True once `ref`'s element has been fully in view and visible (as the browser says) for `visibleForMs`;
 * false at once when it stops being. Always true where the browser cannot tell (`tracksVisibility`).
 */
export function useFrameVisible(ref: RefObject<Element | null>, visibleForMs = VISIBLE_FOR_MS): boolean {
  const [tracked] = useState(tracksVisibility);
  const [visible, setVisible] = useState(!tracked);
  useEffect(() => {
    const element = ref.current;
    if (!tracked || !element) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const observer = new IntersectionObserver(
      (entries) => {
        const entry = entries.at(-1) as VisibilityEntry | undefined;
        if (!entry) return;
        clearTimeout(timer);
        timer = undefined;
        // Fully in view (a half-shown button is a decoy's best friend) and nothing over or through it.
        if (entry.isVisible === true && entry.intersectionRatio >= 0.99) timer = setTimeout(() => setVisible(true), visibleForMs);
        else setVisible(false);
      },
      { threshold: 1, trackVisibility: true, delay: OBSERVER_DELAY_MS } as IntersectionObserverInit,
    );
    observer.observe(element);
    return () => {
      clearTimeout(timer);
      observer.disconnect();
      setVisible(false);
    };
  }, [ref, tracked, visibleForMs]);
  return visible;
}
