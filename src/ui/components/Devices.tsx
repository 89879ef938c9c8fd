// The board's LEDs, buttons and displays in the page: LEDs glow in their colour while lit (levels
// from the shared LED words, sampled once per frame by the run session); buttons are held down with
// the mouse (or Space / Enter) and released when it lets go; a framebuffer is a <canvas> painted
// from the guest's shared pixel memory, only when the guest ran since the last paint, at most 30
// times a second.
import { useEffect, useRef, type KeyboardEvent, type PointerEvent } from 'react';
import { ROOT_PATH } from '../../graph/index.ts';
import type { FramebufferInfo } from '../../workers/emulator.worker.ts';
import { onFrame, pressButton, releaseButton } from '../run-session.ts';
import { LITTLE_ENDIAN, paintFramebuffer, RepaintGate } from '../framebuffer-paint.ts';
import { useBoardLab } from '../store.ts';

/** "/machine/soc/led0" → "soc/led0". */
export function objectName(path: string): string {
  return path.startsWith(`${ROOT_PATH}/`) ? path.slice(ROOT_PATH.length + 1) : path;
}

export function LedLamp({ index, color, name, testId = `led-${name}` }: { index: number; color: string; name: string; testId?: string }) {
  const lit = useBoardLab((s) => s.leds[index] ?? false);
  const count = useBoardLab((s) => s.ledCounts[index] ?? 0);
  return (
    <span
      className={`led led--${color} ${lit ? 'led--lit' : ''}`}
      data-testid={testId}
      data-lit={lit ? 'true' : 'false'}
      data-on-count={count}
      role="img"
      aria-label={`${name} ${lit ? 'on' : 'off'}`}
      title={`${name} (${color}) ${lit ? 'on' : 'off'} · turned on ${count} time${count === 1 ? '' : 's'}`}
    />
  );
}

export function PushButton({ index, name, compact = false, testId = `button-${name}` }: { index: number; name: string; compact?: boolean; testId?: string }) {
  const down = useBoardLab((s) => s.pressed[index] ?? false);
  // Held with a key, the button is let go when focus leaves it; held with the pointer, when the
  // pointer lets go (focus may move meanwhile: a graph node takes it on mouse down).
  const heldByKey = useRef(false);
  const press = (event: PointerEvent<HTMLButtonElement>) => {
    if (event.button !== 0) return;
    // Keep the pointer: a release outside the button still releases it.
    event.currentTarget.setPointerCapture(event.pointerId);
    event.stopPropagation();
    heldByKey.current = false;
    pressButton(index);
  };
  const release = () => releaseButton(index);
  const key = (event: KeyboardEvent<HTMLButtonElement>, isDown: boolean) => {
    if (event.key !== ' ' && event.key !== 'Enter') return;
    event.preventDefault();
    if (event.repeat) return;
    heldByKey.current = isDown;
    if (isDown) pressButton(index);
    else releaseButton(index);
  };
  const blur = () => {
    if (heldByKey.current) {
      heldByKey.current = false;
      releaseButton(index);
    }
  };
  return (
    <button
      type="button"
      className={`push-button nodrag nopan ${down ? 'push-button--down' : ''} ${compact ? 'push-button--compact' : ''}`}
      data-testid={testId}
      data-pressed={down ? 'true' : 'false'}
      aria-pressed={down}
      title={`${name}: hold to press`}
      onPointerDown={press}
      onPointerUp={release}
      onPointerCancel={release}
      onLostPointerCapture={release}
      onKeyDown={(event) => key(event, true)}
      onKeyUp={(event) => key(event, false)}
      onBlur={blur}
    >
      <span className="push-button__cap" aria-hidden />
      {compact ? 'press' : name}
    </button>
  );
}

/** Largest whole-number zoom (1–4) that keeps a display at most DISPLAY_WIDTH pixels wide. */
const DISPLAY_WIDTH = 360;
export function displayScale(width: number): number {
  return Math.max(1, Math.min(4, Math.floor(DISPLAY_WIDTH / width)));
}

export function FramebufferView({ info }: { info: FramebufferInfo }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const name = objectName(info.path);

  useEffect(() => {
    const element = canvas.current;
    const context = element?.getContext('2d');
    const vram = info.buffer;
    if (!element || !context || !vram) return;
    const image = context.createImageData(info.width, info.height);
    const pixels = new Uint32Array(image.data.buffer);
    const gate = new RepaintGate();
    let paints = 0;
    return onFrame((snapshot, now) => {
      if (!gate.due(snapshot.instructions, snapshot.session, now)) return;
      paintFramebuffer(vram, info.byteOffset, info, pixels);
      context.putImageData(image, 0, 0);
      element.dataset.paints = String(++paints);
    });
  }, [info]);

  if (!info.buffer || !LITTLE_ENDIAN) {
    return <div className="display display--missing">{name}: pixel memory is not shared with the page</div>;
  }
  return (
    <figure className="display" data-testid={`display-${name}`}>
      <canvas
        ref={canvas}
        width={info.width}
        height={info.height}
        className="display__canvas"
        data-testid={`framebuffer-${name}`}
        style={{ width: info.width * displayScale(info.width), aspectRatio: `${info.width} / ${info.height}` }}
      />
      <figcaption className="display__caption">
        {name} · {info.width}×{info.height} {info.format}
      </figcaption>
    </figure>
  );
}

/** LEDs and buttons of the running board, in a strip above the terminal (nothing if it has none). */
export function DevicesStrip() {
  const devices = useBoardLab((s) => s.devices);
  if (devices.leds.length === 0 && devices.buttons.length === 0) return null;
  return (
    <div className="devices" data-testid="devices">
      {devices.leds.length > 0 && (
        <div className="devices__group">
          <span className="devices__label">LEDs</span>
          {devices.leds.map((led) => (
            <span className="devices__item" key={led.path}>
              <LedLamp index={led.index} color={led.color} name={objectName(led.path)} />
              <span className="devices__name">{objectName(led.path)}</span>
            </span>
          ))}
        </div>
      )}
      {devices.buttons.length > 0 && (
        <div className="devices__group">
          <span className="devices__label">Buttons</span>
          {devices.buttons.map((button) => (
            <PushButton key={button.path} index={button.index} name={objectName(button.path)} />
          ))}
        </div>
      )}
    </div>
  );
}

/** The board's framebuffers beside the terminal (nothing if it has none). */
export function Displays() {
  const framebuffers = useBoardLab((s) => s.devices.framebuffers);
  if (framebuffers.length === 0) return null;
  return (
    <div className="displays">
      {framebuffers.map((info) => (
        <FramebufferView key={info.path} info={info} />
      ))}
    </div>
  );
}
