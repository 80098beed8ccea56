/**
 * The live board as one state (R35, R36): the day shown, what the API said of it, and when to look again.
 * Pure: tested in board.test.ts.
 *
 *   reading ──board──▶ shown ──(every BOARD_POLL_MS while today is shown and the page is in view)──▶ shown
 *      ▲                 │
 *      └──── day ────────┘      a reassignment from the board reads it again at once
 */
import type { Board, BoardRow } from '../api/types';

/**
 * How often the board looks while it shows today and is in view: a modest poll, chosen over a push channel by
 * cost per coordinator-day (docs/PERFORMANCE.md §5). A client waiting shows within this much of their opening
 * the link; the board's row states change at human pace.
 */
export const BOARD_POLL_MS = 15000;

export interface BoardState {
  /** The day shown, YYYY-MM-DD in the agency's zone. */
  day: string;
  today: string;
  board: Board | null;
  error: string | null;
  /** A reassignment from the board, while the API answers. */
  busy: string | null;
  notice: string | null;
}

export type BoardEvent =
  | { type: 'day'; day: string }
  | { type: 'board'; day: string; board: Board }
  | { type: 'failed'; day: string; message: string }
  | { type: 'reassigning'; visitId: string }
  | { type: 'reassigned'; notice: string }
  | { type: 'reassign-failed'; message: string };

export const initialBoard = (today: string): BoardState => ({ day: today, today, board: null, error: null, busy: null, notice: null });

export function reduceBoard(state: BoardState, event: BoardEvent): BoardState {
  switch (event.type) {
    case 'day':
      return event.day === state.day ? state : { ...state, day: event.day, board: null, error: null, notice: null };
    case 'board':
      return event.day === state.day ? { ...state, board: event.board, error: null } : state;
    case 'failed':
      // A failed look keeps what was shown (the next look may work); the message says it is not current.
      return event.day === state.day ? { ...state, error: event.message } : state;
    case 'reassigning':
      return { ...state, busy: event.visitId, error: null, notice: null };
    case 'reassigned':
      return { ...state, busy: null, notice: event.notice };
    case 'reassign-failed':
      return { ...state, busy: null, error: event.message };
  }
}

/** How often to look (null: not at all): today's board while in view; another day's once. */
export function boardPollMs(state: BoardState, hidden: boolean): number | null {
  return !hidden && state.day === state.today ? BOARD_POLL_MS : null;
}

/** The rows that stand out first: a client waiting, then the flags, then the rest by time (as the API orders). */
export function needsAttention(row: BoardRow): boolean {
  return row.state === 'client_waiting' || row.invite_undeliverable || row.link_not_opened;
}
