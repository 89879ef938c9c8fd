// The bytes of the images a board names. A reference resolves against the files stored with the
// board first (the files the user opened, kept in its autosave, Save file and share link), then
// against the site: the project's bundled firmware is served at /firmware/… (public/firmware). An
// image that names one of the board's sources is assembled here (src/asm, on the page's thread: a
// program a person types assembles in milliseconds), its errors problems at the source's text.
import { assembleSourceImages, type BoardProblem, type ResolvedBoard } from '../graph/index.ts';

/** The images by file name (with the assembler's warnings about the board's sources: they never stop it), or why some cannot be had. */
export type ImagesResult = { ok: true; images: Record<string, Uint8Array>; warnings: BoardProblem[] } | { ok: false; problems: BoardProblem[]; warnings: BoardProblem[] };

function imageUrl(file: string): string {
  const base = import.meta.env.BASE_URL ?? '/';
  return `${base.endsWith('/') ? base : base + '/'}${file.replace(/^\.?\//, '')}`;
}

/** An image file's name without its folders: "firmware/hello.elf" → "hello.elf" (what the page shows a user). */
export function imageFileName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

/** What to do about an image the page cannot find, in the designer's words (no developer paths). */
export function missingImageHint(file: string): string {
  return `Open ${imageFileName(file)} again with "Open firmware…" (it is then stored with the board), or pick a bundled firmware in the CPU's Image field.`;
}

/** Fetches every image `board` names: from `stored` when the board carries the file, else from the site. */
export async function fetchImages(board: ResolvedBoard, stored: ReadonlyMap<string, Uint8Array>): Promise<ImagesResult> {
  const assembled = assembleSourceImages(board);
  if (assembled.problems.length > 0) return { ok: false, problems: assembled.problems, warnings: assembled.warnings };
  const images: Record<string, Uint8Array> = Object.fromEntries(assembled.files);
  const problems: BoardProblem[] = [];
  const files = [...new Map(board.images.filter((image) => image.source === undefined).map((image) => [image.file, image])).values()];
  await Promise.all(
    files.map(async (image) => {
      const carried = stored.get(image.file);
      if (carried) {
        images[image.file] = carried;
        return;
      }
      const pointer = `${image.pointer}/file`;
      const hint = missingImageHint(image.file);
      try {
        const response = await fetch(imageUrl(image.file));
        // The dev and preview servers answer unknown paths with index.html: that is "not found" too.
        const type = response.headers.get('content-type') ?? '';
        if (!response.ok || type.includes('text/html')) {
          problems.push({ pointer, message: `image ${image.file}: not stored with this board, and not a bundled firmware${response.ok || response.status === 404 ? '' : ` (the site answered HTTP ${response.status})`}`, hint });
          return;
        }
        images[image.file] = new Uint8Array(await response.arrayBuffer());
      } catch (error) {
        problems.push({ pointer, message: `image ${image.file}: could not be fetched (${error instanceof Error ? error.message : String(error)})`, hint: 'Check the connection and reload the page.' });
      }
    }),
  );
  return problems.length > 0 ? { ok: false, problems, warnings: assembled.warnings } : { ok: true, images, warnings: assembled.warnings };
}
