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
  // Both UARTs' output, in the order the two CPUs wrote it (the page's one terminal shows every UART for now)
  expect(await terminalText(page)).toBe('hart: releasing the M3 and sending it work\nm3: up, waiting for work\nm3: sum of squares of 8 numbers = 204\nhart: the M3 answered 204 (right)\n');
  expect(errors).toEqual([]);
});
