/** The visit preview: a compact card that says whether the visit is virtual (R03), with "More details". */
import { useEffect, useRef } from 'preact/hooks';
import type { ScheduleEntry } from '../api/types';
import { dayLabel, timeRange } from '../format';
import { t } from '../texts/staff';
import { VirtualIcon } from '../ui/VirtualIcon';
import type { Staff } from './session';

export function Preview({ visit, staff, onDetails, onClose }: { visit: ScheduleEntry; staff: Staff; onDetails(): void; onClose(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    if (dialog.current && !dialog.current.open) dialog.current.showModal();
  }, []);
  const titleId = `preview-title-${visit.id}`;
  return (
    <dialog
      ref={dialog}
      class="preview"
      aria-labelledby={titleId}
      data-testid="visit-preview"
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId} class="preview-title">
        {visit.virtual && <VirtualIcon label={t.virtualVisitLabel} />} {visit.virtual ? t.virtualVisitLabel : t.inPersonVisit}
      </h2>
      <p>
        {dayLabel(visit.start, staff.zone, staff.locale)}, <span class="nowrap">{timeRange(visit.start, visit.end, staff.zone, staff.locale)}</span>
      </p>
      <p>
        {t.client}: {visit.client.name || visit.client_id}
      </p>
      <p class="preview-kind">{visit.virtual ? t.previewVirtual : t.previewInPerson}</p>
      <div class="actions">
        <button type="button" class="btn btn-primary" onClick={onDetails}>
          {t.moreDetails}
        </button>
        <button type="button" class="btn" onClick={onClose}>
          {t.close}
        </button>
      </div>
    </dialog>
  );
}
