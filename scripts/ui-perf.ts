// Measures the designer in Debian's Chromium and prints figures (not a test):
//   - a 300-object board: how long each view takes to lay out and draw, and frame times while
//     panning and zooming each view;
//   - an idle guest (the echo firmware waiting for a key): CPU used by the emulator worker, the
//     page's main thread and the whole browser — the worker should use none;
//   - a busy guest (counter, running flat out in the worker): the page's frame times and CPU, to
//     show emulation never blocks the UI thread;
//   - on each execution tier (the interpreter, code compiled to WebAssembly; issue #16): the bench
//     kernels (public/firmware/bench-*.elf on the hello board) in the emulator worker — guest
//     instructions per second from the run's start to the finisher's pass, timed in the page — and
//     the same board and kernel in Node on the same tier (Machine.build, in this process), with the
//     ratio Chromium/Node (the target: 0.8); then the page's frame rate while the counter
//     runs flat out on that tier (requestAnimationFrame callbacks in one second, counted in the page).
//     The tier is chosen with the run panel's tier switch (and ?tier= in the URL); a page without
//     the switch, or a core that cannot compile there, gets "n/a" and the reason for the compiling
//     tier, never the interpreter's figure.
//   npx vite build && npx tsx scripts/ui-perf.ts
//   BOARDLAB_PERF_ONLY=tiers skips everything before the tier figures.
// (serves dist/ with `vite preview` on port 4175 while it runs; BOARDLAB_PERF_PORT and
// BOARDLAB_PERF_OUT_DIR pick another port and build folder, so two runs on one machine do not
// collide; BOARDLAB_PERF_VIEWS=composition,irq pans and zooms only those views)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { threadCpuSeconds } from './lib/process-cpu.ts';
import { resolveBoard, type BoardDocument } from '../src/graph/index.ts';
import { Machine, engineModules } from '../src/engine/index.ts';
import type { ExecutionTier } from '../src/engine/cpu/contract.ts';

const PORT = Number(process.env.BOARDLAB_PERF_PORT ?? 4175);
const OUT_DIR = process.env.BOARDLAB_PERF_OUT_DIR ?? 'dist';
const URL_BASE = `http://localhost:${PORT}`;

function bigBoard(count: number): string {
  const objects: Record<string, unknown> = { cpu0: { type: 'rv32' }, ram: { type: 'ram', props: { size: '16M' } } };
  const memory: unknown[] = [{ map: 'ram.mem', at: '0x80000000' }];
  const irqs: unknown[] = [];
  const groups = Math.floor((count - 2) / 3);
  for (let i = 0; i < groups; i++) {
    objects[`uart${i}`] = { type: 'ns16550a' };
    objects[`button${i}`] = { type: 'button' };
    objects[`led${i}`] = { type: 'led' };
    memory.push({ map: `uart${i}.regs`, at: `0x${(0x10000000 + i * 0x1000).toString(16)}` });
    irqs.push({ from: `button${i}.out`, to: `led${i}.in` });
  }
  return JSON.stringify({ boardlab: 1, name: `big-${count}`, objects, memory, irqs });
}

async function waitForServer(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(URL_BASE)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('vite preview did not start');
}

