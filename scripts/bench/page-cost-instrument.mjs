// The page-cost bench's step markers (issue 19): a Vite plugin for a separate, instrumented build of the
// content script, never a store build. It wraps the functions of each step in `console.timeStamp` pairs,
// "lq>step" on entry and "lq<step" on exit (try/finally), which a DevTools trace records as TimeStamp
// events on the page's main thread with their wall and thread clocks. scripts/bench/page-cost-steps.ts
// turns them into a per-step breakdown; GC and style/layout inside a step are cut out of it from the
// trace's own events. Markers are put in the sources (before minification), by function name, so the
// breakdown names our functions, not the minifier's.
import ts from 'typescript';

/**
 * Which functions belong to which step. A key `name` matches every function, method or arrow bound to
 * that name; `outer>name` only one inside a function named `outer`. The most specific key wins. Named
 * helpers inside a marked function, and anonymous callbacks it hands to async APIs (then, addListener,
 * setTimeout, MutationObserver…), get its step unless they have their own, so work they do later, called
 * from elsewhere, is still named. Other anonymous functions are not marked: they run inside their caller's step.
 */
export const STEP_SPECS = [
  { file: /[\\/]node_modules[\\/]wxt[\\/]dist[\\/]utils[\\/](?:content-script-context|internal[\\/]location-watcher|internal[\\/]custom-events)\.mjs$/, all: 'wxt' },
  { file: /[\\/]src[\\/]content[\\/]context\.ts$/, all: 'wxt' },
  { file: /[\\/]node_modules[\\/]@wxt-dev[\\/]browser[\\/]src[\\/]index\.mjs$/, statements: [{ from: 'globalThis.browser', to: 'globalThis.browser', step: 'api' }] },
  { file: /[\\/]src[\\/]content[\\/]entrypoint\.ts$/, functions: { main: 'glue' }, calibrate: 'main' },
  { file: /[\\/]src[\\/]content[\\/]index\.ts$/, functions: { startContentScript: 'glue', clipLeadDom: 'report' } },
  { file: /[\\/]src[\\/]crm[\\/]lead-key\.ts$/, functions: { detectLeadPageIn: 'detect' } },
  { file: /[\\/]src[\\/]crm[\\/][^\\/]+[\\/]page\.ts$/, functions: { readLead: 'read', detect: 'detect' } },
  { file: /[\\/]src[\\/]crm[\\/]dom\.ts$/, functions: { isVisible: 'visible' } },
  { file: /[\\/]src[\\/]content[\\/]lead-reporter\.ts$/, functions: { createLeadReporter: 'report' } },
  { file: /[\\/]src[\\/]messaging[\\/]notifier\.ts$/, functions: { 'createNotifier>notify': 'message' } },
  { file: /[\\/]src[\\/]messaging[\\/]frame-token\.ts$/, functions: { requestPanelFrame: 'token', frameFromReply: 'token', frameTokenHash: 'token' } },
  {
    file: /[\\/]src[\\/]content[\\/]panel-host\.ts$/,
    functions: {
      startPanelHost: 'glue',
      panelUrl: 'insert',
      createPanelFrame: 'frame',
      load: 'insert',
      unmount: 'insert',
      applyCollapsed: 'button',
      setCollapsed: 'button',
      toggle: 'button',
      listen: 'storage',
      takeChoices: 'storage',
      onStorageChanged: 'storage',
      keepAttached: 'watch',
    },
    statements: [{ within: 'createPanelFrame', from: "createElement('button')", to: "addEventListener('click'", step: 'button' }],
  },
];

const CALLBACK_TAKERS = new Set(['then', 'catch', 'finally', 'addEventListener', 'addListener', 'setTimeout', 'setInterval', 'requestAnimationFrame', 'requestIdleCallback', 'queueMicrotask', 'onInvalidated', 'MutationObserver']);

const enter = (step) => `console.timeStamp("lq>${step}");`;
const exit = (step) => `console.timeStamp("lq<${step}");`;

function nameOf(node) {
  if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isGetAccessor(node) || ts.isSetAccessor(node)) && node.name) return node.name.getText();
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const parent = node.parent;
  if ((ts.isFunctionExpression(node) || ts.isArrowFunction(node)) && parent) {
    if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) return parent.name.getText();
    if (ts.isReturnStatement(parent) && node.name) return node.name.getText();
    if (ts.isFunctionExpression(node) && node.name) return node.name.getText();
  }
  return undefined;
}

/** The name of the call or `new` a function is passed to, when it is an argument. */
function takerOf(node) {
  const call = node.parent;
  if (!call || !(ts.isCallExpression(call) || ts.isNewExpression(call)) || !call.arguments?.includes(node)) return undefined;
  const callee = call.expression;
  return ts.isPropertyAccessExpression(callee) ? callee.name.getText() : callee.getText();
}

