// Lesson 06 (lessons/06-ipi.lesson.json) followed as a student: opened from the Lessons gallery,
// the run seen stuck first (hart 0 sends, hart 1 sleeps: nothing reaches it), the CLINT's msip line 1
// dragged to cpu1's msip in the IRQ view, and the rebuilt board's run ticking every check: cpu1's
// software interrupt, its message, and the board stopped with success.
import { expect, test } from '@playwright/test';
import { dragBetween, expectTicks, openDesigner, terminalText } from './helpers';

test('lesson 06: a student wires msip[1] into cpu1, and hart 0 wakes hart 1 with an IPI', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const { errors } = await openDesigner(page);
  await page.getByTestId('lesson-gallery').selectOption({ label: 'Two harts and an inter-processor interrupt' });
  await expect(page.getByTestId('lesson-step-title')).toHaveText('Step 1 of 2: Wire hart 1\'s software interrupt');
  await expectTicks(page, [false]);
  // the starting board is sound: no error or warning in Problems distracts from the lesson
  await expect(page.getByTestId('problems').locator('li.problem')).toHaveCount(0);

  // Unwired, hart 0 sends its IPI into nothing: hart 1 sleeps on, and step 2's checks stay unticked.
  await expect.poll(() => terminalText(page)).toContain('hart 0: sending an IPI to hart 1');
  await expect(page.getByTestId('run-state')).toHaveText('running');
  await page.getByTestId('lesson-next').click();
  await expectTicks(page, [false, false, false]);
  expect(await terminalText(page)).not.toContain('hart 1: got the IPI');
  await page.screenshot({ path: testInfo.outputPath('1-unwired.png') });
  await page.getByTestId('lesson-previous').click();

  // Step 1: the CLINT's msip line 1 into cpu1's msip
  await page.getByTestId('tab-irq').click();
  const irq = page.getByTestId('view-irq');
  await irq.locator('.react-flow__controls-fitview').click();
  await dragBetween(page, irq.getByTestId('handle-clint-out:msip'), irq.getByTestId('handle-cpu1-in:msip'));
  await expect(page.getByTestId('prompt-source-line')).toBeVisible();
  await page.getByTestId('prompt-source-line').selectOption('1');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('connect-prompt')).toHaveCount(0);
  await expectTicks(page, [true]);
  await page.screenshot({ path: testInfo.outputPath('2-wired.png') });

  // Step 2: the rebuilt board runs; hart 1 wakes, prints and stops it
  await expect.poll(() => terminalText(page)).toContain('hart 1: got the IPI');
  await expect(page.getByTestId('run-state')).toHaveText('halted: pass');
  await page.getByTestId('lesson-next').click();
  await expectTicks(page, [true, true, true]);
  for (let step = 1; step <= 2; step++) await expect(page.getByTestId(`lesson-step-${step}`)).toHaveText('✓');
  await expect(page.getByTestId('problems').locator('li.problem')).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('3-done.png') });
  expect(errors).toEqual([]);
});
