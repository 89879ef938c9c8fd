// Lessons open from links as a student gets them: the whole lesson in the URL (made by the panel's
// Link button), a lesson file on the same server (?lesson=), and a lesson file picked with Open
// lesson…; a lesson in a newer format, or a bad one, says exactly why and loses nothing.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { openDesigner } from './helpers';

const HELLO = readFileSync(fileURLToPath(new URL('../lessons/01-hello.lesson.json', import.meta.url)), 'utf8');

test('the Link button copies a link carrying the whole lesson, and the link opens it on a fresh page', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const { errors } = await openDesigner(page);
  await page.getByTestId('lesson-gallery').selectOption({ label: 'Hello on a board you wire yourself' });
  await expect(page.getByTestId('lesson-step-title')).toHaveText('Step 1 of 5: Add a UART');
  await page.getByTestId('lesson-link').click();
  await expect(page.getByTestId('notice')).toContainText('copied');
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toMatch(/\/#lesson=[A-Za-z0-9_-]+$/);

  const student = await context.newPage();
  await student.goto(link);
  await expect(student.getByTestId('lesson-panel')).toBeVisible();
  await expect(student.getByTestId('lesson-step-title')).toHaveText('Step 1 of 5: Add a UART');
  await expect(student.getByTestId('board-title')).toContainText('hello-lesson');
  // the hash is gone from the address once the lesson is open (a reload does not open it again over the student's work)
  expect(new URL(student.url()).hash).toBe('');
  expect(errors).toEqual([]);
});

test('?lesson= opens a lesson file from the same server', async ({ page }) => {
  await page.route('**/course/hello.lesson.json', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: HELLO }));
  await page.goto('/?lesson=course/hello.lesson.json');
  await expect(page.getByTestId('lesson-panel')).toBeVisible();
  await expect(page.getByTestId('board-title')).toContainText('hello-lesson');
  await expect(page.getByTestId('lesson-check')).toHaveAttribute('data-passed', 'false');
});

test('a lesson file that is missing, on another server, or in a newer format says why, and the default board opens', async ({ page }) => {
  await page.goto('/?lesson=course/none.lesson.json');
  // vite preview answers an unknown address with the page (a static host: 404); either way it says so
  await expect(page.getByTestId('notice')).toContainText(/the lesson .*\/course\/none\.lesson\.json could not be fetched: the server (answered 404|has no such file)/);
  await expect(page.getByTestId('board-title')).toContainText('hello');
  await expect(page.getByTestId('lesson-panel')).toHaveCount(0);

  await page.goto('/?lesson=https://elsewhere.example/a.lesson.json');
  await expect(page.getByTestId('notice')).toContainText('a lesson file must be on this server');

  const newer = JSON.stringify({ ...JSON.parse(HELLO), lessonFormat: 2 });
  await page.route('**/course/newer.lesson.json', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: newer }));
  await page.goto('/?lesson=course/newer.lesson.json');
  await expect(page.getByTestId('notice')).toContainText('cannot be opened: this lesson is in format 2, newer than this BoardLab reads (1) at /lessonFormat. Open it in a newer BoardLab');
  await expect(page.getByTestId('lesson-panel')).toHaveCount(0);
});

test('Open lesson… refuses a bad lesson with its problems (JSON Pointers) and keeps the running board', async ({ page }) => {
  const { errors } = await openDesigner(page);
  const bad = JSON.parse(HELLO) as { steps: Array<{ checks: Array<Record<string, unknown>> }> };
  bad.steps[2].checks[1].to = 'plic';
  await page.getByTestId('open-lesson').setInputFiles({ name: 'bad.lesson.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
  await expect(page.getByTestId('problem-pointer')).toHaveText('/steps/2/checks/1/to');
  await expect(page.getByTestId('problem-message')).toContainText('not a port reference');
  await expect(page.getByTestId('problems')).toContainText('lesson bad.lesson.json was rejected');
  await expect(page.getByTestId('lesson-panel')).toHaveCount(0);
  await expect(page.getByTestId('board-title')).toContainText('hello');
  // a good one opens
  await page.getByTestId('open-lesson').setInputFiles({ name: 'hello.lesson.json', mimeType: 'application/json', buffer: Buffer.from(HELLO) });
  await expect(page.getByTestId('lesson-panel')).toBeVisible();
  await expect(page.getByTestId('problem-count')).toHaveText('0');
  expect(errors).toEqual([]);
});
