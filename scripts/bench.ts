/**
 * `npm run bench`: speed and size figures as a report, never as pass/fail timings in tests.
 * Writes `.reports/bench.md` and `.reports/bench.json`; each figure has its target and the ratio to it.
 * Figures that later work adds (page cost in Chromium, store, sync, import) get their own section here.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { mulberry32 } from './demo-crm/seed';
import { defaultConfig } from '../src/domain/defaults';
import { emptyChecklist } from '../src/domain/frameworks';
import { DAY_MS, leadProfileSchema, type LeadProfile } from '../src/domain/lead';
import { qualify } from '../src/domain/qualify';
import { scoreLead } from '../src/domain/scoring';
import { benchDashboardInChromium, type DashboardBench } from './bench-dashboard';
import { benchPageCost } from './bench/page-cost';
import { benchResume } from './bench/resume';
import { benchImport } from './bench/import';
import { benchOutboxCommit, benchRedundantWrites, benchSync } from './bench/sync';
import { demoBenchTarget, hubspotBenchTarget, salesforceBenchTarget } from './bench/targets';

interface Figure {
  section: string;
  name: string;
  value: number;
  unit: string;
  /** Lower is better; the ratio is value / target (≤ 1 meets it). */
  target?: number;
}

const figures: Figure[] = [];
const root = process.cwd();

function bundleSizes() {
  const out = join(root, '.output', 'chrome-mv3');
  if (!existsSync(out)) {
    console.warn('No build in .output/chrome-mv3: run `npm run build` first for bundle sizes.');
    return;
  }
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.js')) files.push(p);
    }
  };
  walk(out);
  const gz = new Map(files.map((f) => [relative(out, f), gzipSync(readFileSync(f), { level: 9 }).length]));
  // One content script per CRM (wxt.config.ts): each is all a page of that CRM loads.
  const contentScripts = [...gz.keys()].filter((rel) => rel.startsWith('content-scripts/')).sort();
  for (const rel of [...contentScripts, 'background.js']) {
    figures.push({ section: 'Bundle (gzip)', name: rel, value: gz.get(rel) ?? 0, unit: 'B', target: rel.startsWith('content-scripts/') ? 25 * 1024 : undefined });
  }
  // Each page: the JS its HTML loads at once (entry script and module preloads); lazy chunks come later.
  for (const page of readdirSync(out).filter((n) => n.endsWith('.html')).sort()) {
    const html = readFileSync(join(out, page), 'utf8');
    const scripts = [...html.matchAll(/(?:src|href)="\/([^"]+\.js)"/g)].map((m) => m[1]!);
    const total = scripts.reduce((sum, rel) => sum + (gz.get(rel) ?? 0), 0);
    figures.push({ section: 'Bundle (gzip)', name: `${page}: JS loaded at open`, value: total, unit: 'B', target: page === 'panel.html' ? 200 * 1024 : undefined });
  }
}

function makeLeads(n: number, now: number): LeadProfile[] {
  const rnd = mulberry32(42);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const types = ['pricing_page_visit', 'demo_request', 'webinar_attended', 'case_study_download', 'newsletter_signup', 'email_reply', 'unsubscribe'];
  return Array.from({ length: n }, (_, i) =>
    leadProfileSchema.parse({
      crm: 'demo',
      recordId: `L${i}`,
      title: pick(['VP Sales', 'Director of IT', 'Engineer', 'Intern', 'Head of Ops', 'CEO']),
      industry: pick(['Software', 'Retail', 'Healthcare', 'Manufacturing']),
      companySize: Math.floor(rnd() * 5000),
      region: pick(['Europe', 'North America', 'Asia']),
      activities: Array.from({ length: Math.floor(rnd() * 30) }, () => ({ type: pick(types), at: new Date(now - Math.floor(rnd() * 120) * DAY_MS).toISOString() })),
    }),
  );
}

