/** DOM helpers shared by the CRM readers. Content-script code: keep it tiny. */

/**
 * Whether the element is rendered. CRMs keep earlier record views in the DOM, hidden, so every read
 * must skip invisible matches. `checkVisibility()` where the browser has it; otherwise no ancestor may be
 * `hidden` or `display: none`.
 */
export function isVisible(el: Element): boolean {
  if (!el.isConnected) return false;
  if (typeof el.checkVisibility === 'function') return el.checkVisibility();
  const view = el.ownerDocument.defaultView;
  for (let node: Element | null = el; node; node = node.parentElement) {
    if (node.hasAttribute('hidden')) return false;
    if (view && view.getComputedStyle(node).display === 'none') return false;
  }
  return true;
}

/** The first visible element matching the selector, in document order. */
export function firstVisible(root: ParentNode, selector: string): Element | null {
  for (const el of root.querySelectorAll(selector)) if (isVisible(el)) return el;
  return null;
}

/** Trimmed text with runs of white space collapsed; undefined when empty. */
export function cleanText(text: string | null | undefined): string | undefined {
  const t = text?.replace(/\s+/g, ' ').trim();
  return t ? t : undefined;
}

/** The value shown by a field element: an input's value, or its text. */
export function fieldValue(el: Element | null | undefined): string | undefined {
  if (!el) return undefined;
  if (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA') return cleanText((el as HTMLInputElement).value);
  return cleanText(el.textContent);
}

/** The first part of a page title split on `|`, when the title ends with `suffix` and has `minParts`. */
export function nameFromTitle(title: string, suffix: string, minParts: number): string | undefined {
  const parts = title.split('|').map((p) => p.trim());
  if (parts.length < minParts || parts[parts.length - 1] !== suffix) return undefined;
  return cleanText(parts[0]);
}

/** Removes undefined fields; null when nothing was read. */
export function compact<T extends object>(data: T): T | null {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) if (v !== undefined) out[k] = v;
  return Object.keys(out).length > 0 ? (out as T) : null;
}
