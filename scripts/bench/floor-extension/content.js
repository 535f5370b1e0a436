// The page-cost bench's floor (scripts/bench/page-cost-floor.ts): the least an extension with a panel in
// an iframe can cost a CRM page. One element, one style write, one append; no reads, no messages, no
// runtime. Same run_at and the same width and docking as the project's panel.
const frame = document.createElement('iframe');
frame.src = chrome.runtime.getURL('empty.html');
frame.style.cssText = 'position:fixed;top:0;right:0;bottom:0;width:380px;height:100%;border:0;z-index:2147483646';
(document.body ?? document.documentElement).append(frame);
