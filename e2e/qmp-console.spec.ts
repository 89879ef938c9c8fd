import { expect, test, type Page } from '@playwright/test';
import { firmwareFile, instructions, openDesigner, openFirmware, terminalText, waitForGreeting } from './helpers';

/** Types a request into the QMP console and sends it with Enter. */
async function qmpSend(page: Page, request: string): Promise<void> {
  const input = page.getByTestId('qmp-input');
  await input.fill(request);
  await input.press('Enter');
}

/** The text of the console's entries of one kind (greeting, reply, error, input, note); events: name, time and data. */
const entries = (page: Page, kind: string) => page.getByTestId('qmp-log').locator(kind === 'event' ? '[data-kind="event"]' : `[data-kind="${kind}"] .qmp__text`);

/** The counter firmware runs forever, printing ticks: a machine that is always running unless paused. */
async function openRunningCounter(page: Page): Promise<void> {
  await waitForGreeting(page);
  await openFirmware(page, 'counter.elf', firmwareFile('counter.elf'));
  await expect.poll(() => terminalText(page)).toContain('tick 3');
  await expect(page.getByTestId('run-state')).toHaveText('running');
}

/** The whole log as lines of "kind text" (the console's own requests marked "input*"), for checking the order of a protocol exchange. */
async function transcript(page: Page): Promise<string[]> {
  return page
    .getByTestId('qmp-log')
    .locator('.qmp__entry')
    .evaluateAll((rows) => rows.map((row) => `${row.getAttribute('data-kind')}${row.hasAttribute('data-by-console') ? '*' : ''} ${row.querySelector('.qmp__text')?.textContent?.replace(/\s+/g, ' ') ?? ''}`));
}

/** Opens the console; it negotiates capabilities by itself ({"return": {}} to its qmp_capabilities). */
async function openNegotiatedConsole(page: Page): Promise<void> {
  await page.getByTestId('toggle-qmp').click();
  await expect(entries(page, 'greeting')).toHaveCount(1);
  await expect(entries(page, 'reply').last()).toHaveText('{"return": {}}');
}

test('the QMP console negotiates capabilities on open: the first command typed works', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await openRunningCounter(page);

  // The newcomer opens the monitor and at once types the first command the picker suggests.
  await page.getByTestId('toggle-qmp').click();
  await expect(page.getByTestId('qmp-console')).toBeVisible();
  await qmpSend(page, '{"execute": "query-status"}');
  await expect(entries(page, 'reply').last()).toContainText('"status": "running"');
  await expect(entries(page, 'error')).toHaveCount(0);
  await expect(page.getByTestId('qmp-connected')).toHaveAttribute('data-connected', 'true');

  // The protocol stays visible: the raw greeting, the console's qmp_capabilities and its {"return": {}}, then the user's request.
  const log = await transcript(page);
  expect(log).toHaveLength(5);
  expect(log[0]).toMatch(/^greeting \{ "QMP": \{ "version": /);
  // The user may type before the console's negotiation is answered (QMP answers in order), so the
  // inputs and the replies are each in order, but how they interleave depends on timing.
  expect(log.filter((line) => line.startsWith('input'))).toEqual(['input* {"execute": "qmp_capabilities"}', 'input {"execute": "query-status"}']);
  const replies = log.filter((line) => line.startsWith('reply'));
  expect(replies[0]).toBe('reply {"return": {}}');
  expect(replies[1]).toContain('"status": "running"');
  expect(log.indexOf('reply {"return": {}}')).toBeGreaterThan(log.indexOf('input* {"execute": "qmp_capabilities"}'));
  await expect(page.getByTestId('qmp-log').locator('[data-by-console]')).toContainText('sent by the console');

  // Sending it again is QEMU's own answer: negotiation happens once per session.
  await qmpSend(page, '{"execute": "qmp_capabilities"}');
  await expect(entries(page, 'error').last()).toContainText('Capabilities negotiation is already complete, command ignored');
  expect(errors).toEqual([]);
});

test('the QMP console reports the run state, and stop / Run stay in step with the page', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await openRunningCounter(page);
  await openNegotiatedConsole(page);

  await qmpSend(page, '{"execute": "query-status"}');
  await expect(entries(page, 'reply').last()).toContainText('"status": "running"');
  await expect(entries(page, 'reply').last()).toContainText('"running": true');

  // QMP stop pauses the machine the page shows: the run-state badge and the instruction count follow.
  await qmpSend(page, '{"execute": "stop"}');
  await expect(page.getByTestId('run-state')).toHaveText('paused');
  await expect(entries(page, 'event').last()).toContainText('STOP');
  const frozen = await instructions(page);
  await page.waitForTimeout(300);
  expect(await instructions(page)).toBe(frozen);
  await qmpSend(page, '{"execute": "query-status"}');
  await expect(entries(page, 'reply').last()).toContainText('"status": "paused"');

  // The page's Run resumes it, and the console sees RESUME.
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-state')).toHaveText('running');
  await expect(entries(page, 'event').last()).toContainText('RESUME');
  await expect.poll(() => instructions(page)).toBeGreaterThan(frozen);

  // The page's Pause is a STOP event too, with no request sent.
  await page.getByTestId('pause').click();
  await expect(page.getByTestId('run-state')).toHaveText('paused');
  await expect(entries(page, 'event')).toHaveCount(3);
  await expect(entries(page, 'event').last()).toContainText('STOP');

  // cont from the console: running again.
  await qmpSend(page, '{"execute": "cont"}');
  await expect(page.getByTestId('run-state')).toHaveText('running');
  await expect(entries(page, 'event').last()).toContainText('RESUME');
  expect(errors).toEqual([]);
});