function time(fn: () => void, repeat: number): number[] {
  const samples: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return samples.sort((a, b) => a - b);
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

function engine() {
  const config = defaultConfig();
  const now = Date.parse('2026-11-20T12:00:00Z');
  const leads = makeLeads(1000, now);
  const checklist = emptyChecklist('bant');
  for (const l of leads) scoreLead(l, config.scoring, now); // warm-up
  const scoreAll = time(() => leads.forEach((l) => scoreLead(l, config.scoring, now)), 20);
  figures.push({ section: 'Engine', name: 'score 1,000 leads, median', value: pct(scoreAll, 50), unit: 'ms' });
  const perLead = time(() => qualify(leads[7]!, checklist, config, now), 500);
  // The panel recomputes on every click: qualification must fit well inside a 100 ms interaction budget.
  figures.push({ section: 'Engine', name: 'qualify one lead (score, recommendation, questions, SLA), p95', value: pct(perLead, 95), unit: 'ms', target: 5 });
}

function report() {
  const fmt = (f: Figure) => (f.unit === 'B' ? `${(f.value / 1024).toFixed(1)} KB` : `${f.value.toFixed(2)} ${f.unit}`);
  const lines = ['# Bench report', '', `Node ${process.version}, ${new Date().toISOString()}`, ''];
  let section = '';
  for (const f of figures) {
    if (f.section !== section) {
      section = f.section;
      lines.push(`## ${section}`, '', '| figure | value | target | ratio |', '| --- | --- | --- | --- |');
    }
    const target = f.target === undefined ? '' : f.unit === 'B' ? `≤ ${(f.target / 1024).toFixed(0)} KB` : `≤ ${f.target} ${f.unit}`;
    const ratio = f.target === undefined ? '' : `${(f.value / f.target).toFixed(2)}${f.value <= f.target ? '' : ' ⚠ over'}`;
    lines.push(`| ${f.name} | ${fmt(f)} | ${target} | ${ratio} |`);
    const next = figures[figures.indexOf(f) + 1];
    if (!next || next.section !== section) lines.push('');
  }
  mkdirSync(join(root, '.reports'), { recursive: true });
  writeFileSync(join(root, '.reports', 'bench.md'), lines.join('\n'));
  writeFileSync(join(root, '.reports', 'bench.json'), JSON.stringify({ node: process.version, figures }, null, 2));
  console.log(lines.join('\n'));
  console.log('Written to .reports/bench.md and .reports/bench.json');
}

function dashboardFigures(b: DashboardBench): Figure[] {
  const section = `Dashboard at ${b.rows.toLocaleString('en-US')} decisions (IndexedDB in Chromium)`;
  const out: Figure[] = [{ section, name: `seeding ${b.rows.toLocaleString('en-US')} decisions (${b.revisions.toLocaleString('en-US')} revisions)`, value: b.seedMs, unit: 'ms' }];
  for (const sc of b.scenarios) {
    out.push({ section, name: `${sc.name}: filter + first page, p95 (${sc.total.toLocaleString('en-US')} rows match)`, value: sc.warm.p95, unit: 'ms', target: b.targetMs });
  }
  out.push({ section, name: 'count, p95 (not on the query path: IndexedDB walks every row to count)', value: b.count.p95, unit: 'ms' });
  out.push({ section, name: `opening the dashboard: read-ahead starts → first filtered page, p95 (summaries saved last time; ${b.restoredRows.toLocaleString('en-US')}+ rows restored)`, value: b.opening.p95, unit: 'ms' });
  out.push({ section, name: 'restoring the saved summaries, checked against the table, p50', value: b.restore.p50, unit: 'ms' });
  out.push({ section, name: 'summarising every row when nothing is saved (first opening ever), p50', value: b.readAhead.p50, unit: 'ms' });
  for (const k of b.kpis) out.push({ section, name: `KPIs (${k.name}, ${k.rows.toLocaleString('en-US')} rows): read + compute, p95`, value: k.read.p95 + k.compute.p95, unit: 'ms', target: 300 });
  return out;
}

async function main() {
  bundleSizes();
  engine();
  // 20 paired loads; against the floor 12 rounds per page (issue 19), and 8 traced loads each for the steps.
  figures.push(...(await benchPageCost({ runs: 20, floorRuns: 12, traceRuns: 8, log: (line) => console.log(line) })));
  figures.push(...(await benchOutboxCommit()));
  figures.push(...dashboardFigures(await benchDashboardInChromium({ rows: 100_000, log: (line) => console.log(line) })));
  const targets = [await hubspotBenchTarget(), await salesforceBenchTarget(), await demoBenchTarget()];
  try {
    figures.push(...(await benchSync(targets)));
    figures.push(...(await benchRedundantWrites(targets)));
  } finally {
    for (const t of targets) await t.standIn.close();
  }
  // Import at scale (issue 16): 10,000 decision notes from the HubSpot stand-in and the demo CRM.
  figures.push(...(await benchImport({ log: (line) => console.log(line) })));
  figures.push(...(await benchResume({ log: (line) => console.log(line) })));
  report();
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
