// Screenshots of the designer. Only runs with BOARDLAB_SCREENSHOT=1 (see playwright.config.ts).
// docs/screenshot.png: the default board. test-results/screenshots/devices.png: a running board
// with LEDs (one held lit by its button), a framebuffer and the life-cycle panel open.
import { expect, test } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { showcaseBoard, showcaseProgram } from '../src/workers/test-programs.ts';
import { openBoardFile, openDesigner, waitForGreeting } from './helpers';

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
