// The header names the board, its firmware and (where a useful part fits) its description: in a
// narrow header the description is not cut down to a letter and an ellipsis ("T…"); the name
// carries it as a tooltip, and a wider window shows it.
import { expect, test } from '@playwright/test';
import { openDesigner } from './helpers';

const HELLO_DESCRIPTION = /^The smallest useful board/;

test('the board description shows where it fits and is never cut to a stub; the name keeps it as a tooltip', async ({ page }) => {
  const { errors } = await openDesigner(page);
  const description = page.getByTestId('board-description');
  const name = page.locator('.board-title__name');
  await expect(name).toHaveAttribute('title', HELLO_DESCRIPTION);

  // 1440 px: the examples, lessons and file buttons leave the title about 200 px: no room.
  const shownWidth = async () => ((await description.isVisible()) ? ((await description.boundingBox())?.width ?? 0) : 0);
  const narrow = await shownWidth();
  expect(narrow === 0 || narrow > 120, `description ${narrow} px wide`).toBe(true);

  // A wide window shows it, with its full text as a tooltip where it is cut.
  await page.setViewportSize({ width: 2200, height: 900 });
  await expect(description).toBeVisible();
  await expect(description).toHaveText(HELLO_DESCRIPTION);
  await expect(description).toHaveAttribute('title', HELLO_DESCRIPTION);
  expect(await shownWidth()).toBeGreaterThan(120);
  expect(errors).toEqual([]);
});
