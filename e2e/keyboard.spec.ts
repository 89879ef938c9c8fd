// Keyboard users: the terminal keeps Tab for the guest, but Escape then Tab leaves it.
import { expect, test, type Page } from '@playwright/test';
import { openDesigner, terminalText } from './helpers';

test('Tab stays in the terminal for the guest; Escape then Tab (or Shift+Tab) moves focus on', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await page.locator('.examples select').selectOption('echo.board.json');
  await expect(page.getByTestId('board-title')).toContainText('echo');
  await expect.poll(() => terminalText(page)).toMatch(/\S/);
  const inTerminal = () => page.evaluate(() => document.activeElement?.closest('.xterm') !== null);

  await page.getByTestId('terminal').click();
  expect(await inTerminal()).toBe(true);
  await page.keyboard.press('Tab');
  expect(await inTerminal()).toBe(true); // the guest got a tab; focus stayed

  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  expect(await inTerminal()).toBe(false);
  const next = await page.evaluate(() => document.activeElement?.tagName);
  expect(next).not.toBe('BODY');

  await page.getByTestId('terminal').click();
  await page.keyboard.press('Escape');
  await page.keyboard.press('Shift+Tab');
  expect(await inTerminal()).toBe(false);

  // An Escape followed by another key re-arms nothing: Tab after "Escape, a" stays in the terminal.
  await page.getByTestId('terminal').click();
  await page.keyboard.press('Escape');
  await page.keyboard.press('a');
  await page.keyboard.press('Tab');
  expect(await inTerminal()).toBe(true);
  expect(errors).toEqual([]);
});

/** The visible buttons whose accessible name is not words (a glyph such as "+", or a name starting with one). */
async function unnamedButtons(page: Page): Promise<string[]> {
  const buttons = await page.getByRole('button').all();
  expect(buttons.length).toBeGreaterThan(20);
  const unnamed: string[] = [];
  for (const button of buttons) {
    if (!(await button.isVisible())) continue;
    const name = await button.evaluate((element) => {
      // the accessible name as a screen reader computes it for these buttons: aria-label, else the text without aria-hidden parts
      const label = element.getAttribute('aria-label');
      if (label) return label;
      const clone = element.cloneNode(true) as HTMLElement;
      clone.querySelectorAll('[aria-hidden="true"]').forEach((hidden) => hidden.remove());
      return (clone.textContent ?? '').trim();
    });
    if (!/^[\p{L}\d]/u.test(name) || !/\p{L}{2}/u.test(name)) unnamed.push(JSON.stringify(name));
  }
  return unnamed;
}

test('every button is named in words (a screen reader says "Run", not "▶ Run")', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await expect.poll(() => terminalText(page)).toContain('Hello');
  // open what the page can show: the debugger, the QMP monitor, the inspector with an explicit value
  // (its clear button), the life-cycle panel
  await page.getByTestId('toggle-debug').click();
  await page.getByTestId('toggle-qmp').click();
  // ram is picked while the view has room and has fitted the board: with the life-cycle panel open
  // beside it the canvas is about 240 px wide and ram is cut off at its right edge, where a click on
  // the middle of the node lands on the inspector (the CI flake here)
  await page.getByTestId('tab-composition').click();
  const composition = page.getByTestId('view-composition');
  await expect(composition).toHaveAttribute('aria-busy', 'false');
  await composition.getByTestId('composition-node-ram').click({ position: { x: 24, y: 12 } });
  await page.getByTestId('prop-size').fill('64M');
  await page.getByTestId('prop-size').press('Enter');
  await expect(page.getByTestId('origin-size')).toHaveText('explicit');
  await page.getByTestId('toggle-machine-panel').click();
  await expect(page.getByTestId('machine-panel')).toBeVisible();
  expect(await unnamedButtons(page)).toEqual([]);
  // a board with a composite: its node in the composition view has a collapse button (the
  // life-cycle panel closed again, so the view has room to show the whole board)
  await page.getByTestId('toggle-machine-panel').click();
  await page.locator('.examples select').selectOption('uart-bank.board.json');
  await expect(page.getByTestId('board-title')).toContainText('uart-bank');
  await page.getByTestId('tab-composition').click();
  await expect(page.getByTestId('collapse-bank')).toBeVisible();
  expect(await unnamedButtons(page)).toEqual([]);
  await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Pause', exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Step', exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Reset', exact: true })).toBeVisible();
  expect(errors).toEqual([]);
});
