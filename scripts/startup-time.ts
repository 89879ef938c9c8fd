// How fast the designer starts, measured in Debian's Chromium and printed (not a test):
//   - greeting: the default board's firmware has printed its greeting in the terminal,
//   - graph:    the board's graph shows its nodes,
//   - editor:   the board document shows in the editor,
// each in milliseconds after the page's load event (and after navigation start, for reference),
// for a fresh browser context each run (nothing in the HTTP cache, no autosave), for two servers:
//   - production: `vite build` served by `vite preview` (what e2e tests run against),
//   - npm start:  exactly what `npm start` runs (its command is read from package.json).
//   npx tsx scripts/startup-time.ts [--runs N] [--only production|start]
// Targets (issue 10): greeting within 1000 ms of the load event, graph and editor within 1500 ms.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { chromium, type Browser } from '@playwright/test';

const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '5' }, only: { type: 'string' } } });
const RUNS = Math.max(1, Number(args.runs));
const TARGETS = { greeting: 1000, graph: 1500, editor: 1500 } as const;
type Milestone = keyof typeof TARGETS;
const MILESTONES = Object.keys(TARGETS) as Milestone[];

const root = new URL('..', import.meta.url).pathname;

/** Starts a server command and resolves with its process and the URL it prints once it listens. */
function serve(command: string, env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', command], { cwd: root, env: { ...process.env, BROWSER: 'none', ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => reject(new Error(`"${command}" printed no URL within 180 s:\n${output}`)), 180_000);
    const look = (chunk: Buffer) => {
      // eslint-disable-next-line no-control-regex
      output += chunk.toString().replace(/\x1b\[[0-9;]*m/g, '');
      const match = /Local:\s+(http:\/\/localhost:\d+\/)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1] });
      }
    };
    child.stdout!.on('data', look);
    child.stderr!.on('data', look);
    child.on('exit', (code) => reject(new Error(`"${command}" exited (${code}) before it served:\n${output}`)));
  });
}

function stop(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, 'SIGTERM');
  } catch {
    // already gone
  }
}

// Runs in the page before any of its scripts: notes when each milestone first holds (checked every
// animation frame and on every DOM change), and when the load event fires. A string, so that tsx's
// helpers do not end up in the page.
const PROBE = `(() => {
  const seen = {};
  window.__startup = seen;
  const note = (name, ok) => { if (seen[name] === undefined && ok()) seen[name] = performance.now(); };
  const check = () => {
    note('greeting', () => (window.__boardlab?.terminalText() ?? '').includes('Hello, BoardLab!'));
    note('graph', () => document.querySelector('[data-testid="board-graph"] .react-flow__node') !== null);
    note('editor', () => (document.querySelector('[data-testid="json-editor"] .view-lines')?.textContent ?? '').includes('"boardlab"'));
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true });
  const frame = () => { check(); if (Object.keys(seen).length < 4) requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
  addEventListener('load', () => { seen.load = performance.now(); });
})()`;

interface RunFigures {
  load: number;
  /** Milliseconds after navigation start. */
  at: Record<Milestone, number>;
  /** The page's own performance marks ("boardlab:…", see src/ui/controller.ts), ms after navigation start. */
  marks: Record<string, number>;
}

async function measure(browser: Browser, url: string): Promise<RunFigures> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.addInitScript(PROBE);
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => {
    const seen = (window as unknown as { __startup?: Record<string, number> }).__startup;
    return seen !== undefined && ['load', 'greeting', 'graph', 'editor'].every((k) => seen[k] !== undefined);
  }, undefined, { timeout: 60_000 });
  const seen = (await page.evaluate('window.__startup')) as Record<string, number>;
  const marks = (await page.evaluate(`Object.fromEntries(performance.getEntriesByType('mark').filter((m) => m.name.startsWith('boardlab:')).map((m) => [m.name.slice(9), m.startTime]))`)) as Record<string, number>;
  await context.close();
  return { load: seen.load, at: { greeting: seen.greeting, graph: seen.graph, editor: seen.editor }, marks };
}

function stats(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  return `median ${median.toFixed(0).padStart(5)} ms  (min ${sorted[0].toFixed(0)}, max ${sorted[sorted.length - 1].toFixed(0)})`;
}

async function report(name: string, browser: Browser, url: string): Promise<boolean> {
  await measure(browser, url); // a first visit warms the server (the dev server transforms modules on first request)
  const runs: RunFigures[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await measure(browser, url));
  console.log(`\n${name} (${url}), ${RUNS} fresh browser contexts:`);
  console.log(`  load event       ${stats(runs.map((r) => r.load))} after navigation start`);
  let met = true;
  for (const milestone of MILESTONES) {
    const afterLoad = runs.map((r) => r.at[milestone] - r.load);
    const median = [...afterLoad].sort((a, b) => a - b)[Math.floor(afterLoad.length / 2)];
    const ok = median <= TARGETS[milestone];
    met &&= ok;
    console.log(`  ${milestone.padEnd(16)} ${stats(afterLoad)} after load   target ${TARGETS[milestone]} ms: ${ok ? 'met' : 'NOT met'}`);
  }
  const markNames = [...new Set(runs.flatMap((r) => Object.keys(r.marks)))].sort((a, b) => runs[0].marks[a] - runs[0].marks[b]);
  if (markNames.length > 0) console.log(`  where the time goes (the page's marks, median ms after load): ${markNames.map((name) => `${name} ${[...runs.map((r) => r.marks[name] - r.load)].sort((a, b) => a - b)[Math.floor(runs.length / 2)].toFixed(0)}`).join(' · ')}`);
  return met;
}

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
const servers: Array<{ name: string; command: string }> = [
  { name: 'production build', command: 'npx vite build --outDir dist-startup >/dev/null && npx vite preview --outDir dist-startup --port 4176 --strictPort' },
  { name: `npm start (${pkg.scripts.start})`, command: 'npm start -- --port 4177 --strictPort' },
].filter((s) => args.only === undefined || (args.only === 'production' ? s.name.startsWith('production') : s.name.startsWith('npm start')));

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
let allMet = true;
try {
  for (const server of servers) {
    const { child, url } = await serve(server.command);
    try {
      allMet = (await report(server.name, browser, url)) && allMet;
    } finally {
      stop(child);
    }
  }
} finally {
  await browser.close();
}
console.log(`\n${allMet ? 'every target met' : 'some targets not met'} (medians; this machine: ${(await import('node:os')).cpus().length} cores)`);
