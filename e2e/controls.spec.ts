import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { firmwareFile, GREETING, instructions, openBoardFile, openDesigner, openFirmware, session, terminalText, waitForGreeting } from './helpers';

test('Pause freezes the instruction count and Run resumes it', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await waitForGreeting(page);
  await openFirmware(page, 'counter.elf', firmwareFile('counter.elf'));
  await expect(page.getByTestId('board-title')).toContainText('firmware counter.elf');
  await expect.poll(() => terminalText(page)).toContain('tick 3');
  await expect(page.getByTestId('run-state')).toHaveText('running');
  await expect.poll(() => page.getByTestId('ips').getAttribute('data-ips').then(Number)).toBeGreaterThan(0);

  await page.getByTestId('pause').click();
  await expect(page.getByTestId('run-state')).toHaveText('paused');
  const frozen = await instructions(page);
  const frozenText = await terminalText(page);
  await page.waitForTimeout(500);
  expect(await instructions(page)).toBe(frozen);
  expect(await terminalText(page)).toBe(frozenText);
  await expect(page.getByTestId('instructions')).toHaveText(frozen.toLocaleString('en-US'));

  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-state')).toHaveText('running');
  await expect.poll(() => instructions(page)).toBeGreaterThan(frozen);
  expect(errors).toEqual([]);
});

test('Reset reruns the firmware from the start', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await waitForGreeting(page);
  const firstRun = await instructions(page);
  const before = await session(page);

  await page.getByTestId('reset').click();
  await expect.poll(() => session(page)).toBeGreaterThan(before);
  await expect(page.getByTestId('run-state')).toHaveText('halted: pass');
  await expect.poll(() => terminalText(page)).toContain(GREETING);
  // the terminal was cleared, so the greeting is there exactly once, and the count restarted
  const text = await terminalText(page);
  expect(text.split(GREETING).length - 1).toBe(1);
  expect(await instructions(page)).toBe(firstRun);
  expect(errors).toEqual([]);
});

test('Reset while paused puts the guest back at its first instruction', async ({ page }) => {
  await openDesigner(page);
  await waitForGreeting(page);
  await openFirmware(page, 'counter.elf', firmwareFile('counter.elf'));
  await expect.poll(() => terminalText(page)).toContain('tick 3');
  await page.getByTestId('pause').click();
  await expect(page.getByTestId('run-state')).toHaveText('paused');

  await page.getByTestId('reset').click();
  await expect.poll(() => instructions(page)).toBe(0);
  await expect.poll(() => terminalText(page)).toBe('');
  await expect(page.getByTestId('run-state')).toHaveText('paused');

  await page.getByTestId('run').click();
  await expect.poll(() => terminalText(page)).toMatch(/^tick 1\n/);
});

test('a board opened while the guest is busy loads at once (loads are not stuck behind the run loop)', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await waitForGreeting(page);
  await openFirmware(page, 'counter.elf', firmwareFile('counter.elf'));
  await expect.poll(() => terminalText(page)).toContain('tick 3');
  await expect(page.getByTestId('run-state')).toHaveText('running');

  // A load stuck behind the run loop would never answer: the greeting would never come.
  await openBoardFile(page, 'hello.board.json', readFileSync(fileURLToPath(new URL('../examples/hello.board.json', import.meta.url)), 'utf8'));
  await waitForGreeting(page);
  await expect(page.getByTestId('board-title')).not.toContainText('counter.elf');
  expect(await terminalText(page)).not.toContain('tick');
  expect(errors).toEqual([]);
});
