/** Test helper: replace the current (happy-dom) document with a recorded fixture page. */
export function loadFixture(html: string, doc: Document = document): void {
  const parsed = new DOMParser().parseFromString(html, 'text/html');
  const nodes = [...parsed.documentElement.childNodes].map((node) => doc.importNode(node, true));
  doc.documentElement.replaceChildren(...nodes);
}

/** Runs `fn` as in a browser without `Element.prototype.checkVisibility`. */
export function withoutCheckVisibility<T>(fn: () => T): T {
  const proto = Element.prototype;
  const original = Object.getOwnPropertyDescriptor(proto, 'checkVisibility');
  Reflect.deleteProperty(proto, 'checkVisibility');
  try {
    return fn();
  } finally {
    if (original) Object.defineProperty(proto, 'checkVisibility', original);
  }
}
