import { describe, expect, it } from 'vitest';
import { lessonLink, lessonLocation } from './lesson-link.ts';

const PAGE = 'https://teach.example/boardlab/';

describe('lesson links', () => {
  it('carries the whole lesson in the hash, compressed, and gets it back', () => {
    const text = JSON.stringify({ lessonFormat: 1, title: 'Hello, ü', steps: Array.from({ length: 20 }, () => ({ title: 'same step', text: 'repeated text '.repeat(10) })) });
    const link = lessonLink(PAGE, text);
    expect(link.startsWith(`${PAGE}#lesson=`)).toBe(true);
    expect(link.length).toBeLessThan(text.length / 4);
    expect(lessonLocation(link)).toEqual({ kind: 'inline', text });
  });

  it('names a lesson file on the same server with ?lesson=, relative to the page', () => {
    expect(lessonLocation(`${PAGE}?lesson=lessons/01.lesson.json`)).toEqual({ kind: 'url', url: 'https://teach.example/boardlab/lessons/01.lesson.json' });
    expect(lessonLocation(`${PAGE}?lesson=/course/a.lesson.json`)).toEqual({ kind: 'url', url: 'https://teach.example/course/a.lesson.json' });
  });

  it('refuses a file on another server and a damaged link, saying why', () => {
    expect(lessonLocation(`${PAGE}?lesson=https://elsewhere.example/a.lesson.json`)).toEqual({ kind: 'damaged', reason: expect.stringContaining('another server (https://elsewhere.example)') });
    expect(lessonLocation(`${PAGE}#lesson=AAAA`)).toEqual({ kind: 'damaged', reason: expect.stringContaining('the lesson link is damaged') });
  });

  it('is no lesson address without either form', () => {
    expect(lessonLocation(PAGE)).toBeUndefined();
    expect(lessonLocation(`${PAGE}#board=abc`)).toBeUndefined();
  });
});
