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

test('messages show over the canvas without changing the toolbar; Share says the link was copied', async ({ page }) => {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  for (const [width, height] of [
    [1440, 900],
    [1024, 700],
  ] as const) {
    await page.setViewportSize({ width, height });
    const { errors } = await openDesigner(page);
    await waitForGreeting(page);
    const toolbar = page.locator('.pane--graph > .panel-header');
    const toolbarHeight = (await box(toolbar)).height;
    const canvas = await box(page.getByTestId('board-graph'));

    // Share: the link is on the clipboard, and the message says so (with the link to see).
    await page.getByTestId('share').click();
    await expect(page.getByTestId('notice')).toContainText('Link copied to the clipboard');
    const link = await page.getByTestId('share-link').inputValue();
    expect(link).toMatch(new RegExp(`^http://localhost:\\d+/.*#`));
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
    expect((await box(toolbar)).height).toBe(toolbarHeight);

    // A long message (an address typed wrong in the code view) wraps over the canvas; the toolbar keeps its height.
    await page.getByTestId('toggle-debug').click();
    const typo = 'eighty-million-hex-or-so-'.repeat(4);
    await page.getByTestId('disasm-address').fill(typo);
    await page.getByTestId('disasm-address').press('Enter');
    const notice = page.getByTestId('notice');
    await expect(notice).toContainText(`Not an address: "${typo}"`);
    await expect(page.getByTestId('notices')).toHaveAttribute('role', 'status');
    expect((await box(toolbar)).height).toBe(toolbarHeight);
    const shown = await box(notice);
    expect(shown.x).toBeGreaterThanOrEqual(canvas.x);
    expect(shown.x + shown.width).toBeLessThanOrEqual(canvas.x + canvas.width);
    expect(shown.y + shown.height).toBeLessThanOrEqual(canvas.y + canvas.height);
    expect(shown.y).toBeGreaterThan(canvas.y);

    // × closes it.
    await notice.getByRole('button', { name: 'Close the message' }).click();
    await expect(notice).toHaveCount(0);
    await page.getByTestId('toggle-debug').click();
    expect(errors).toEqual([]);
  }
});

test('Share without a clipboard shows the link selected for copying by hand', async ({ page }) => {
  await page.addInitScript(() => Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true }));
  const { errors } = await openDesigner(page);
  await page.getByTestId('share').click();
  await expect(page.getByTestId('notice')).toContainText('The clipboard is not available: copy the link (it is selected)');
  const input = page.getByTestId('share-link');
  await expect(input).toBeFocused();
  const selection = await input.evaluate((element: HTMLInputElement) => [element.selectionStart, element.selectionEnd, element.value.length]);
  expect(selection[0]).toBe(0);
  expect(selection[1]).toBe(selection[2]);
  expect(await input.inputValue()).toContain('#');
  expect(errors).toEqual([]);
});

test('1024×700 and 2560×1440: header, toolbar, run controls, registers, terminal, editor and problems are all in sight, none over another', async ({ page }) => {
  for (const [width, height] of [
    [1024, 700],
    [2560, 1440],
  ] as const) {
    await page.setViewportSize({ width, height });
    const { errors } = await openDesigner(page);
    await waitForGreeting(page);
    await page.getByTestId('toggle-debug').click();
    await expect(page.getByTestId('registers-cpu0')).toBeVisible();
    await expect(page.locator('.monaco-editor')).toBeVisible();
    const parts: Record<string, Locator> = {
      header: page.locator('.app-header'),
      toolbar: page.locator('.pane--graph > .panel-header'),
      'run controls': page.locator('.run-controls'),
      'first register': page.getByTestId('registers-cpu0').locator('[data-register="zero"]'),
      'last register': page.getByTestId('registers-cpu0').locator('[data-register="t6"]'),
      terminal: page.locator('.terminal-host'),
      editor: page.locator('.monaco-editor'),
      problems: page.getByTestId('problems'),
    };
    const boxes: Array<[string, { x: number; y: number; width: number; height: number }]> = [];
    for (const [name, locator] of Object.entries(parts)) {
      const found = await box(locator);
      // Inside the window, and not scrolled out of its pane.
      expect(found.x, `${name} at ${width}×${height}`).toBeGreaterThanOrEqual(0);
      expect(found.y, `${name} at ${width}×${height}`).toBeGreaterThanOrEqual(0);
      expect(found.x + found.width, `${name} at ${width}×${height}`).toBeLessThanOrEqual(width + 0.5);
      expect(found.y + found.height, `${name} at ${width}×${height}`).toBeLessThanOrEqual(height + 0.5);
      await expect(locator, `${name} at ${width}×${height}`).toBeInViewport({ ratio: 1 });
      boxes.push([name, found]);
    }
    // No two overlap (the registers are both in the debugger; compare everything else pairwise).
    const overlap = (a: { x: number; y: number; width: number; height: number }, b: typeof a) => a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5 && a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5;
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) expect(overlap(boxes[i][1], boxes[j][1]), `${boxes[i][0]} over ${boxes[j][0]} at ${width}×${height}`).toBe(false);
    }
    // Inside the debugger, the registers, the code and the memory view never lie over one another (it scrolls instead).
    const inDebugger = [await box(page.locator('.debug__harts')), await box(page.getByTestId('disassembly')), await box(page.locator('.debug__memory'))];
    expect(overlap(inDebugger[0], inDebugger[1]), `registers over code at ${width}×${height}`).toBe(false);
    expect(overlap(inDebugger[1], inDebugger[2]), `code over memory at ${width}×${height}`).toBe(false);
    // The terminal has room for a few lines; the editor for a few more.
    expect(boxes.find(([name]) => name === 'terminal')![1].height).toBeGreaterThanOrEqual(60);
    expect(boxes.find(([name]) => name === 'editor')![1].height).toBeGreaterThanOrEqual(100);
    expect(errors).toEqual([]);
  }
});
