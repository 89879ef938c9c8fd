// Fetches the image files a board needs from the site (public/ is served at the root), with files
// the user opened taking the place of fetched ones.
import type { BoardProblem, ResolvedBoard } from '../graph/index.ts';

export type ImagesResult = { ok: true; images: Record<string, Uint8Array> } | { ok: false; problems: BoardProblem[] };

function imageUrl(file: string): string {
  const base = import.meta.env.BASE_URL ?? '/';
  return `${base.endsWith('/') ? base : base + '/'}${file.replace(/^\.?\//, '')}`;
}

export async function fetchImages(board: ResolvedBoard, overrides: ReadonlyMap<string, Uint8Array>): Promise<ImagesResult> {
  const images: Record<string, Uint8Array> = {};
  const problems: BoardProblem[] = [];
  const files = [...new Map(board.images.map((image) => [image.file, image])).values()];
  await Promise.all(
    files.map(async (image) => {
      const override = overrides.get(image.file);
      if (override) {
        images[image.file] = override;
        return;
      }
      const pointer = `${image.pointer}/file`;
      const hint = 'Put the file under public/ (it is served at the site root), or open it with "Open firmware…".';
      try {
        const response = await fetch(imageUrl(image.file));
        // The dev and preview servers answer unknown paths with index.html: that is "not found" too.
        const type = response.headers.get('content-type') ?? '';
        if (!response.ok || type.includes('text/html')) {
          problems.push({ pointer, message: `image ${image.file}: not found on the server${response.ok ? '' : ` (HTTP ${response.status})`}`, hint });
          return;
        }
        images[image.file] = new Uint8Array(await response.arrayBuffer());
      } catch (error) {
        problems.push({ pointer, message: `image ${image.file}: could not be fetched (${error instanceof Error ? error.message : String(error)})`, hint });
      }
    }),
  );
  return problems.length > 0 ? { ok: false, problems } : { ok: true, images };
}
