// The designer's short messages — a refused wire, a recovered board, why the guest paused, the
// share link — shown over the bottom of the canvas, where they never push the toolbar into a
// second row. The area is a live region (role="status"): screen readers read each new message.
// A message goes after a while (a link to copy by hand stays until closed); × closes it at once.
import { useEffect, useRef, useState } from 'react';
import { dismissNotice } from '../notices.ts';
import { saveBoardFile } from '../designer.ts';
import { useBoardLab } from '../store.ts';
import './notices.css';

/** How long a message stays, in ms. */
const SHOWN_MS = 8000;
const LINK_SHOWN_MS = 15000;

export function Notices() {
  const notice = useBoardLab((s) => s.notice);
  const [shown, setShown] = useState<number | null>(null);
  const linkInput = useRef<HTMLInputElement>(null);
  const manualCopy = notice?.link !== undefined && !notice.link.copied;
  // A link to copy by hand, or an offer to act on, stays until the user closes it.
  const stays = manualCopy || notice?.offer !== undefined;

  useEffect(() => {
    if (!notice) return;
    setShown(notice.seq);
    if (stays) return;
    const timer = setTimeout(() => setShown(null), notice.link ? LINK_SHOWN_MS : SHOWN_MS);
    return () => clearTimeout(timer);
  }, [notice, stays]);

  // A link to copy by hand is selected at once: Ctrl+C is all it takes.
  useEffect(() => {
    if (manualCopy && shown === notice?.seq) {
      linkInput.current?.focus();
      linkInput.current?.select();
    }
  }, [manualCopy, shown, notice]);

  const visible = notice !== null && shown === notice.seq;
  return (
    <div className="notices" role="status" aria-live="polite" data-testid="notices">
      {visible && (
        <div className={`notice-toast ${notice.topic === 'pause' ? 'notice-toast--pause' : ''}`} data-testid="notice">
          <span className="notice-toast__text">{notice.text}</span>
          {notice.link && (
            <input
              ref={linkInput}
              className="notice-toast__link"
              readOnly
              value={notice.link.url}
              onFocus={(event) => event.target.select()}
              aria-label="Share link"
              data-testid="share-link"
            />
          )}
          {notice.offer === 'save-file' && (
            <button
              type="button"
              className="small"
              onClick={() => {
                saveBoardFile();
                dismissNotice();
              }}
              data-testid="share-save-file"
            >
              Save file
            </button>
          )}
          <button type="button" className="notice-toast__close" onClick={dismissNotice} aria-label="Close the message" title="Close">
            ×
          </button>
        </div>
      )}
    </div>
  );
}
