// One ELK instance for every graph of the page, running in its own worker: laying out hundreds of
// objects never blocks the page, and its 1.6 MB script is parsed off the main thread. The worker is
// started early (warmElk, at page start) so that the first layout does not wait for it to load.
import type { ElkNode } from 'elkjs/lib/elk-api.js';

export interface ElkLayouter {
  layout(graph: ElkNode): Promise<ElkNode>;
}

let instance: Promise<ElkLayouter> | null = null;

/** The page's ELK (started on first use). */
export function elk(): Promise<ElkLayouter> {
  instance ??= Promise.all([import('elkjs/lib/elk-api.js'), import('elkjs/lib/elk-worker.min.js?url')]).then(([api, worker]) => {
    const ELK = api.default;
    return new ELK({ workerUrl: worker.default });
  });
  return instance;
}

/** Starts ELK's worker now, so the first graph finds it loaded. */
export function warmElk(): void {
  void elk().catch(() => undefined);
}
