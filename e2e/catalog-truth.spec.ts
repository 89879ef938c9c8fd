// The inspector tells which properties change no behaviour: a "descriptive" marker whose tooltip
// says why (the catalog's PropertySpec.descriptive), and nothing on properties that do.
import { expect, test } from '@playwright/test';
import { openDesigner, waitForGreeting } from './helpers';

test('the UART inspector marks clock-frequency descriptive (device tree only) and fifo-depth not', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await waitForGreeting(page);
  await page.getByTestId('tab-composition').click();
  await page.getByTestId('composition-node-uart0').click();
  await expect(page.getByTestId('inspector-type')).toContainText('ns16550a');

  const marker = page.getByTestId('field-clock-frequency').getByTestId('descriptive-clock-frequency');
  await expect(marker).toHaveText('descriptive');
  await expect(marker).toHaveAttribute('title', /^Only the device tree: .*no baud rate/);
  await expect(page.getByTestId('field-fifo-depth')).toBeVisible();
  await expect(page.getByTestId('field-fifo-depth').getByTestId('descriptive-fifo-depth')).toHaveCount(0);
  await expect(page.locator('[data-testid^="descriptive-"]')).toHaveCount(1);
  expect(errors).toEqual([]);
});
