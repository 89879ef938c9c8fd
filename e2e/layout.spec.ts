// The page's layout as a newcomer meets it: the panes resize by dragging the dividers between them
// (and with the arrow keys on a focused divider), the sizes survive a reload, and at 1600×1000 the
// debugger's registers are in sight as soon as it opens.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { openDesigner, waitForGreeting } from './helpers';

async function box(locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  const found = await locator.boundingBox();
  if (!found) throw new Error('not on the page');
  return found;
}

/** Drags a divider by (dx, dy) with the mouse, in steps as a hand would. */
async function drag(page: Page, divider: Locator, dx: number, dy: number): Promise<void> {
  const { x, y, width, height } = await box(divider);
  await page.mouse.move(x + width / 2, y + height / 2);
  await page.mouse.down();
  await page.mouse.move(x + width / 2 + dx, y + height / 2 + dy, { steps: 8 });
  await page.mouse.up();
}

test('at 1600×1000 the registers are in sight when the debugger opens', async ({ page }) => {
  await page.setViewportSize({ width: 1600, height: 1000 });
  const { errors } = await openDesigner(page);
  await waitForGreeting(page);
  await page.getByTestId('toggle-debug').click();
  const registers = page.getByTestId('registers-cpu0');
  await expect(registers.locator('[data-register="t6"]')).toBeVisible();
  // Every register, from zero to t6, lies inside the window and inside the debugger's own area (not scrolled away).
  const panel = await box(page.getByTestId('debug-panel'));
  for (const name of ['zero', 'sp', 'a0', 't6']) {
    const cell = await box(registers.locator(`[data-register="${name}"]`));
    expect(cell.y).toBeGreaterThanOrEqual(panel.y);
    expect(cell.y + cell.height).toBeLessThanOrEqual(Math.min(1000, panel.y + panel.height));
    expect(cell.x + cell.width).toBeLessThanOrEqual(1600);
  }
  // The code and the memory view are there too, and the terminal still shows the greeting.
  await expect(page.getByTestId('disassembly').locator('[data-testid="disasm-line"][data-pc="true"]')).toBeInViewport();
  await expect(page.getByTestId('memory-dump')).toBeInViewport();
  await expect(page.locator('.terminal-host')).toBeInViewport();
  expect(errors).toEqual([]);
});

test('panes resize by dragging their dividers or with the arrow keys, and keep their sizes after a reload', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const { errors } = await openDesigner(page);
  await waitForGreeting(page);
  const graph = page.locator('.pane--graph');
  const run = page.locator('.pane--console');
  const editor = page.locator('.pane--editor');

  // Graph | right column: drag the divider 200 pixels to the left.
  const graphBefore = (await box(graph)).width;
  const runBefore = (await box(run)).width;
  await drag(page, page.getByTestId('divider-graph'), -200, 0);
  await expect.poll(async () => (await box(graph)).width).toBeLessThan(graphBefore - 180);
  expect((await box(run)).width).toBeGreaterThan(runBefore + 180);

  // Run pane | board document, with the keyboard: focus the divider, five steps down.
  const runHeight = (await box(run)).height;
  const divider = page.getByTestId('divider-run');
  await divider.focus();
  await expect(divider).toHaveAttribute('role', 'separator');
  const before = Number(await divider.getAttribute('aria-valuenow'));
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowDown');
  await expect(divider).toHaveAttribute('aria-valuenow', String(before + 10));
  await expect.poll(async () => (await box(run)).height).toBeGreaterThan(runHeight + 50);
  expect((await box(editor)).height).toBeGreaterThan(100);

  // The debugger and the terminal: drag their divider up; the terminal grows.
  await page.getByTestId('toggle-debug').click();
  const terminal = page.locator('.console-body');
  const terminalBefore = (await box(terminal)).height;
  await drag(page, page.getByTestId('divider-tools'), 0, -80);
  await expect.poll(async () => (await box(terminal)).height).toBeGreaterThan(terminalBefore + 60);
  const sizes = { graph: (await box(graph)).width, terminal: (await box(terminal)).height };

  // A reload keeps every size.
  await page.reload();
  await expect(page.getByTestId('board-title')).toContainText('hello');
  await page.getByTestId('toggle-debug').click();
  await expect.poll(async () => Math.round((await box(graph)).width)).toBe(Math.round(sizes.graph));
  await expect.poll(async () => Math.abs((await box(terminal)).height - sizes.terminal)).toBeLessThan(3);
  // Nothing can be dragged out of sight: a divider stops at its limit.
  await drag(page, page.getByTestId('divider-graph'), -2000, 0);
  await expect.poll(async () => (await box(graph)).width).toBeGreaterThan(1440 * 0.19);
  expect(errors).toEqual([]);
});
