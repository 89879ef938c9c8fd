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
// collide; BOARDLAB_PERF_VIEWS=composition,irq pans and zooms only those views; BOARDLAB_PERF_KERNELS=crc,sort
// and BOARDLAB_PERF_TIERS=jit measure only those kernels (any public/firmware/bench-*.elf) and tiers;
// BOARDLAB_PERF_CHROMIUM_ARGS adds command-line switches to Chromium's, e.g.
// "--js-flags=--wasm-enforce-bounds-checks"; BOARDLAB_PERF_EACH=1 prints every round's figures)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { ownThreadSchedTimes, threadCpuSeconds, threadSchedTimes, type SchedTimes } from './lib/process-cpu.ts';
import { resolveBoard, type BoardDocument, type ResolvedBoard } from '../src/graph/index.ts';
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

const ALL_KERNELS = ['bench-crc', 'bench-sort', 'bench-matmul', 'bench-dhry'];
/** BOARDLAB_PERF_KERNELS=crc,sort measures only those kernels. */
const KERNELS = process.env.BOARDLAB_PERF_KERNELS ? process.env.BOARDLAB_PERF_KERNELS.split(',').map((key) => `bench-${key}`) : ALL_KERNELS;
/** BOARDLAB_PERF_TIERS=jit measures only that tier. */
const TIERS = (['interp', 'jit'] as const).filter((tier) => !process.env.BOARDLAB_PERF_TIERS || process.env.BOARDLAB_PERF_TIERS.split(',').includes(tier));
const TIER_NAMES: Record<ExecutionTier, string> = { interp: 'interpreter', jit: 'compiling tier' };
/** The targets (printed, not asserted): the page's speed against Node's, and its frame rate while the guest runs. */
const BROWSER_NODE_TARGET = 0.8;
const FRAMES_TARGET = 60;
/** WorkerRunState.RUNNING, IDLE and HALTED_PASS (src/workers/control.ts), as the page's control snapshot holds them. */
const STATE_RUNNING = 2;
const STATE_IDLE = 3;
const STATE_PASS = 4;
const KERNEL_TIMEOUT_MS = 300_000;
/**
 * Each kernel runs this many times in each place, Node and page taking turns; the best run of each
 * counts. Seven engineers share this machine's two cores: a single run measures their load as much
 * as the code.
 */
const ROUNDS = Math.max(1, Number(process.env.BOARDLAB_PERF_ROUNDS ?? 3));
/** How long the frame rate is counted. */
const FRAME_WINDOW_MS = 2000;

const firmware = (name: string) => readFileSync(new URL(`../public/firmware/${name}.elf`, import.meta.url));

/** The hello board running `name` instead of hello.elf, resolved as the page resolves it (platform browser: RAM shared, in the guest arena). */
function helloWith(name: string): { board: ResolvedBoard; images: Map<string, Uint8Array> } {
  const document = JSON.parse(readFileSync(new URL('../examples/hello.board.json', import.meta.url), 'utf8')) as BoardDocument;
  document.images = [{ cpu: 'cpu0', file: `${name}.elf` }];
  const result = resolveBoard(document, { platform: PAGE_PLATFORM });
  if (!result.ok) throw new Error(`hello board with ${name}: ${result.problems[0].message}`);
  return { board: result.board, images: new Map([[`${name}.elf`, new Uint8Array(firmware(name))]]) };
}
const PAGE_PLATFORM = 'browser@1';

/**
 * One run of a kernel: guest instructions per second of wall time (from the run's start to the
 * finisher's pass) and per second of CPU time of the thread that ran it (the machine's build
 * included: the page's worker builds it too). CPU time is what other processes on the machine do
 * not change — much; wall time is what a user sees.
 */
interface KernelRun {
  wall: number;
  cpu: number;
}

/** `name` on the hello board in Node on `tier` (Machine.build and its run loop in this thread), or why the tier cannot run. */
function nodeRun(name: string, tier: ExecutionTier): KernelRun | { na: string } {
  const { board, images } = helloWith(name);
  const cpuBefore = ownThreadSchedTimes();
  const machine = Machine.build(board, images, { tier });
  try {
    const tiers = machine.cpu(machine.cpuPaths[0])?.tiers;
    if (tier === 'jit' && (tiers === undefined || tiers.unavailable !== undefined)) return { na: tiers?.unavailable ?? 'the core has no compiling tier' };
    const start = performance.now();
    while (!machine.halted) if (machine.run(50_000_000) === 0 && machine.idle) break;
    const wall = (performance.now() - start) / 1000;
    const cpuAfter = ownThreadSchedTimes();
    if (machine.exit?.kind !== 'pass') throw new Error(`${name} did not pass in Node (${JSON.stringify(machine.exit)})`);
    return { wall: machine.instructions / wall, cpu: cpuBefore && cpuAfter ? machine.instructions / ((cpuAfter.run - cpuBefore.run) / 1e9) : NaN };
  } finally {
    machine.destroy();
  }
}

