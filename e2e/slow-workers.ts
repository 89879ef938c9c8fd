// A loaded machine, as CI's is, made repeatable: the page's workers answer late. A test holds the
// layout worker's answers (ELK: the designer's views show "laying out…" until they are let go) and
// delays every message of the other workers (the emulator: a board edit reaches the views late),
// so that a user's action can be made to land in the window a slow machine leaves open.
import type { Page } from '@playwright/test';

declare global {
  interface Window {
    __e2eSlowWorkers?: { holdLayouts: boolean; releaseLayouts(): void; emulatorDelayMs: number };
  }
}

/** Installs the slow workers before the page's scripts run (call before page.goto). */
export async function slowWorkers(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const held: Array<() => void> = [];
    const control = {
      holdLayouts: false,
      emulatorDelayMs: 0,
      releaseLayouts() {
        control.holdLayouts = false;
        for (const deliver of held.splice(0)) deliver();
      },
    };
    window.__e2eSlowWorkers = control;
    const Native = window.Worker;
    class SlowWorker extends Native {
      constructor(url: string | URL, options?: WorkerOptions) {
        super(url, options);
        const layouts = String(url).includes('elk-worker');
        // Messages keep their order: each is delivered no earlier than the one before it.
        let lastDue = 0;
        const deliver = (handle: () => void) => {
          if (layouts) {
            if (control.holdLayouts) held.push(handle);
            else handle();
            return;
          }
          const due = Math.max(performance.now() + control.emulatorDelayMs, lastDue);
          lastDue = due;
          setTimeout(handle, due - performance.now());
        };
        let onmessage: ((event: MessageEvent) => void) | null = null;
        super.addEventListener('message', (event) => {
          const handler = onmessage;
          if (handler) deliver(() => handler.call(this, event));
        });
        Object.defineProperty(this, 'onmessage', { get: () => onmessage, set: (handler) => (onmessage = handler) });
        const add = super.addEventListener.bind(this);
        this.addEventListener = ((type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions) => {
          if (type !== 'message') return add(type, listener, options);
          const call = (event: Event) => (typeof listener === 'function' ? listener.call(this, event) : listener.handleEvent(event));
          return add('message', (event) => deliver(() => call(event)), options);
        }) as Worker['addEventListener'];
      }
    }
    window.Worker = SlowWorker;
  });
}

/** Lets the held layouts go right after the user's next click on the element with this test id (the page's handler has run). */
export function releaseLayoutsOnClick(page: Page, testId: string): Promise<void> {
  return page.evaluate((id) => {
    const release = (event: Event) => {
      if (!(event.target instanceof Element) || !event.target.closest(`[data-testid="${id}"]`)) return;
      document.removeEventListener('click', release, true);
      setTimeout(() => window.__e2eSlowWorkers!.releaseLayouts(), 0);
    };
    document.addEventListener('click', release, true);
  }, testId);
}

/** From now on the views' layouts wait until they are let go (releaseLayoutsOnClick); each view shows "laying out…". */
export function holdLayouts(page: Page): Promise<void> {
  return page.evaluate(() => void (window.__e2eSlowWorkers!.holdLayouts = true));
}

/** Every message from the emulator worker (a board loaded, a run state) reaches the page `ms` later. */
export function delayEmulator(page: Page, ms: number): Promise<void> {
  return page.evaluate((delay) => void (window.__e2eSlowWorkers!.emulatorDelayMs = delay), ms);
}
