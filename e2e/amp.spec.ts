import { expect, test } from '@playwright/test';
import { openDesigner, terminalText } from './helpers';

// The gallery's heterogeneous example (examples/amp.board.json): a RISC-V hart and a Cortex-M3 on
// one board. In the browser it runs as `boardlab run` does: the hart releases the M3 from reset,
// hands it work through the mailbox and the shared RAM, and ends the run when the answer comes.

test('the heterogeneous example runs both CPUs in the page to the same result as headless', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await page.locator('.examples select').selectOption('amp.board.json');
  await expect(page.getByTestId('board-title')).toContainText('amp');
  await expect.poll(() => terminalText(page)).toContain('hart: the M3 answered 204 (right)');
  await expect(page.getByTestId('run-state')).toHaveText('halted: pass');
  // Each UART in its own terminal tab: the hart's on uart0, the M3's on m3uart
  expect(await terminalText(page)).toBe('hart: releasing the M3 and sending it work\nhart: the M3 answered 204 (right)\n');
  expect(await page.evaluate(() => window.__boardlab?.terminalTextOf('m3uart'))).toBe('m3: up, waiting for work\nm3: sum of squares of 8 numbers = 204\n');
  await expect(page.getByTestId('terminal-tab-uart0')).toHaveAttribute('aria-selected', 'true');
  await page.getByTestId('terminal-tab-m3uart').click();
  await expect(page.getByTestId('terminal')).toContainText('m3: sum of squares of 8 numbers = 204');
  expect(errors).toEqual([]);
});
