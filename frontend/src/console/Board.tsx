/**
 * The live board (R35): the day's virtual visits with their live state, the undelivered invite (R29) and "Client
 * has not opened the link" standing out; and the visits of deactivated staff, to reassign from here (R36).
 * It looks again every BOARD_POLL_MS while it shows today and the page is in view.
 */
import { useEffect, useState } from 'preact/hooks';
import { errorText } from '../api/client';
import type { BoardRow, Employee, VisitListEntry } from '../api/types';
import { addDays, startOfDay } from '../calendar';
import { dayLabel, timeOfDay, timeRange } from '../format';
import { createPoller } from '../poller';
import { createStore } from '../store';
import type { Staff } from '../staff/session';
import { staffApi } from '../staff/session';
import { t } from '../texts/staff';
import { useStore } from '../useStore';
import { VirtualIcon } from '../ui/VirtualIcon';
import { boardPollMs, initialBoard, needsAttention, reduceBoard } from './board';
import type { BoardEvent, BoardState } from './board';

function Row({ row, staff }: { row: BoardRow; staff: Staff }) {
  const { zone, locale } = staff;
  return (
    <li class={`board-row state-${row.state}${needsAttention(row) ? ' needs-attention' : ''}`} data-visit-id={row.id}>
      <span class="board-time nowrap">{timeRange(row.start, row.end, zone, locale)}</span>
      <span class="board-who">
        <strong>{row.client.name}</strong>
        <span class="muted"> {row.employee.active ? row.employee.name : t.caregiverInactive(row.employee.name)}</span>
      </span>
      <span class="live-state" data-testid="live-state" data-state={row.state}>
        {t.liveStates[row.state] ?? row.state}
      </span>
      {row.employee_present && row.state !== 'in_call' && <span class="muted">{t.caregiverInCall}</span>}
      {row.invite_undeliverable && (
        <span class="flag" data-testid="flag-undeliverable">
          {t.flagUndeliverable}
        </span>
      )}
      {row.link_not_opened && (
        <span class="flag" data-testid="flag-not-opened">
          {t.flagNotOpened}
        </span>
      )}
    </li>
  );
}

function Reassign({ visit, staff, employees, busy, onReassign }: {
  visit: VisitListEntry;
  staff: Staff;
  employees: Employee[];
  busy: boolean;
  onReassign(employeeId: string): void;
}) {
  const [chosen, setChosen] = useState('');
  const id = `reassign-${visit.id}`;
  return (
    <li class="record-row" data-visit-id={visit.id}>
      <span class="record-main">
        <strong>
          {dayLabel(visit.start, staff.zone, staff.locale)}, <span class="nowrap">{timeRange(visit.start, visit.end, staff.zone, staff.locale)}</span>
        </strong>{' '}
        {visit.client.name} {visit.virtual && <VirtualIcon label={t.virtualVisitLabel} />}
      </span>
      <span class="record-meta">{t.caregiverInactive(visit.employee.name)}</span>
      <span class="btn-group reassign">
        <label for={id} class="visually-hidden">
          {t.caregiverField}
        </label>
        <select id={id} class="select" value={chosen} onChange={(event) => setChosen((event.currentTarget as HTMLSelectElement).value)}>
          <option value="">{t.choose}</option>
          {employees.map((e) => (
            <option key={e.id} value={e.id}>
              {e.name}
            </option>
          ))}
        </select>
        <button type="button" class="btn" disabled={busy || !chosen} onClick={() => onReassign(chosen)}>
          {t.reassign}
        </button>
      </span>
    </li>
  );
}

export function LiveBoard({ staff, today }: { staff: Staff; today: string }) {
  const [board] = useState(() => {
    const store = createStore<BoardState, BoardEvent>(initialBoard(today), reduceBoard, () => repace());
    const poller = createPoller(async () => {
      const day = store.get().day;
      try {
        store.dispatch({ type: 'board', day, board: await staffApi('get', '/api/board', { query: { date: day } }) });
      } catch (err) {
        store.dispatch({ type: 'failed', day, message: errorText(err) });
      }
    });
    const repace = (): void => poller.pace(boardPollMs(store.get(), document.hidden));
    return { store, poller, repace };
  });
  const state = useStore(board.store);
  const [employees, setEmployees] = useState<Employee[]>([]);
  useEffect(() => {
    const onReturn = (): void => {
      board.repace();
      if (!document.hidden) board.poller.now();
    };
    document.addEventListener('visibilitychange', onReturn);
    board.poller.now();
    board.repace();
    void staffApi('get', '/api/employees')
      .then((list) => setEmployees(list.filter((e) => e.active)))
      .catch(() => setEmployees([]));
    return () => {
      board.poller.stop();
      document.removeEventListener('visibilitychange', onReturn);
    };
  }, [board]);
  const dispatch = board.store.dispatch;
  const setDay = (day: string): void => {
    dispatch({ type: 'day', day });
    board.poller.now();
  };
  const reassign = async (visitId: string, employeeId: string): Promise<void> => {
    dispatch({ type: 'reassigning', visitId });
    try {
      await staffApi('patch', '/api/visits/{visit_id}', { path: { visit_id: visitId }, body: { employee_id: employeeId } });
      dispatch({ type: 'reassigned', notice: t.visitReassigned });
      board.poller.now();
    } catch (err) {
      dispatch({ type: 'reassign-failed', message: errorText(err) });
    }
  };
  const shown = state.board;
  return (
    <section class="console-section" aria-labelledby="board-title">
      <h2 id="board-title">{t.boardTitle}</h2>
      <div class="toolbar">
        <div class="btn-group">
          <button type="button" class="btn" onClick={() => setDay(addDays(state.day, -1))}>
            {t.previous}
          </button>
          <button type="button" class="btn" onClick={() => setDay(state.today)}>
            {t.today}
          </button>
          <button type="button" class="btn" onClick={() => setDay(addDays(state.day, 1))}>
            {t.next}
          </button>
        </div>
      </div>
      <p class="period">{dayLabel(startOfDay(state.day, staff.zone), staff.zone, staff.locale)}</p>
      {shown && state.day === state.today && <p class="muted">{t.boardAsOf(timeOfDay(shown.as_of, staff.zone, staff.locale))}</p>}
      <p class="error" role="alert">
        {state.error ?? ''}
      </p>
      <ul class="board" aria-busy={shown === null} aria-label={t.boardTitle}>
        {shown?.visits.length === 0 && <li class="muted">{t.boardEmpty}</li>}
        {shown?.visits.map((row) => <Row key={row.id} row={row} staff={staff} />)}
      </ul>
      <h3 id="reassign-title">{t.toReassignTitle}</h3>
      <p class="feedback" role="status">
        {state.notice ?? ''}
      </p>
      <ul class="record-list" aria-labelledby="reassign-title" data-testid="to-reassign">
        {shown?.reassign.length === 0 && <li class="muted">{t.toReassignNone}</li>}
        {shown?.reassign.map((visit) => (
          <Reassign
            key={visit.id}
            visit={visit}
            staff={staff}
            employees={employees}
            busy={state.busy === visit.id}
            onReassign={(employeeId) => void reassign(visit.id, employeeId)}
          />
        ))}
      </ul>
    </section>
  );
}
