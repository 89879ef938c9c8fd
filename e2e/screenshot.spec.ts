// Writes docs/screenshot.png. Only runs with BOARDLAB_SCREENSHOT=1 (see playwright.config.ts).
import { expect, test } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { openDesigner, waitForGreeting } from './helpers';

test('screenshot of the designer running the default board', async ({ page }) => {
  await openDesigner(page);
  await waitForGreeting(page);
  await expect(page.getByTestId('json-editor').locator('.view-lines')).toContainText('"boardlab"');
  await page.waitForTimeout(800); // let the graph's fit-to-view settle
  await page.screenshot({ path: fileURLToPath(new URL('../docs/screenshot.png', import.meta.url)) });
});
