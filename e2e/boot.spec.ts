import { expect, test } from '@playwright/test';
import { GREETING, instructions, openDesigner, terminalText, waitForGreeting } from './helpers';

test('the page is cross-origin isolated and boots the default board to its greeting', async ({ page }) => {
  const { errors } = await openDesigner(page);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);

  await waitForGreeting(page);
  // xterm shows it too, in its own DOM rows
  await expect(page.locator('.xterm-rows')).toContainText(GREETING);
  expect(await instructions(page)).toBeGreaterThan(0);
  await expect(page.getByTestId('instructions')).not.toHaveText('0');

  // the board graph: objects with their types, the bus with base addresses on its edges
  const graph = page.getByTestId('board-graph');
  await expect(graph.getByTestId('node-uart0')).toContainText('ns16550a');
  await expect(graph.getByTestId('node-cpu0')).toContainText('rv32');
  await expect(graph.getByTestId('node-system bus')).toBeVisible();
  await expect(graph.locator('.edge-address', { hasText: '0x10000000' })).toHaveCount(1);
  await expect(graph.locator('.edge-address', { hasText: '0x80000000' })).toHaveCount(1);

  // the board document in Monaco
  await expect(page.getByTestId('json-editor').locator('.view-lines')).toContainText('"boardlab"');

  // nothing rejected, nothing thrown
  await expect(page.getByTestId('problem-count')).toHaveText('0');
  expect(await terminalText(page)).toContain(GREETING);
  expect(errors).toEqual([]);
});
