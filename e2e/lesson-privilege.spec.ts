// Lesson 05 (lessons/05-privilege.lesson.json) followed as a student: the one missing ecall typed
// under the TODO in main.s, Ctrl+Enter, and the page's live checks tick — the trap from U-mode, and
// the register checks (a1 and a0 when the pc reaches `done`), which the worker reads at that symbol
// without pausing the guest.
import { expect, test } from '@playwright/test';
import { expectTicks, openDesigner } from './helpers';

test('lesson 05: a student adds the ecall; the trap and the registers at done tick in the page', async ({ page }) => {
  test.setTimeout(120_000);
  const { errors } = await openDesigner(page);
  await page.getByTestId('lesson-gallery').selectOption({ label: 'Privilege: a trap from U-mode to M-mode' });
  await expect(page.getByTestId('lesson-step-title')).toHaveText('Step 1 of 2: Down to U-mode and back');
  await expectTicks(page, [false]);
  await page.getByTestId('lesson-next').click();
  await expectTicks(page, [false, false, false]);
  await page.getByTestId('lesson-previous').click();

  await page.getByTestId('tab-document').click();
  await page.getByTestId('source-tab-main.s').click();
  const editor = page.getByTestId('source-editor');
  await expect(editor).toContainText('Lesson: a trap from U-mode to M-mode.');
  await editor.click();
  await page.keyboard.press('ControlOrMeta+Home');
  for (let line = 1; line < 21; line++) await page.keyboard.press('ArrowDown'); // the TODO line
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('ecall');
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(page.getByTestId('run-state')).toHaveText('halted: pass');

  await page.getByTestId('tab-lesson').click();
  await page.getByTestId('lesson-next').click();
  await expectTicks(page, [true, true, true]);
  await page.getByTestId('lesson-previous').click();
  await expectTicks(page, [true]);
  await expect(page.getByTestId('lesson-step-2')).toHaveText('✓');
  expect(errors).toEqual([]);
});
