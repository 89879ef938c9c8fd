// The QMP monitor console: a QMP session on the running machine (through the emulator worker), as
// a socket client would have it — the greeting, then requests typed as JSON, their replies, and
// events (STOP, RESUME, RESET, SHUTDOWN) as they happen, whoever caused them. The console negotiates
// capabilities itself when the greeting arrives (../qmp-console.ts), and shows that exchange too.
// Enter sends, Up/Down walk the history; the picker fills in common requests. docs/qmp.md
// describes the commands.
import { memo, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { clearQmpConsole, connectQmp, reconnectQmp, sendQmp, useQmpConsole } from '../qmp-console.ts';
import { indentJson, type ConsoleEntry } from '../qmp-format.ts';
import './qmp-console.css';

/** Requests a user reaches for first (the console negotiated capabilities already; sending it again is QEMU's error). */
const COMMON_REQUESTS: ReadonlyArray<{ label: string; request: string }> = [
  { label: 'query-status', request: '{"execute": "query-status"}' },
  { label: 'stop', request: '{"execute": "stop"}' },
  { label: 'cont', request: '{"execute": "cont"}' },
  { label: 'system_reset', request: '{"execute": "system_reset"}' },
  { label: 'query-cpus-fast', request: '{"execute": "query-cpus-fast"}' },
  { label: 'qom-list /machine', request: '{"execute": "qom-list", "arguments": {"path": "/machine"}}' },
  { label: 'qom-get', request: '{"execute": "qom-get", "arguments": {"path": "/machine/cpu0", "property": "type"}}' },
  { label: 'query-commands', request: '{"execute": "query-commands"}' },
  { label: 'x-boardlab-query-board', request: '{"execute": "x-boardlab-query-board"}' },
  { label: 'quit', request: '{"execute": "quit"}' },
  { label: 'qmp_capabilities (the console sent it on connect)', request: '{"execute": "qmp_capabilities"}' },
];

const PROMPT: Record<ConsoleEntry['kind'], string> = {
  input: '→',
  greeting: '←',
  reply: '←',
  error: '✗',
  event: '⚡',
  note: '·',
  closed: '■',
};

/** One line of the log (entries never change once written, so each renders once). */
const Entry = memo(function Entry({ entry }: { entry: ConsoleEntry }) {
  // An event shows its name, time and data; the whole line is its tooltip.
  const body = entry.event ? (entry.event.data ?? '') : entry.kind === 'note' || entry.kind === 'closed' ? entry.text : indentJson(entry.text);
  return (
    <div className={`qmp__entry qmp__entry--${entry.kind}`} data-kind={entry.kind} data-by-console={entry.byConsole || undefined} title={entry.event ? entry.text : undefined}>
      <span className="qmp__prompt" aria-hidden>
        {PROMPT[entry.kind]}
      </span>
      {entry.event && (
        <span className="qmp__event">
          <span className="qmp__event-name">{entry.event.name}</span> <span className="qmp__time">{entry.event.time}</span>
        </span>
      )}
      <pre className="qmp__text">{body}</pre>
      {entry.byConsole && (
        <span className="qmp__by-console" title="Sent by the console when the greeting arrived, as QEMU's own clients do">
          sent by the console
        </span>
      )}
    </div>
  );
});

export function QmpConsole() {
  const entries = useQmpConsole((s) => s.entries);
  const connected = useQmpConsole((s) => s.connected);
  const history = useQmpConsole((s) => s.history);
  const [text, setText] = useState('');
  /** Position in the history while walking it with Up/Down (history.length: the line being typed). */
  const [walk, setWalk] = useState<number | null>(null);
  const log = useRef<HTMLDivElement>(null);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    void connectQmp();
  }, []);

  useLayoutEffect(() => {
    const element = log.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, [entries]);

  const send = () => {
    if (text.trim() === '') return;
    void sendQmp(text);
    setText('');
    setWalk(null);
  };

  const keyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      send();
    } else if (event.key === 'ArrowUp' && history.length > 0) {
      event.preventDefault();
      const next = Math.max(0, (walk ?? history.length) - 1);
      setWalk(next);
      setText(history[next]);
    } else if (event.key === 'ArrowDown' && walk !== null) {
      event.preventDefault();
      const next = walk + 1;
      setWalk(next >= history.length ? null : next);
      setText(next >= history.length ? '' : history[next]);
    }
  };

  const pick = (request: string) => {
    if (request === '') return;
    setText(request);
    setWalk(null);
    input.current?.focus();
  };

  return (
    <div className="qmp" data-testid="qmp-console">
      <div className="qmp__toolbar">
        <span className="qmp__title">QMP monitor</span>
        <span className={`qmp__status ${connected ? 'qmp__status--on' : ''}`} data-testid="qmp-connected" data-connected={connected}>
          {connected ? 'connected' : 'not connected'}
        </span>
        <span className="spacer" />
        <select className="small" value="" onChange={(event) => pick(event.target.value)} data-testid="qmp-common" title="Fill in a common request (Enter sends it)">
          <option value="">common requests…</option>
          {COMMON_REQUESTS.map((c) => (
            <option key={c.label} value={c.request}>
              {c.label}
            </option>
          ))}
        </select>
        <button type="button" className="small" onClick={clearQmpConsole} data-testid="qmp-clear">
          Clear
        </button>
        <button type="button" className="small" onClick={() => void reconnectQmp()} data-testid="qmp-reconnect" title="End this session and open a new one (greeting, then negotiation again)">
          Reconnect
        </button>
      </div>
      <div className="qmp__log" ref={log} data-testid="qmp-log" role="log" aria-live="polite">
        {entries.map((entry) => (
          <Entry key={entry.seq} entry={entry} />
        ))}
      </div>
      <div className="qmp__input-row">
        <span className="qmp__prompt" aria-hidden>
          →
        </span>
        <input
          ref={input}
          className="qmp__input"
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            setWalk(null);
          }}
          onKeyDown={keyDown}
          placeholder={'{"execute": "query-status"}   Enter sends · ↑/↓ history'}
          spellCheck={false}
          autoComplete="off"
          aria-label="QMP request (JSON)"
          data-testid="qmp-input"
        />
        <button type="button" className="small" onClick={send} disabled={text.trim() === ''} data-testid="qmp-send">
          Send
        </button>
      </div>
    </div>
  );
}