/** Records requestAnimationFrame intervals in the page until the returned function is called. */
async function recordFrames(page: Page): Promise<() => Promise<string>> {
  // (a string, so that tsx's helpers do not end up in the page)
  await page.evaluate(`(() => {
    window.frames_ = [];
    window.recording = true;
    let last = performance.now();
    const tick = (now) => {
      window.frames_.push(now - last);
      last = now;
      if (window.recording) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  return async () => {
    const frames = (await page.evaluate(`(() => { window.recording = false; return window.frames_.slice(1); })()`)) as number[];
    frames.sort((a, b) => a - b);
    const mean = frames.reduce((a, b) => a + b, 0) / frames.length;
    const p95 = frames[Math.floor(frames.length * 0.95)];
    return `${frames.length} frames, mean ${mean.toFixed(1)} ms (${(1000 / mean).toFixed(0)} fps), p95 ${p95.toFixed(1)} ms, worst ${frames[frames.length - 1].toFixed(1)} ms`;
  };
}

/**
 * CPU used over `ms` by the browser started with user-data-dir `marker`, as a share of one core:
 * the emulator worker's thread (Chromium names it DedicatedWorker), the page's main thread (the
 * renderer process's first thread) and every thread of every process of that browser.
 */
async function cpuShares(marker: string, rendererPid: number, ms: number): Promise<{ worker: number; page: number; browser: number }> {
  const before = threadCpuSeconds(marker);
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = threadCpuSeconds(marker);
  const wall = (performance.now() - started) / 1000;
  let worker = 0;
  let page = 0;
  let browser = 0;
  for (const [key, seconds] of after) {
    const used = seconds - (before.get(key) ?? 0);
    const [pid, comm, tid] = key.split('/');
    browser += used;
    if (comm === 'DedicatedWorker') worker += used;
    if (Number(pid) === rendererPid && pid === tid) page += used;
  }
  return { worker: worker / wall, page: page / wall, browser: browser / wall };
}

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

/** The renderer process that runs the emulator worker (it has a DedicatedWorker thread). */
function rendererWithWorker(marker: string): number | undefined {
  const key = [...threadCpuSeconds(marker).keys()].find((k) => k.split('/')[1] === 'DedicatedWorker');
  return key === undefined ? undefined : Number(key.split('/')[0]);
}

/** The designer's figures: a big board's views, an idle guest, a busy guest. */
async function designerFigures(page: Page): Promise<void> {
  const text = bigBoard(300);
  const objectCount = Object.keys(JSON.parse(text).objects).length;
  await page.getByTestId('open-board').setInputFiles({ name: 'big.board.json', mimeType: 'application/json', buffer: Buffer.from(text) });
  await page.getByTestId('board-title').getByText('big-300').waitFor({ timeout: 60_000 });
  console.log(`board: ${objectCount} objects`);

  const views = ['composition', 'memory', 'irq', 'reset'];
  for (const view of views) {
    const started = Date.now();
    await page.getByTestId(`tab-${view}`).click();
    await page.getByTestId(`view-${view}`).locator('.react-flow__node').first().waitFor({ timeout: 60_000 });
    const shown = Date.now() - started;
    const nodes = await page.getByTestId(`view-${view}`).locator('.react-flow__node').count();
    console.log(`${view.padEnd(12)} layout + first draw ${String(shown).padStart(5)} ms (${nodes} nodes in the DOM)`);
  }

  // Pan and zoom each view while the page records frame times.
  const panViews = process.env.BOARDLAB_PERF_VIEWS?.split(',') ?? views;
  for (const view of panViews) {
    await page.getByTestId(`tab-${view}`).click();
    const pane = page.getByTestId(`view-${view}`).locator('.react-flow__pane');
    await pane.waitFor();
    await page.waitForTimeout(500); // let the fit-to-view settle
    const box = (await pane.boundingBox())!;
    const stop = await recordFrames(page);
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    for (let round = 0; round < 3; round++) {
      await page.mouse.move(cx, cy);
      await page.mouse.down();
      await page.mouse.move(cx - 300, cy - 200, { steps: 40 });
      await page.mouse.move(cx + 200, cy + 150, { steps: 40 });
      await page.mouse.up();
      for (let i = 0; i < 10; i++) await page.mouse.wheel(0, i < 5 ? -120 : 120);
    }
    console.log(`pan/zoom ${view.padEnd(12)} ${await stop()}`);
  }

  // An idle guest: echo sleeps in WFI until a key arrives; the worker waits on Atomics.
  await page.getByTestId('tab-composition').click();
  await page.locator('.examples select').selectOption('echo.board.json');
  await page.getByTestId('board-title').getByText('echo', { exact: true }).waitFor();
  await page.getByTestId('run-state').getByText('running (idle)').waitFor({ timeout: 30_000 });
  await page.waitForTimeout(1000);
  const renderer = rendererWithWorker(profile);
  if (renderer === undefined) throw new Error('no emulator worker thread found in the browser');
  const idle = await cpuShares(profile, renderer, 5000);
  console.log(`idle guest (echo waiting for a key, 5 s): worker ${percent(idle.worker)}, page main thread ${percent(idle.page)}, whole browser ${percent(idle.browser)} of one core`);

  // A busy guest: counter runs flat out in the worker while the page keeps drawing.
  await page.getByTestId('open-firmware').setInputFiles({ name: 'counter.elf', mimeType: 'application/octet-stream', buffer: readFileSync(new URL('../public/firmware/counter.elf', import.meta.url)) });
  await page.getByTestId('run-state').getByText('running', { exact: true }).waitFor({ timeout: 30_000 });
  await page.waitForTimeout(1000);
  const stop = await recordFrames(page);
  const busy = await cpuShares(profile, renderer, 5000);
  const ips = await page.getByTestId('ips').textContent();
  console.log(`busy guest (counter at ${ips}, 5 s): worker ${percent(busy.worker)}, page main thread ${percent(busy.page)}, whole browser ${percent(busy.browser)}; page frames: ${await stop()}`);
}

const KERNELS = ['bench-crc', 'bench-sort', 'bench-matmul', 'bench-dhry'];
const TIERS: readonly ExecutionTier[] = ['interp', 'jit'];
const TIER_NAMES: Record<ExecutionTier, string> = { interp: 'interpreter', jit: 'compiling tier' };
/** The target for the page's speed against Node's (printed, not asserted). */
const BROWSER_NODE_TARGET = 0.8;
/** WorkerRunState.RUNNING and HALTED_PASS (src/workers/control.ts), as the run-state badge's data-state shows them. */
const STATE_RUNNING = '2';
const STATE_PASS = '4';
const KERNEL_TIMEOUT_MS = 300_000;

const firmware = (name: string) => readFileSync(new URL(`../public/firmware/${name}.elf`, import.meta.url));

/** The hello board running `name` instead of hello.elf: what the page runs after Open firmware. */
function helloWith(name: string): { document: BoardDocument; images: Map<string, Uint8Array> } {
  const document = JSON.parse(readFileSync(new URL('../examples/hello.board.json', import.meta.url), 'utf8')) as BoardDocument;
  document.images = [{ cpu: 'cpu0', file: `${name}.elf` }];
  return { document, images: new Map([[`${name}.elf`, new Uint8Array(firmware(name))]]) };
}

/** Guest instructions per second of `name` on the hello board in Node on `tier` (the run loop's wall time), or why the tier cannot run. */
function nodeIps(name: string, tier: ExecutionTier): { ips: number } | { na: string } {
  const { document, images } = helloWith(name);
  const result = resolveBoard(document);
  if (!result.ok) throw new Error(`hello board with ${name}: ${result.problems[0].message}`);
  const machine = Machine.build(result.board, images, { tier });
  try {
    const tiers = machine.cpu(machine.cpuPaths[0])?.tiers;
    if (tier === 'jit' && (tiers === undefined || tiers.unavailable !== undefined)) return { na: tiers?.unavailable ?? 'the core has no compiling tier' };
    const start = performance.now();
    while (!machine.halted) if (machine.run(50_000_000) === 0 && machine.idle) break;
    if (machine.exit?.kind !== 'pass') throw new Error(`${name} did not pass in Node (${JSON.stringify(machine.exit)})`);
    return { ips: machine.instructions / ((performance.now() - start) / 1000) };
  } finally {
    machine.destroy();
  }
}

/**
 * Choose `tier` in the run panel as a user does; undefined when it runs, else why the page cannot
 * run the compiling tier (no tier switch, or the CPU says it cannot compile).
 */
async function chooseTier(page: Page, tier: ExecutionTier): Promise<string | undefined> {
  const select = page.getByTestId('tier-select');
  if ((await select.count()) === 0) return 'this build of the page has no tier switch';
  await select.selectOption(tier);
  if (tier === 'interp') return undefined;
  const cpu = page.getByTestId('tier-cpu-cpu0');
  await cpu.waitFor();
  const state = await cpu.getAttribute('data-state');
  if (state === 'interpreter-only' || state === 'unavailable') return (await cpu.getAttribute('title')) ?? state;
  return undefined;
}

/** Load `name` with Open firmware and time it in the page from the run's start to the finisher's pass: instructions per second, and the run's length. */
async function pageIps(page: Page, name: string): Promise<{ ips: number; seconds: number }> {
  // (a string, so that tsx's helpers do not end up in the page)
  await page.evaluate(`(() => {
    const badge = document.querySelector('[data-testid="run-state"]');
    window.kernelRun_ = { start: undefined, end: undefined };
    window.kernelObserver_?.disconnect();
    window.kernelObserver_ = new MutationObserver(() => {
      const state = badge.getAttribute('data-state');
      if (state === '${STATE_RUNNING}' && window.kernelRun_.start === undefined) window.kernelRun_.start = performance.now();
      if (state === '${STATE_PASS}' && window.kernelRun_.start !== undefined && window.kernelRun_.end === undefined) window.kernelRun_.end = performance.now();
    });
    window.kernelObserver_.observe(badge, { attributes: true, attributeFilter: ['data-state'] });
  })()`);
  await page.getByTestId('open-firmware').setInputFiles({ name: `${name}.elf`, mimeType: 'application/octet-stream', buffer: firmware(name) });
  // (polled from here: waitForFunction's string predicate is eval, which the page's CSP refuses)
  const deadline = Date.now() + KERNEL_TIMEOUT_MS;
  while ((await page.evaluate('window.kernelRun_.end === undefined')) as boolean) {
    if (Date.now() > deadline) throw new Error(`${name} did not pass in the page within ${KERNEL_TIMEOUT_MS / 1000} s`);
    await page.waitForTimeout(50);
  }
  const { start, end } = (await page.evaluate('window.kernelRun_')) as { start: number; end: number };
  const instructions = Number((await page.getByTestId('instructions').textContent())!.replace(/,/g, ''));
  const seconds = (end - start) / 1000;
  return { ips: instructions / seconds, seconds };
}

/** requestAnimationFrame callbacks the page runs in one second (counted in the page). */
async function framesInOneSecond(page: Page): Promise<number> {
  return (await page.evaluate(`new Promise((resolve) => {
    let frames = 0;
    const start = performance.now();
    const tick = (now) => {
      if (now - start >= 1000) return resolve(frames);
      frames++;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })`)) as number;
}

const mips = (ips: number) => `${(ips / 1e6).toFixed(1)} MIPS`;

/** Each tier: the kernels in the page and in Node, their ratio, and the frame rate while the counter runs flat out. */
async function tierFigures(page: Page): Promise<void> {
  await engineModules.loadCatalogModules();
  for (const tier of TIERS) {
    await page.goto(`${URL_BASE}/?tier=${tier}`);
    await page.getByTestId('board-title').getByText('hello', { exact: true }).waitFor();
    const na = await chooseTier(page, tier);
    console.log(`${TIER_NAMES[tier]} (${tier}):`);
    if (na !== undefined) {
      console.log(`  n/a: ${na}`);
      continue;
    }
    for (const name of KERNELS) {
      const node = nodeIps(name, tier);
      if ('na' in node) {
        console.log(`  ${name.padEnd(13)} n/a: in Node, ${node.na}`);
        continue;
      }
      const chromium = await pageIps(page, name);
      const ratio = chromium.ips / node.ips;
      console.log(`  ${name.padEnd(13)} Chromium ${mips(chromium.ips).padStart(12)} (${chromium.seconds.toFixed(2)} s)   Node ${mips(node.ips).padStart(12)}   Chromium/Node ${ratio.toFixed(2)} (target ${BROWSER_NODE_TARGET}: ${ratio >= BROWSER_NODE_TARGET ? 'met' : 'not met'})`);
    }
    await page.getByTestId('open-firmware').setInputFiles({ name: 'counter.elf', mimeType: 'application/octet-stream', buffer: firmware('counter') });
    await page.getByTestId('run-state').getByText('running', { exact: true }).waitFor({ timeout: 30_000 });
    await page.waitForTimeout(500);
    const frames = await framesInOneSecond(page);
    const ips = await page.getByTestId('ips').textContent();
    console.log(`  page frame rate while the counter runs flat out (${ips}): ${frames} frames in one second`);
  }
}

const server = spawn('npx', ['vite', 'preview', '--outDir', OUT_DIR, '--port', String(PORT), '--strictPort'], { stdio: 'ignore', detached: false });
const profile = mkdtempSync(join(tmpdir(), 'boardlab-ui-perf-'));
try {
  await waitForServer();
  const context = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', args: ['--disable-gpu'], viewport: { width: 1440, height: 900 } });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(URL_BASE);
  await page.getByTestId('board-title').getByText('hello', { exact: true }).waitFor();
  if (process.env.BOARDLAB_PERF_ONLY !== 'tiers') await designerFigures(page);
  await tierFigures(page);
  await context.close();
} finally {
  server.kill();
  rmSync(profile, { recursive: true, force: true });
}
