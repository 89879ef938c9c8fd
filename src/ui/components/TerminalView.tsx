// The UART consoles: an xterm terminal fed from the serial rings by the run session's frame loop,
// with a tab per UART (named by its path) when the board has more than one, and one for a CPU's
// semihosting console when that CPU sees no UART (else its console shares the terminal of the first
// UART it sees: ../../workers/serial-streams.ts). What the user types or pastes goes to the UART of
// the tab shown (xterm's onData: Enter is "\r", as a real terminal sends it); the guest echoes, the
// terminal does not. A console tab takes no input.
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'react';
import { attachTerminal, chooseInputUart, sendInput, sendInputBytes } from '../run-session.ts';
import { useBoardLab } from '../store.ts';
import { terminalTabs } from '../terminal-tabs.ts';

const FONT_SIZE = 13;
const FONT_FAMILY = '"JetBrains Mono", "Fira Code", "DejaVu Sans Mono", Menlo, Consolas, monospace';

/** Cell size of the terminal font, measured once with a hidden span. */
function measureCell(): { width: number; height: number } {
  const probe = document.createElement('span');
  probe.style.cssText = `position:absolute;visibility:hidden;white-space:pre;font-family:${FONT_FAMILY};font-size:${FONT_SIZE}px;line-height:normal`;
  probe.textContent = 'W'.repeat(32);
  document.body.appendChild(probe);
  const rect = probe.getBoundingClientRect();
  probe.remove();
  return { width: rect.width / 32 || 8, height: Math.ceil(rect.height) || 17 };
}

export function TerminalView() {
  const host = useRef<HTMLDivElement>(null);
  const streams = useBoardLab((s) => s.devices.serial);
  const tabs = terminalTabs(streams);
  const [chosen, setChosen] = useState(0);
  const tab = tabs.find((t) => t.ring === chosen) ?? tabs[0];
  const ring = tab?.ring ?? 0;
  const acceptsInput = tab === undefined || tab.uart !== null;
  const acceptsInputNow = useRef(acceptsInput);
  acceptsInputNow.current = acceptsInput;
  const ringNow = useRef(ring);
  ringNow.current = ring;
  const sinkRef = useRef<Parameters<typeof attachTerminal>[0] | null>(null);

  // The tab shown: its ring feeds the terminal, and typing goes to its UART.
  useEffect(() => {
    const view = sinkRef.current;
    if (!view) return;
    const detach = attachTerminal(view, ring);
    return detach;
  }, [ring]);
  useEffect(() => {
    if (tab?.uart) chooseInputUart(tab.uart);
  }, [tab?.uart]);

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const terminal = new Terminal({
      convertEol: true,
      cursorBlink: false,
      cursorStyle: 'underline',
      fontFamily: FONT_FAMILY,
      fontSize: FONT_SIZE,
      scrollback: 5000,
      theme: {
        background: '#0b0f14',
        foreground: '#d7e3f4',
        cursor: '#5fb3ff',
        selectionBackground: '#2a4466',
      },
    });
    terminal.open(element);
    // Tab belongs to the guest while the terminal has focus; Escape then Tab (or Shift+Tab) moves
    // focus on instead — the usual way out of a widget that keeps Tab — so keyboard users are
    // never trapped (WCAG 2.1.2). The Escape still reaches the guest.
    let escaped = false;
    terminal.attachCustomKeyEventHandler((event) => {
      if (event.type !== 'keydown') return true;
      if (event.key === 'Tab' && escaped && !event.ctrlKey && !event.altKey && !event.metaKey) {
        escaped = false;
        return false; // xterm leaves the key alone: the browser moves focus
      }
      if (!['Shift', 'Control', 'Alt', 'Meta'].includes(event.key)) escaped = event.key === 'Escape';
      return true;
    });
    terminal.textarea?.setAttribute('aria-label', 'UART terminal: typing goes to the guest. Escape then Tab leaves it.');
    const typed = terminal.onData((data) => acceptsInputNow.current && sendInput(data));
    // Binary data (some mouse reports) is byte-per-character already.
    const binary = terminal.onBinary((data) => acceptsInputNow.current && sendInputBytes(Uint8Array.from(data, (c) => c.charCodeAt(0) & 0xff)));
    const cell = measureCell();
    const fit = () => {
      const cols = Math.max(20, Math.floor((element.clientWidth - 12) / cell.width));
      const rows = Math.max(4, Math.floor((element.clientHeight - 8) / cell.height));
      if (cols !== terminal.cols || rows !== terminal.rows) terminal.resize(cols, rows);
    };
    fit();
    const observer = new ResizeObserver(fit);
    observer.observe(element);
    // Bytes handed to xterm that it has not parsed yet: a flood of output waits in the serial ring
    // (and so holds the guest back) instead of piling up here.
    let unparsed = 0;
    const view = {
      clear: () => terminal.reset(),
      write: (bytes: Uint8Array) => {
        unparsed += bytes.length;
        terminal.write(bytes, () => {
          unparsed -= bytes.length;
        });
      },
      ready: () => unparsed < 256 * 1024,
    };
    sinkRef.current = view;
    const detach = attachTerminal(view, ringNow.current);
    return () => {
      sinkRef.current = null;
      typed.dispose();
      binary.dispose();
      detach();
      observer.disconnect();
      terminal.dispose();
    };
  }, []);

  const terminalHost = <div className="terminal-host" ref={host} data-testid="terminal" data-stream={tab?.title} title={acceptsInput ? "Typing goes to the guest's UART. Escape then Tab leaves the terminal." : 'A semihosting console: it shows what the CPU prints and takes no input.'} />;
  // One structure whatever the number of tabs: xterm stays in the element it opened in.
  return (
    <div className="terminal-tabs-host">
      {tabs.length > 1 && (
        <div className="terminal-tabs" role="tablist" aria-label="Terminals">
          {tabs.map((t) => (
            <button type="button" role="tab" aria-selected={t.ring === ring} className={`terminal-tab ${t.ring === ring ? 'terminal-tab--active' : ''}`} key={t.ring} title={t.title} onClick={() => setChosen(t.ring)} data-testid={`terminal-tab-${t.label}`}>
              {t.label}
            </button>
          ))}
        </div>
      )}
      {terminalHost}
    </div>
  );
}