const isFunctionLike = (n) =>
  ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n) || ts.isConstructorDeclaration(n) || ts.isGetAccessor(n) || ts.isSetAccessor(n) || ts.isFunctionExpression(n) || ts.isArrowFunction(n);
const isAsync = (n) => !!n.asteriskToken || !!ts.getModifiers?.(n)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);

/** The step for a function from `functions` (keys `name` or `outer>name`), given its enclosing names. */
function stepFor(functions, name, outers) {
  if (!functions || !name) return undefined;
  for (const outer of outers) if (functions[`${outer}>${name}`]) return functions[`${outer}>${name}`];
  return functions[name];
}

/** Inserts the markers into one module's source; returns the new source, or null when nothing matched. */
export function instrumentSource(code, id, specs = STEP_SPECS) {
  const spec = specs.find((s) => s.file.test(id));
  if (!spec) return null;
  const kind = /\.tsx?$/.test(id) ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  const source = ts.createSourceFile(id, code, ts.ScriptTarget.Latest, true, kind);
  /** [position, text, order]: applied from the end, so positions stay valid. */
  const edits = [];
  const wrap = (fn, step) => {
    const body = fn.body;
    if (!body || isAsync(fn)) return;
    if (ts.isBlock(body)) {
      edits.push([body.getStart(source) + 1, `${enter(step)}try{`, 0], [body.getEnd() - 1, `}finally{${exit(step)}}`, 1]);
    } else {
      edits.push([body.getStart(source), `{${enter(step)}try{return (`, 0], [body.getEnd(), `)}finally{${exit(step)}}}`, 1]);
    }
  };
  const visit = (node, outers, inherited) => {
    let step = inherited;
    if (isFunctionLike(node)) {
      const name = nameOf(node);
      // Accessors are left alone: WXT's are one-liners called often, and a marker would cost more than they do.
      const accessor = ts.isGetAccessor(node) || ts.isSetAccessor(node);
      const own = spec.all && !accessor ? spec.all : stepFor(spec.functions, name, outers);
      const taker = takerOf(node);
      if (own) {
        wrap(node, own);
        step = own;
      } else if (inherited && !accessor && (name || (taker && CALLBACK_TAKERS.has(taker)))) {
        // A named helper inside a marked function, or a callback it hands out: called later, from
        // elsewhere, it still counts as this step.
        wrap(node, inherited);
      }
      if (spec.calibrate && name === spec.calibrate && ts.isBlock(node.body)) {
        // Empty steps at the start: what a marker costs in this run (the shortest of five, as the OS may
        // take the CPU away in any one of them).
        edits.push([node.body.getStart(source) + 1, `${enter('calibrate')}${exit('calibrate')}`.repeat(5), 2]);
      }
      if (name) outers = [name, ...outers];
    }
    ts.forEachChild(node, (child) => visit(child, outers, step));
  };
  visit(source, [], undefined);
  for (const region of spec.statements ?? []) {
    const blocks = [];
    const findBlocks = (node) => {
      if (ts.isBlock(node) || ts.isSourceFile(node)) {
        const owner = node.parent;
        if (!region.within || (owner && isFunctionLike(owner) && nameOf(owner) === region.within) || ts.isSourceFile(node)) blocks.push(node);
      }
      ts.forEachChild(node, findBlocks);
    };
    findBlocks(source);
    for (const block of blocks) {
      if (region.within && ts.isSourceFile(block)) continue;
      const statements = [...block.statements];
      const first = statements.findIndex((s) => s.getText(source).includes(region.from));
      if (first < 0) continue;
      let last = -1;
      for (let i = first; i < statements.length; i++) if (statements[i].getText(source).includes(region.to)) last = i;
      if (last < 0) continue;
      edits.push([statements[first].getStart(source), enter(region.step), 3], [statements[last].getEnd(), exit(region.step), 4]);
      break;
    }
  }
  if (edits.length === 0) return null;
  // Later positions first; at one position: closings before openings (a function that ends where a
  // region ends), then by order.
  edits.sort((a, b) => b[0] - a[0] || b[2] - a[2]);
  let out = code;
  for (const [pos, text] of edits) out = out.slice(0, pos) + text + out.slice(pos);
  return out;
}

/** The Vite plugin: instruments the modules STEP_SPECS names, before anything else transforms them. */
export function stepMarkers() {
  return {
    name: 'lead-qualifier:bench-step-markers',
    enforce: 'pre',
    transform(code, id) {
      const out = instrumentSource(code, id);
      return out === null ? null : { code: out, map: null };
    },
  };
}