test('malformed JSON gets a QMP error reply and the machine keeps running', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await openRunningCounter(page);
  await openNegotiatedConsole(page);

  await qmpSend(page, '{"execute": query-status}');
  await expect(entries(page, 'error').last()).toContainText('JSON parse error');
  await expect(entries(page, 'error').last()).toContainText('"class": "GenericError"');
  const before = await instructions(page);
  await expect.poll(() => instructions(page)).toBeGreaterThan(before);
  await expect(page.getByTestId('run-state')).toHaveText('running');

  // The session goes on; Up recalls the last request.
  await qmpSend(page, '{"execute": "query-status"}');
  await expect(entries(page, 'reply').last()).toContainText('"status": "running"');
  await page.getByTestId('qmp-input').press('ArrowUp');
  await expect(page.getByTestId('qmp-input')).toHaveValue('{"execute": "query-status"}');
  await page.getByTestId('qmp-input').press('ArrowUp');
  await expect(page.getByTestId('qmp-input')).toHaveValue('{"execute": query-status}');
  expect(errors).toEqual([]);
});

test("system_reset restarts the firmware as the page's Reset does; qom-get reads the running board", async ({ page }) => {
  await openDesigner(page);
  await openRunningCounter(page);
  await openNegotiatedConsole(page);

  await qmpSend(page, '{"execute": "qom-get", "arguments": {"path": "/machine/cpu0", "property": "type"}}');
  await expect(entries(page, 'reply').last()).toHaveText('{"return": "rv32"}');

  await expect.poll(() => terminalText(page)).toContain('tick 5');
  await qmpSend(page, '{"execute": "system_reset"}');
  await expect(entries(page, 'event').last()).toContainText('RESET');
  await expect(entries(page, 'event').last()).toContainText('host-qmp-system-reset');
  // The run loop reset the guest: the terminal starts a new session from the first tick.
  await expect.poll(() => terminalText(page)).toMatch(/^tick 1\n/);
  await expect(page.getByTestId('run-state')).toHaveText('running');

  await page.getByTestId('reset').click();
  await expect(entries(page, 'event').last()).toContainText('host-ui');
});

test('quit stops the machine and ends the session; Reconnect opens a new one, which goes on across a board load', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await openRunningCounter(page);
  await openNegotiatedConsole(page);

  // The page cannot exit: the machine pauses, SHUTDOWN is reported and the session ends.
  await qmpSend(page, '{"execute": "quit"}');
  await expect(entries(page, 'event').last()).toContainText('SHUTDOWN');
  await expect(entries(page, 'event').last()).toContainText('"reason": "host-qmp-quit"');
  await expect(entries(page, 'closed')).toHaveCount(1);
  await expect(page.getByTestId('qmp-connected')).toHaveAttribute('data-connected', 'false');
  await expect(page.getByTestId('run-state')).toHaveText('paused');

  // A new session negotiates again by itself: the first request typed works.
  await page.getByTestId('qmp-reconnect').click();
  await expect(entries(page, 'greeting')).toHaveCount(2);
  await qmpSend(page, '{"execute": "query-status"}');
  await expect(page.getByTestId('qmp-log').locator('[data-by-console]')).toHaveCount(2);
  await expect(entries(page, 'reply').last()).toContainText('"status": "prelaunch"');
  await page.getByTestId('run').click();
  await expect(entries(page, 'event').last()).toContainText('RESUME');
  await expect(page.getByTestId('run-state')).toHaveText('running');

  // Another board: the session goes on with its machine (hello halts the board: SHUTDOWN from the guest).
  await page.locator('.examples select').selectOption('hello.board.json');
  await expect(entries(page, 'note').last()).toContainText('board hello loaded');
  await expect(entries(page, 'event').last()).toContainText('"reason": "guest-shutdown"');
  await expect(page.getByTestId('run-state')).toHaveText('halted: pass');
  await qmpSend(page, '{"execute": "query-status"}');
  await expect(entries(page, 'reply').last()).toContainText('"status": "shutdown"');
  expect(errors).toEqual([]);
});
