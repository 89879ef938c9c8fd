// The source text the debugger's Source view shows: a bundled firmware's C and assembly files,
// which the site serves under firmware-src/ (scripts/lib/firmware-sources.ts). The DWARF line
// table names a file relative to the folder the firmware was built in (its Makefile's, with
// -ffile-prefix-map making paths relative): firmware/ for firmware/hello.elf, firmware/arm/ for
// firmware/arm/hello.elf — the ELF's own folder on the site — so "../common/print.c" of an ARM
// image is firmware/common/print.c. A firmware the user opened has no sources on the site.

/** The site path of `file` (as the line table of `image` names it), or null when the site has no sources for it. */
export function firmwareSourcePath(image: string, file: string): string | null {
  const site = image.replace(/^\.?\//, '');
  if (!site.startsWith('firmware/') || file.startsWith('/')) return null;
  const parts: string[] = [];
  for (const part of `${site.slice(0, site.lastIndexOf('/') + 1)}${file}`.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return null;
      parts.pop();
    } else parts.push(part);
  }
  if (parts[0] !== 'firmware' || parts.length < 2) return null;
  return `firmware-src/${parts.slice(1).join('/')}`;
}

const cache = new Map<string, Promise<string | null>>();

/** The text of a source file of a bundled firmware, or null when the site does not have it. */
export function fetchFirmwareSource(image: string, file: string): Promise<string | null> {
  const path = firmwareSourcePath(image, file);
  if (path === null) return Promise.resolve(null);
  let text = cache.get(path);
  if (text === undefined) {
    const base = import.meta.env.BASE_URL ?? '/';
    text = fetch(`${base.endsWith('/') ? base : `${base}/`}${path}`)
      .then(async (response) => {
        // the dev and preview servers answer unknown paths with index.html: that is "not found" too
        if (!response.ok || (response.headers.get('content-type') ?? '').includes('text/html')) return null;
        return response.text();
      })
      .catch(() => null);
    cache.set(path, text);
    // a failure is not remembered: the next look tries again
    void text.then((t) => t === null && cache.delete(path));
  }
  return text;
}
