// The page while a guest runs flat out in the worker (issue #16 point 3: the page keeps drawing):
// with an assembly source open in the editor, the page does not ask the worker where the CPU is in
// that source at every frame while the guest runs (it did: the editor's current line, shown only
// while the guest is paused, was asked for at every change of the instruction count — a message to
// the busy worker and a new editor state per frame). Pause still marks the line the CPU is at.
import { expect, test, type Page } from '@playwright/test';
import { openDesigner, terminalText, typeSource, waitForGreeting } from './helpers';

/** Animation frames to watch: enough that a call per frame (or per few) cannot hide. */
const FRAMES = 20;

/** Counts the page's calls of each emulator worker method (comlink's APPLY messages), from the page's first script on. */
async function countWorkerCalls(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const calls: Record<string, number> = {};
    (window as unknown as { workerCalls_: Record<string, number> }).workerCalls_ = calls;
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (this: Worker, message: unknown, ...rest: unknown[]) {
      const call = message as { type?: string; path?: string[] } | null;
      if (call?.type === 'APPLY' && Array.isArray(call.path)) calls[call.path.join('.')] = (calls[call.path.join('.')] ?? 0) + 1;
      return (post as (...args: unknown[]) => void).call(this, message, ...rest);
    };
  });
}

/**
 * Calls of worker method `method` while the page draws FRAMES animation frames, and how long
 * they took (counted in the page: a loaded machine draws fewer frames per second, never fewer frames).
 */
async function callsOverFrames(page: Page, method: string): Promise<{ calls: number; frames: number; ms: number }> {
  return page.evaluate(
    ([frames, name]) => {
      const calls = (window as unknown as { workerCalls_: Record<string, number> }).workerCalls_;
      const before = calls[name] ?? 0;
      return new Promise<{ calls: number; frames: number; ms: number }>((resolve) => {
        let drawn = 0;
        const start = performance.now();
        const tick = (now: number) => {
          if (++drawn >= frames) return resolve({ calls: (calls[name] ?? 0) - before, frames: drawn, ms: now - start });
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      });
    },
    [FRAMES, method] as const,
  );
}

/** The instruction count the run panel shows. */
async function shownInstructions(page: Page): Promise<number> {
  return Number((await page.getByTestId('instructions').textContent())!.replace(/,/g, ''));
}

/** A program that never stops nor prints (no leading spaces: Monaco indents). */
const SPIN = ['.text', '.globl _start', '_start:', 'li t0, 0', 'loop:', 'addi t0, t0, 1', 'j loop'];

test('an assembly source running flat out: the page does not ask the worker for its line every frame; Pause marks the line', async ({ page }) => {
  await countWorkerCalls(page);
  const { errors } = await openDesigner(page);
  await waitForGreeting(page);
  await page.getByTestId('new-source').click();
  await expect.poll(() => terminalText(page)).toContain('Hello from main.s!');
  const editor = page.getByTestId('source-editor');
  await typeSource(page, SPIN);
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(page.getByTestId('run-state')).toHaveText('running');
  await expect.poll(() => shownInstructions(page)).toBeGreaterThan(1_000_000);

  // The count moves on every frame; where the CPU is in the source matters only once it stops.
  const before = await shownInstructions(page);
  const watched = await callsOverFrames(page, 'sourceView');
  expect(watched.frames).toBe(FRAMES);
  expect(watched.calls, `sourceView calls over ${watched.frames} frames (${watched.ms.toFixed(0)} ms)`).toBe(0);
  expect(await shownInstructions(page)).toBeGreaterThan(before);
  await expect(editor.locator('.source-current-line')).toHaveCount(0);

  // Paused, the editor marks where the CPU is: in the loop (line 6 or 7).
  await page.getByTestId('pause').click();
  await expect(page.getByTestId('run-state')).toHaveText('paused');
  const current = editor.locator('.source-current-line');
  await expect(current).toHaveCount(1);
  const lineTop = async (n: number) => (await editor.locator('.line-numbers', { hasText: new RegExp(`^${n}$`) }).boundingBox())!.y;
  const top = (await current.boundingBox())!.y;
  expect(Math.min(Math.abs(top - (await lineTop(6))), Math.abs(top - (await lineTop(7))))).toBeLessThan(4);
  await page.screenshot({ path: 'test-results/busy-page-paused.png' });
  expect(errors).toEqual([]);
});
