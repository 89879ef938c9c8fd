import { describe, expect, it } from 'vitest';
import { classifyQmpLine, indentJson, openBraces } from './qmp-format.ts';

describe('the QMP console’s formatting', () => {
  it('tells greeting, reply, error and event lines apart; events carry their name and local time', () => {
    expect(classifyQmpLine('{"QMP": {"version": {}, "capabilities": []}}\r\n').kind).toBe('greeting');
    expect(classifyQmpLine('{"return": {}}')).toEqual({ kind: 'reply', text: '{"return": {}}' });
    expect(classifyQmpLine('{"error": {"class": "GenericError", "desc": "JSON parse error, stray \'q\'"}}').kind).toBe('error');
    const stamp = { seconds: 1_700_000_000, microseconds: 250_000 };
    const entry = classifyQmpLine(JSON.stringify({ timestamp: stamp, event: 'STOP' }));
    const local = new Date(1_700_000_000_250);
    const pad = (n: number) => String(n).padStart(2, '0');
    expect(entry).toMatchObject({ kind: 'event', event: { name: 'STOP', time: `${pad(local.getHours())}:${pad(local.getMinutes())}:${pad(local.getSeconds())}.250` } });
    expect(entry.event?.data).toBeUndefined();
    const reset = classifyQmpLine('{"timestamp": {"seconds": 1, "microseconds": 2}, "event": "RESET", "data": {"guest": false, "reason": "host-ui"}}');
    expect(reset.event).toMatchObject({ name: 'RESET', data: '{"guest": false, "reason": "host-ui"}' });
  });

  it('lays long JSON out on lines from its own text, keeping integers beyond 2^53 exact', () => {
    expect(indentJson('{"return": {}}')).toBe('{"return": {}}');
    const line = '{"return": [{"name": "type", "type": "string"}, {"name": "big", "value": 18446744073709551615}, {"name": "s", "value": "a, {b}"}]}';
    const laid = indentJson(line, 50);
    expect(laid).toBe(
      [
        '{',
        '  "return": [',
        '    {"name": "type", "type": "string"},',
        '    {"name": "big", "value": 18446744073709551615},',
        '    {"name": "s", "value": "a, {b}"}',
        '  ]',
        '}',
      ].join('\n'),
    );
    // Same JSON, only whitespace changed.
    expect(laid.replace(/\s+/g, '')).toBe(line.replace(/\s+/g, ''));
  });

  it('counts braces left open outside strings (a request still being typed)', () => {
    expect(openBraces('{"execute": "stop"}')).toBe(0);
    expect(openBraces('{"execute": "qom-get", "arguments": {"path": "/machine"')).toBe(2);
    expect(openBraces('{"execute": "x", "id": "}}\\"{"}')).toBe(0);
    expect(openBraces("{'execute': '{'")).toBe(1);
  });
});
