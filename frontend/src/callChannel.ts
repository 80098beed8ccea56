/**
 * What the call window tells the visit dialog, on a BroadcastChannel of the same origin (R41): the dialog
 * follows the call without asking the API. The window says its phase on every change and every few
 * seconds (so a dialog opened later, or a window that vanished without a word, is noticed), and `closed`
 * when it goes away. A dialog that opens asks (`ask`) and an open window answers.
 */
export type CallPhase = 'checking' | 'waiting' | 'in-call' | 'left' | 'final';

export type ChannelMessage =
  | { type: 'call'; visitId: string; phase: CallPhase; final?: { reason: string; message: string } }
  | { type: 'closed'; visitId: string }
  | { type: 'ask'; visitId: string };

export type CallNews = Extract<ChannelMessage, { type: 'call' }>;

const NAME = 'vv-call';
/** How often an open call window repeats its phase, and how long the dialog trusts the last word. */
export const HEARTBEAT_MS = 5000;
export const STALE_MS = 20000;

export interface CallChannel {
  post(message: ChannelMessage): void;
  close(): void;
}

export function openCallChannel(onMessage: (message: ChannelMessage) => void): CallChannel {
  if (typeof BroadcastChannel === 'undefined') return { post: () => undefined, close: () => undefined };
  const channel = new BroadcastChannel(NAME);
  channel.onmessage = (event: MessageEvent) => {
    const data = event.data as Partial<ChannelMessage> | null;
    if (data && typeof data.type === 'string' && typeof data.visitId === 'string') onMessage(data as ChannelMessage);
  };
  return {
    post: (message) => channel.postMessage(message),
    close: () => channel.close(),
  };
}
