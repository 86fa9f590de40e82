import type { ChatMessage } from './events.js';
import { inert, messageLine, type Format } from './render.js';

/**
 * A page of messages cut to what fits `budget` bytes as the asker will receive it. JSON escapes a control
 * character as six bytes, so 200 messages of 4,000 of them are 4.8 MB: past the output bound, the reply
 * would disconnect a client that reads. The messages nearest the cursor are kept (the newest when paging
 * back, the oldest when paging forward), at least one; `cut` says some were left out (the reply's `more`).
 */
export function fitToBytes(messages: ChatMessage[], format: Format, budget: number, keep: 'newest' | 'oldest'): { messages: ChatMessage[]; cut: boolean } {
  let bytes = 0;
  let n = 0;
  const at = (i: number) => messages[keep === 'newest' ? messages.length - 1 - i : i]!;
  for (; n < messages.length; n++) {
    bytes += encodedSize(at(n), format);
    if (n > 0 && bytes > budget) break;
  }
  if (n === messages.length) return { messages, cut: false };
  return { messages: keep === 'newest' ? messages.slice(messages.length - n) : messages.slice(0, n), cut: true };
}

function encodedSize(m: ChatMessage, format: Format): number {
  // The JSON form is the message object as it is in the reply's list; the text form is its line.
  return Buffer.byteLength(format === 'json' ? JSON.stringify(m) : inert(messageLine(m, true))) + 1;
}

/** Half the bound: a page and whatever else the session is sent meanwhile stay within it. */
export function replyBudget(maxOutputBytes: number): number {
  return Math.max(1, Math.floor(maxOutputBytes / 2));
}