/** Run and wait times of every Web Worker thread of the browser, keyed "pid/tid". */
function workerThreads(): Map<string, SchedTimes> {
  const result = new Map<string, SchedTimes>();
  for (const key of threadCpuSeconds(profile).keys()) {
    const [pid, comm, tid] = key.split('/');
    if (comm !== 'DedicatedWorker') continue;
    const times = threadSchedTimes(Number(pid), Number(tid));
    if (times !== undefined) result.set(`${pid}/${tid}`, times);
  }
  return result;
}

/** The worker thread that ran most between two readings (the emulator's, while a kernel runs), and the CPU time it ran. */
function busiestWorker(before: Map<string, SchedTimes>, after: Map<string, SchedTimes>): { pid: number; runNs: number } | undefined {
  let best: { pid: number; runNs: number } | undefined;
  for (const [key, times] of after) {
    const ran = times.run - (before.get(key)?.run ?? 0);
    if (best === undefined || ran > best.runNs) best = { pid: Number(key.split('/')[0]), runNs: ran };
  }
  return best;
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

const snapshotState = async (page: Page) => (await page.evaluate('window.__boardlab.snapshot()?.state ?? 0')) as number;

/**
 * Waits for the page's first board to load (the page may bring back the firmware it ran last, the
 * counter, and run it) and pauses a guest that runs, so that the worker is quiet before a kernel.
 */
async function quietGuest(page: Page): Promise<void> {
  const deadline = Date.now() + 30_000;
  while ((await snapshotState(page)) === 0 && Date.now() < deadline) await page.waitForTimeout(100);
  const state = await snapshotState(page);
  if (state !== STATE_RUNNING && state !== STATE_IDLE) return;
  await page.getByTestId('pause').click();
  await page.getByTestId('run-state').getByText('paused').waitFor();
}

/**
 * Opens `name` with Open firmware, as a user does, and times it in the page from the first moment
 * the new session runs to the finisher's pass (the control words, polled every millisecond); the
 * worker thread's CPU time over the same run is read from /proc. Also the page's frame rate meanwhile.
 */
async function pageRun(page: Page, name: string): Promise<KernelRun & { fps: number; workerPid: number | undefined }> {
  // (a string, so that tsx's helpers do not end up in the page)
  await page.evaluate(`(() => {
    const session = window.__boardlab.snapshot().session;
    const run = (window.kernelRun_ = { start: undefined, end: undefined, instructions: 0, frames: 0 });
    const poll = setInterval(() => {
      const s = window.__boardlab.snapshot();
      if (s.session === session) return;
      // The load starts the new session before the loop runs the new machine: until then the
      // state word still says how the last one ended (its count is already 0).
      const passed = s.state === ${STATE_PASS} && s.instructions > 0;
      const now = performance.now();
      if (run.start === undefined && (s.state === ${STATE_RUNNING} || passed)) run.start = now;
      if (passed) {
        run.end = now;
        run.instructions = s.instructions;
        clearInterval(poll);
      }
    }, 1);
    const frame = () => {
      if (run.end !== undefined) return;
      if (run.start !== undefined) run.frames++;
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  })()`);
  const before = workerThreads();
  await page.getByTestId('open-firmware').setInputFiles({ name: `${name}.elf`, mimeType: 'application/octet-stream', buffer: firmware(name) });
  // (polled from here: waitForFunction's string predicate is eval, which the page's CSP refuses)
  const deadline = Date.now() + KERNEL_TIMEOUT_MS;
  while ((await page.evaluate('window.kernelRun_.end === undefined')) as boolean) {
    if (Date.now() > deadline) throw new Error(`${name} did not pass in the page within ${KERNEL_TIMEOUT_MS / 1000} s`);
    await page.waitForTimeout(50);
  }
  const worker = busiestWorker(before, workerThreads());
  const { start, end, instructions, frames } = (await page.evaluate('window.kernelRun_')) as { start: number; end: number; instructions: number; frames: number };
  const seconds = (end - start) / 1000;
  return { wall: instructions / seconds, cpu: worker ? instructions / (worker.runNs / 1e9) : NaN, fps: frames / seconds, workerPid: worker?.pid };
}

/**
 * requestAnimationFrame callbacks per second in the page over FRAME_WINDOW_MS, and what its main
 * thread (the renderer's first thread) did meanwhile: the share of the time it ran on a CPU, its CPU
 * time per frame, and the share it was ready to run but waited for a CPU other processes held.
 */
async function frameRate(page: Page, rendererPid: number | undefined): Promise<string> {
  const before = rendererPid === undefined ? undefined : threadSchedTimes(rendererPid, rendererPid);
  const frames = (await page.evaluate(`new Promise((resolve) => {
    let frames = 0;
    const start = performance.now();
    const tick = (now) => {
      if (now - start >= ${FRAME_WINDOW_MS}) return resolve(frames);
      frames++;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })`)) as number;
  const after = rendererPid === undefined ? undefined : threadSchedTimes(rendererPid, rendererPid);
  const fps = frames / (FRAME_WINDOW_MS / 1000);
  let text = `${fps.toFixed(0)} frames/s (target ${FRAMES_TARGET}: ${fps >= FRAMES_TARGET - 1 ? 'met' : 'not met'})`;
  if (before && after) {
    const windowNs = FRAME_WINDOW_MS * 1e6;
    const ran = after.run - before.run;
    text += `; page main thread on a CPU ${percent(ran / windowNs)} of the time (${(ran / 1e6 / Math.max(1, frames)).toFixed(1)} ms per frame), waiting for a CPU ${percent((after.wait - before.wait) / windowNs)}`;
  }
  return text;
}

const mips = (ips: number) => `${(ips / 1e6).toFixed(1)} MIPS`;
const ratioText = (ratio: number) => `${ratio.toFixed(2)} (${ratio >= BROWSER_NODE_TARGET ? 'met' : 'not met'})`;

/**
 * Each tier: the kernels in the page and in Node (best of ROUNDS runs each, taking turns), their
 * ratios, and the page's frame rate with the guest paused, while each kernel ran, and while the
 * counter (which prints all the time) runs flat out.
 */
async function tierFigures(page: Page): Promise<void> {
  await engineModules.loadCatalogModules();
  console.log(`Chromium (the page's emulator worker) against Node (this process), best of ${ROUNDS} runs each; ratio target ${BROWSER_NODE_TARGET}.`);
  console.log('wall: instructions per second from the run\'s start to its pass; CPU: per second the running thread spent on a CPU.');
  for (const tier of TIERS) {
    await page.goto(`${URL_BASE}/?tier=${tier}`);
    await page.getByTestId('board-title').getByText('hello', { exact: true }).waitFor();
    await quietGuest(page);
    const na = await chooseTier(page, tier);
    console.log(`${TIER_NAMES[tier]} (${tier}):`);
    if (na !== undefined) {
      console.log(`  n/a: ${na}`);
      continue;
    }
    const best = new Map<string, { page: KernelRun & { fps: number }; node: KernelRun } | { na: string }>();
    let rendererPid: number | undefined;
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of KERNELS) {
        const node = nodeRun(name, tier);
        if ('na' in node) {
          best.set(name, { na: `in Node, ${node.na}` });
          continue;
        }
        const inPage = await pageRun(page, name);
        rendererPid ??= inPage.workerPid;
        if (process.env.BOARDLAB_PERF_EACH) console.log(`    round ${round} ${name}: page cpu ${mips(inPage.cpu)} wall ${mips(inPage.wall)}; node cpu ${mips(node.cpu)} wall ${mips(node.wall)}`);
        const seen = best.get(name);
        if (seen === undefined || 'na' in seen) best.set(name, { page: inPage, node });
        else {
          seen.page = { wall: Math.max(seen.page.wall, inPage.wall), cpu: Math.max(seen.page.cpu, inPage.cpu), fps: Math.max(seen.page.fps, inPage.fps) };
          seen.node = { wall: Math.max(seen.node.wall, node.wall), cpu: Math.max(seen.node.cpu, node.cpu) };
        }
      }
    }
    for (const name of KERNELS) {
      const figures = best.get(name)!;
      if ('na' in figures) {
        console.log(`  ${name.padEnd(13)} n/a: ${figures.na}`);
        continue;
      }
      const { page: inPage, node } = figures;
      console.log(
        `  ${name.padEnd(13)} wall: Chromium ${mips(inPage.wall).padStart(12)}  Node ${mips(node.wall).padStart(12)}  ratio ${ratioText(inPage.wall / node.wall).padEnd(16)}` +
          `CPU: Chromium ${mips(inPage.cpu).padStart(12)}  Node ${mips(node.cpu).padStart(12)}  ratio ${ratioText(inPage.cpu / node.cpu).padEnd(16)}page ${inPage.fps.toFixed(0)} frames/s meanwhile`,
      );
    }
    console.log(`  page with the guest halted: ${await frameRate(page, rendererPid)}`);
    await page.getByTestId('open-firmware').setInputFiles({ name: 'counter.elf', mimeType: 'application/octet-stream', buffer: firmware('counter') });
    await page.getByTestId('run-state').getByText('running', { exact: true }).waitFor({ timeout: 30_000 });
    await page.waitForTimeout(500);
    const counter = await frameRate(page, rendererPid);
    console.log(`  page while the counter runs flat out (${await page.getByTestId('ips').textContent()}): ${counter}`);
  }
}

const server = spawn('npx', ['vite', 'preview', '--outDir', OUT_DIR, '--port', String(PORT), '--strictPort'], { stdio: 'ignore', detached: false });
const profile = mkdtempSync(join(tmpdir(), 'boardlab-ui-perf-'));
try {
  await waitForServer();
  const context = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', args: ['--disable-gpu', ...(process.env.BOARDLAB_PERF_CHROMIUM_ARGS?.split(' ').filter(Boolean) ?? [])], viewport: { width: 1440, height: 900 } });
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
