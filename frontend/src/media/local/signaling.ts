/**
 * The local provider's signaling transport: messages to the other page through the local API
 * (`/api/media/local/signal`) and a long poll for what it said (`/api/media/local/poll`, 4 s, which is
 * also this page's presence heartbeat). It knows nothing of WebRTC; negotiation.ts decides what to say.
 * After a failed poll the next one does not wait, so a recovery shows at once.
 */
import { ApiError, api } from '../../api/client';

export type SignalType = 'hello' | 'offer' | 'answer' | 'bye';

export interface SignalMessage {
  seq: number;
  from: string;
  type: SignalType;
  payload: Record<string, unknown> | null;
}

export interface Credentials {
  meeting_id: string;
  attendee_id: string;
  join_token: string;
  /** This page's random id: a reloaded page is a new page of the same attendee. */
  page: string;
}

/** What one poll brought, in the order the transport hands it over. */
export interface TransportHandler {
  message(message: SignalMessage): Promise<void>;
  /** The attendees the server heard from lately; `recovered` after a signaling outage. */
  present(ids: string[], recovered: boolean): Promise<void>;
  /** The meeting is gone (ended, or this attendee is no longer in it). */
  ended(): void;
  /** The count of polls failed in a row changed. */
  health(failures: number): void;
}

const POLL_WAIT_MS = 4000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Signaling steps, for a developer reading the console (hidden unless "Verbose" is shown). */
export function trace(...parts: unknown[]): void {
  console.debug('[local-call]', ...parts);
}

export class SignalingTransport {
  private after = 0;
  private failures = 0;
  private stopped = false;
  private pollAbort: AbortController | null = null;

  constructor(private readonly credentials: Credentials) {}

  async send(type: SignalType, payload: Record<string, unknown>, keepalive = false): Promise<void> {
    trace('send', type, payload.offer_id ?? payload.has ?? '');
    await api('post', '/api/media/local/signal', { body: { ...this.credentials, type, payload }, keepalive });
  }

  /**
   * The first look: skips what was said before this page arrived (it was meant for an earlier page of
   * ours) and says who is there. Returns null when the meeting is already gone.
   */
  async arrive(): Promise<string[] | null> {
    const first = await this.poll(0);
    this.after = first.next;
    return first.ended ? null : first.present;
  }

  /** Polls until stopped, handing each batch to `handler` in order. */
  async run(handler: TransportHandler): Promise<void> {
    while (!this.stopped) {
      let response: Awaited<ReturnType<SignalingTransport['poll']>>;
      try {
        response = await this.poll(this.failures > 0 ? 0 : POLL_WAIT_MS);
      } catch (err) {
        if (this.stopped) return;
        if (err instanceof ApiError && (err.status === 404 || err.status === 410)) return handler.ended();
        this.failures += 1;
        trace('poll failed', this.failures);
        handler.health(this.failures);
        await sleep(Math.min(4000, 500 * this.failures));
        continue;
      }
      const recovered = this.failures > 0;
      if (recovered) {
        this.failures = 0;
        handler.health(0);
      }
      this.after = response.next;
      for (const message of response.messages as unknown as SignalMessage[]) {
        if (this.stopped) return;
        if (message.from === this.credentials.attendee_id) continue;
        await handler.message(message);
      }
      if (this.stopped) return;
      if (response.ended) return handler.ended();
      await handler.present(response.present, recovered);
    }
  }

  stop(): void {
    this.stopped = true;
    this.pollAbort?.abort();
  }

  private poll(waitMs: number) {
    this.pollAbort = new AbortController();
    return api('post', '/api/media/local/poll', {
      body: { ...this.credentials, after: this.after, wait_ms: waitMs },
      signal: this.pollAbort.signal,
    });
  }
}
