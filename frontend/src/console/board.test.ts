import { describe, expect, it } from 'vitest';
import type { Board, BoardRow } from '../api/types';
import { BOARD_POLL_MS, boardPollMs, initialBoard, needsAttention, reduceBoard } from './board';

const row = (changes: Partial<BoardRow> = {}): BoardRow => ({
  id: 'v1',
  start: '2026-11-25T15:00:00Z',
  end: '2026-11-25T16:00:00Z',
  service_code: 'TELE',
  client: { id: 'c1', name: 'Ann', has_email: true, has_mobile: false, sms_consent: false, sms_status: null },
  employee: { id: 'e1', name: 'Maria', active: true },
  state: 'invited',
  employee_present: false,
  client_present: false,
  invite_undeliverable: false,
  link_not_opened: false,
  last_invite_sent_at: null,
  ...changes,
});
const board = (rows: BoardRow[]): Board => ({ date: '2026-11-25', time_zone: 'America/New_York', as_of: '2026-11-25T15:10:00Z', visits: rows, reassign: [] });

describe('the live board (R35)', () => {
  it('test_r35_the_board_looks_again_while_it_shows_today_in_view', () => {
    const today = initialBoard('2026-11-25');
    expect(boardPollMs(today, false)).toBe(BOARD_POLL_MS);
    expect(boardPollMs(today, true)).toBeNull();
    expect(boardPollMs(reduceBoard(today, { type: 'day', day: '2026-11-24' }), false)).toBeNull();
  });

  it('an answer for another day is dropped; a failed look keeps what was shown', () => {
    const shown = reduceBoard(initialBoard('2026-11-25'), { type: 'board', day: '2026-11-25', board: board([row()]) });
    const moved = reduceBoard(shown, { type: 'day', day: '2026-11-26' });
    expect(moved.board).toBeNull();
    expect(reduceBoard(moved, { type: 'board', day: '2026-11-25', board: board([]) })).toBe(moved);
    const failed = reduceBoard(shown, { type: 'failed', day: '2026-11-25', message: 'No connection.' });
    expect(failed).toMatchObject({ board: shown.board, error: 'No connection.' });
  });

  it('test_r35_a_waiting_client_and_both_flags_stand_out', () => {
    expect(needsAttention(row())).toBe(false);
    expect(needsAttention(row({ state: 'client_waiting' }))).toBe(true);
    expect(needsAttention(row({ invite_undeliverable: true }))).toBe(true);
    expect(needsAttention(row({ link_not_opened: true }))).toBe(true);
  });

  it('test_r36_a_reassignment_from_the_board_says_what_happened', () => {
    const busy = reduceBoard(initialBoard('2026-11-25'), { type: 'reassigning', visitId: 'v9' });
    expect(busy.busy).toBe('v9');
    expect(reduceBoard(busy, { type: 'reassigned', notice: 'Visit reassigned.' })).toMatchObject({ busy: null, notice: 'Visit reassigned.' });
    expect(reduceBoard(busy, { type: 'reassign-failed', message: 'No.' })).toMatchObject({ busy: null, error: 'No.' });
  });
});
