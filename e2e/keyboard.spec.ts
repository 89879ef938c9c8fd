// Keyboard users: the terminal keeps Tab for the guest, but Escape then Tab leaves it.
import { expect, test } from '@playwright/test';
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
