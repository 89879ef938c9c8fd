// The lessons shipped in lessons/, bundled as text for the lesson gallery (like ./examples.ts).
const modules = import.meta.glob<string>('../../lessons/*.lesson.json', { eager: true, query: '?raw', import: 'default' });

export interface ShippedLesson {
  /** File name, e.g. "01-hello.lesson.json". */
  file: string;
  text: string;
  /** The lesson's title (its file name when the lesson does not parse: opening it says why). */
  title: string;
}

function titleOf(text: string, file: string): string {
  try {
    const title = (JSON.parse(text) as { title?: unknown }).title;
    return typeof title === 'string' ? title : file;
  } catch {
    return file;
  }
}

export const shippedLessons: ShippedLesson[] = Object.entries(modules)
  .map(([path, text]) => {
    const file = path.slice(path.lastIndexOf('/') + 1);
    return { file, text, title: titleOf(text, file) };
  })
  .sort((a, b) => a.file.localeCompare(b.file));
