// Lesson 02 (lessons/02-led.lesson.json) followed as a student: opened from the Lessons gallery, the
// GPIO's line 0 wired to the LED by dragging in the IRQ view, the stores that light it typed into
// main.s under the lesson's TODO, Ctrl+Enter, and then the finisher store: each step's checks tick in
// the page, and each is seen unticked before the student's action.
import { expect, test } from '@playwright/test';
import { dragBetween, expectTicks, openDesigner, toEndOfLine } from './helpers';

test('lesson 02: a student wires the LED to GPIO line 0, lights it from main.s, and stops the board', async ({ page }, testInfo) => {
  // the keys are typed while the guest spins at full speed on two shared cores: allow for slow keys
  test.setTimeout(180_000);
  const { errors } = await openDesigner(page);
  await page.getByTestId('lesson-gallery').selectOption({ label: 'Memory-mapped I/O: drive an LED from assembly' });
  await expect(page.getByTestId('lesson-step-title')).toHaveText('Step 1 of 3: Wire the LED to GPIO line 0');
  await expectTicks(page, [false]);
  await page.screenshot({ path: testInfo.outputPath('1-start.png') });

  // Step 1: the GPIO's out line 0 into the LED's in
  await page.getByTestId('tab-irq').click();
  const irq = page.getByTestId('view-irq');
  await irq.locator('.react-flow__controls-fitview').click();
  await dragBetween(page, irq.getByTestId('handle-gpio-out:out'), irq.getByTestId('handle-led0-in:in'));
  await expect(page.getByTestId('prompt-source-line')).toBeVisible();
  await page.getByTestId('prompt-source-line').selectOption('0');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('connect-prompt')).toHaveCount(0);
  await expectTicks(page, [true]);
  await page.getByTestId('lesson-next').click();

  // Step 2: the LED is dark until the stores are written
  await expect(page.getByTestId('lesson-step-title')).toHaveText('Step 2 of 3: Light it from assembly');
  await expectTicks(page, [false]);
  await page.getByTestId('tab-document').click();
  await page.getByTestId('source-tab-main.s').click();
  const editor = page.getByTestId('source-editor');
  await expect(editor).toContainText('TODO step 2');
  await editor.click();
  await toEndOfLine(page, 14); // the TODO's last hint line ("#   ...")
  await page.keyboard.press('Enter');
  await page.keyboard.type('li t1, 1');
  await page.keyboard.press('Enter');
  await page.keyboard.type('sw t1, GPIO_OUTPUT_ENABLE(t0)');
  await page.keyboard.press('Enter');
  await page.keyboard.type('sw t1, GPIO_OUTPUT(t0)');
  await page.keyboard.press('ControlOrMeta+Enter');
  await page.screenshot({ path: testInfo.outputPath('2-typed.png') });
  // the program lights the LED, then spins: the board keeps running
  await expect(page.getByTestId('run-state')).toHaveText('running');
  await page.getByTestId('tab-lesson').click();
  await expectTicks(page, [true]);
  await page.getByTestId('lesson-next').click();

  // Step 3: not stopped yet; the finisher store under the step-3 TODO stops it
  await expect(page.getByTestId('lesson-step-title')).toHaveText('Step 3 of 3: Stop the board');
  await expectTicks(page, [false]);
  await page.getByTestId('tab-document').click();
  await editor.click();
  await toEndOfLine(page, 18); // "# TODO step 3", three lines further down now
  await expect(editor).toContainText('sw t1, GPIO_OUTPUT(t0)');
  await page.keyboard.press('Enter');
  await page.keyboard.type('li t0, FINISHER');
  await page.keyboard.press('Enter');
  await page.keyboard.type('li t1, 0x5555');
  await page.keyboard.press('Enter');
  await page.keyboard.type('sw t1, 0(t0)');
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(page.getByTestId('run-state')).toHaveText('halted: pass');
  await page.screenshot({ path: testInfo.outputPath('3-typed.png') });

  await page.getByTestId('tab-lesson').click();
  await expectTicks(page, [true]);
  await page.getByTestId('lesson-previous').click();
  await expectTicks(page, [true]); // the LED was lit in this run too
  for (let step = 1; step <= 3; step++) await expect(page.getByTestId(`lesson-step-${step}`)).toHaveText('✓');
  await page.screenshot({ path: testInfo.outputPath('4-done.png') });
  expect(errors).toEqual([]);
});
