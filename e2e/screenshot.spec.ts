// Screenshots of the designer. Only runs with BOARDLAB_SCREENSHOT=1 (see playwright.config.ts).
// docs/screenshot.png: the default board. test-results/screenshots/devices.png: a running board
// with LEDs (one held lit by its button), a framebuffer and the life-cycle panel open. Also the four
// views, the debugger, the heterogeneous example and a lesson under docs/screenshots/.
import { expect, test } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { showcaseBoard, showcaseProgram } from '../src/workers/test-programs.ts';
import { openBoardFile, openDesigner, pausedCounterInDebugger, symbolAddress, waitForGreeting } from './helpers';

test('screenshot of the designer running the default board', async ({ page }) => {
  await openDesigner(page);
  await waitForGreeting(page);
  await expect(page.getByTestId('json-editor').locator('.view-lines')).toContainText('"boardlab"');
  await page.waitForTimeout(800); // let the graph's fit-to-view settle
  await page.screenshot({ path: fileURLToPath(new URL('../docs/screenshot.png', import.meta.url)) });
});

test('screenshot of a running board with LEDs, a button and a framebuffer', async ({ page }) => {
  await openDesigner(page);
  await waitForGreeting(page);
  const file = 'firmware/showcase.bin';
  await page.route(`**/${file}`, (route) => route.fulfill({ status: 200, contentType: 'application/octet-stream', body: Buffer.from(showcaseProgram(0)) }));
  await openBoardFile(page, 'devices-showcase.board.json', JSON.stringify(showcaseBoard(file), null, 2));
  await expect(page.getByTestId('run-state')).toHaveText('running');
  await page.getByTestId('toggle-machine-panel').click();
  await expect(page.getByTestId('led-led0')).toHaveAttribute('data-lit', 'true');
  await page.getByTestId('button-button0').hover();
  await page.mouse.down();
  await expect(page.getByTestId('led-led1')).toHaveAttribute('data-lit', 'true');
  await page.waitForTimeout(1200); // graph layout and fit-to-view
  await page.screenshot({ path: fileURLToPath(new URL('../test-results/screenshots/devices.png', import.meta.url)) });
  await page.mouse.up();
});

// docs/screenshots/<view>.png: each of the four views of the blinky board (QEMU virt plus a GPIO
// bank and an LED), with an object selected in the inspector.
for (const [view, select] of [
  ['composition', 'composition-node-uart0'],
  ['memory', 'memory-node-ram.mem'],
  ['irq', 'irq-node-plic'],
  ['reset', 'reset-node-test'],
] as const) {
  test(`screenshot of the ${view} view`, async ({ page }) => {
    await openDesigner(page);
    await waitForGreeting(page);
    await page.locator('.examples select').selectOption('blinky.board.json');
    await expect(page.getByTestId('board-title')).toContainText('blinky');
    await page.getByTestId(`tab-${view}`).click();
    const node = page.getByTestId(`view-${view}`).getByTestId(select);
    await expect(node).toBeVisible();
    await page.waitForTimeout(600); // fit-to-view
    await node.click();
    await expect(page.getByTestId('inspector-type')).toBeVisible();
    await page.screenshot({ path: fileURLToPath(new URL(`../docs/screenshots/${view}.png`, import.meta.url)) });
  });
}

// docs/screenshots/debugger.png: counter stopped at a breakpoint in uart_put_udec, with the
// registers, disassembly and memory (following sp), and the QMP console below them.
test('screenshot of the debugger and the QMP console', async ({ page }) => {
  await openDesigner(page);
  await pausedCounterInDebugger(page);
  const target = symbolAddress('counter.elf', 'uart_put_udec');
  await page.getByTestId('disasm-address').fill(`0x${target}`);
  await page.getByTestId('disasm-address').press('Enter');
  await page.getByTestId('disassembly').locator(`[data-testid="disasm-line"][data-address="${target}"]`).getByTestId('disasm-gutter').click();
  await page.getByTestId('run').click();
  await expect(page.getByTestId('breakpoint-stop')).toContainText('breakpoint at');
  await page.getByTestId('memory-follow').selectOption({ label: 'follow sp' });
  await page.getByTestId('toggle-qmp').click();
  await expect(page.getByTestId('qmp-connected')).toHaveAttribute('data-connected', 'true');
  // The console negotiated capabilities itself: the first request typed is the user's.
  for (const request of ['{"execute": "query-status"}', '{"execute": "qom-get", "arguments": {"path": "/machine/uart0", "property": "type"}}']) {
    await page.getByTestId('qmp-input').fill(request);
    await page.getByTestId('qmp-input').press('Enter');
  }
  await expect(page.getByTestId('qmp-log')).toContainText('ns16550a');
  await page.waitForTimeout(600);
  await page.screenshot({ path: fileURLToPath(new URL('../docs/screenshots/debugger.png', import.meta.url)) });
});

// docs/screenshots/amp.png: the heterogeneous example (a RISC-V hart and a Cortex-M3) after its run,
// its CPUs in clusters coloured by architecture, the M3's terminal tab shown.
test('screenshot of the heterogeneous example', async ({ page }) => {
  await openDesigner(page);
  await waitForGreeting(page);
  await page.locator('.examples select').selectOption('amp.board.json');
  await expect(page.getByTestId('run-state')).toHaveText('halted: pass');
  await page.getByTestId('tab-composition').click();
  await page.getByTestId('terminal-tab-m3uart').click();
  await expect(page.getByTestId('terminal')).toContainText('m3: sum of squares of 8 numbers = 204');
  await page.waitForTimeout(800); // fit-to-view
  await page.screenshot({ path: fileURLToPath(new URL('../docs/screenshots/amp.png', import.meta.url)) });
});

// docs/screenshots/lesson.png: a lesson opened from the Lessons menu, its first step in the lesson
// panel beside the IRQ view the step asks the student to wire in.
test('screenshot of a lesson', async ({ page }) => {
  await openDesigner(page);
  await waitForGreeting(page);
  await page.getByTestId('lesson-gallery').selectOption({ label: 'Timer interrupts and WFI' });
  await expect(page.getByTestId('lesson-step-title')).toHaveText('Step 1 of 3: Wire the timer interrupt');
  await page.getByTestId('tab-irq').click();
  await page.getByTestId('view-irq').locator('.react-flow__controls-fitview').click();
  await page.waitForTimeout(800); // fit-to-view
  await page.screenshot({ path: fileURLToPath(new URL('../docs/screenshots/lesson.png', import.meta.url)) });
});
