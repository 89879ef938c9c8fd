// Messages over the canvas (./components/Notices.tsx shows the store's notice): refused designer
// actions, recovered or shared boards, share links, and why the guest paused (the run session's).
import { useBoardLab, type Notice, type NoticeTopic } from './store.ts';

/** Shows a message over the canvas; its seq tells it from the one before (the same text again shows again). */
function showNotice(notice: Omit<Notice, 'seq'>): void {
  const seq = (useBoardLab.getState().notice?.seq ?? 0) + 1;
  useBoardLab.setState({ notice: { ...notice, seq } });
}

/** Shows a short message (a refused wire, a bad name, a recovered board; `topic` 'pause': why the guest paused). */
export function notify(text: string, topic?: NoticeTopic): void {
  showNotice({ text, ...(topic !== undefined && { topic }) });
}

/** Shows a share link: copied to the clipboard, or (no clipboard) selected for copying by hand. */
export function notifyLink(url: string, copied: boolean): void {
  showNotice({ text: copied ? 'Link copied to the clipboard' : 'The clipboard is not available: copy the link (it is selected)', link: { url, copied } });
}

/** Says a share link would be too long (the board's firmware makes it so) and offers to save the file instead. */
export function notifyShareTooLong(length: number, limit: number): void {
  showNotice({ text: `This board and its firmware make a ${Math.ceil(length / 1024)} KiB link, over the ${limit / 1024} KiB a link can carry: share the saved file instead.`, offer: 'save-file' });
}

/** Hides the notice (its close button). */
export function dismissNotice(): void {
  useBoardLab.setState({ notice: null });
}

/** Drops a message about why the previous board's guest paused (another board runs now). */
export function forgetPauseNotice(): void {
  if (useBoardLab.getState().notice?.topic === 'pause') useBoardLab.setState({ notice: null });
}

