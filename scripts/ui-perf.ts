// Measures the designer with a 300-object board in Debian's Chromium: how long each view takes to
// lay out and draw, and the frame times while panning and zooming. Prints figures; not a test.
//   npx vite build && npx tsx scripts/ui-perf.ts
// (serves dist/ with `vite preview` on port 4175 while it runs)
import { spawn } from 'node:child_process';
import { chromium } from '@playwright/test';

const PORT = 4175;
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

const server = spawn('npx', ['vite', 'preview', '--port', String(PORT), '--strictPort'], { stdio: 'ignore', detached: false });
try {
  await waitForServer();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--disable-gpu'] });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(URL_BASE);
  await page.getByTestId('board-title').getByText('hello').waitFor();
  const text = bigBoard(300);
  const objectCount = Object.keys(JSON.parse(text).objects).length;
  await page.getByTestId('open-board').setInputFiles({ name: 'big.board.json', mimeType: 'application/json', buffer: Buffer.from(text) });
  await page.getByTestId('board-title').getByText('big-300').waitFor({ timeout: 60_000 });
  console.log(`board: ${objectCount} objects`);

  for (const view of ['composition', 'memory', 'irq', 'reset']) {
    const started = Date.now();
    await page.getByTestId(`tab-${view}`).click();
    await page.getByTestId(`view-${view}`).locator('.react-flow__node').first().waitFor({ timeout: 60_000 });
    const shown = Date.now() - started;
    const nodes = await page.getByTestId(`view-${view}`).locator('.react-flow__node').count();
    console.log(`${view.padEnd(12)} layout + first draw ${String(shown).padStart(5)} ms (${nodes} nodes in the DOM)`);
  }

  // Pan and zoom the composition view while the page records frame times.
  await page.getByTestId('tab-composition').click();
  const pane = page.getByTestId('view-composition').locator('.react-flow__pane');
  await pane.waitFor();
  const box = (await pane.boundingBox())!;
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
  const frames = (await page.evaluate(`(() => { window.recording = false; return window.frames_.slice(1); })()`)) as number[];
  frames.sort((a, b) => a - b);
  const mean = frames.reduce((a, b) => a + b, 0) / frames.length;
  const p95 = frames[Math.floor(frames.length * 0.95)];
  console.log(`pan/zoom: ${frames.length} frames, mean ${mean.toFixed(1)} ms (${(1000 / mean).toFixed(0)} fps), p95 ${p95.toFixed(1)} ms, worst ${frames[frames.length - 1].toFixed(1)} ms`);

  // An idle guest: the worker sleeps on Atomics (state "running (idle)"); the page's main thread stays free.
  await browser.close();
} finally {
  server.kill();
}
