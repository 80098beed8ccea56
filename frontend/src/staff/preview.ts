/** The visit preview: a compact card that says whether the visit is virtual (R03), with "More details". */
import { h, virtualIcon } from '../dom';
import { timeRange, dayLabel } from '../format';
import { t } from '../texts';
import type { Visit } from '../types';
import type { Staff } from './session';
import { openVisitDialog } from './visitDialog';

export function openPreview(visit: Visit, staff: Staff, onChange: () => void): void {
  const titleId = `preview-title-${visit.id}`;
  const dialog = h('dialog', { class: 'preview', 'aria-labelledby': titleId, 'data-testid': 'visit-preview' });
  const more = h('button', { type: 'button', class: 'btn btn-primary' }, t.moreDetails);
  const close = h('button', { type: 'button', class: 'btn' }, t.close);
  const title = h('h2', { id: titleId, class: 'preview-title' });
  if (visit.virtual) title.append(virtualIcon(t.virtualVisitLabel), ' ');
  title.append(visit.virtual ? t.virtualVisitLabel : t.inPersonVisit);
  dialog.append(
    title,
    h('p', {}, `${dayLabel(visit.start, staff.timeZone)}, ${timeRange(visit.start, visit.end, staff.timeZone)}`),
    h('p', {}, `${t.client}: ${visit.client?.name ?? visit.client_id}`),
    h('p', { class: 'preview-kind' }, visit.virtual ? t.previewVirtual : t.previewInPerson),
    h('div', { class: 'actions' }, more, close),
  );
  const done = (): void => {
    dialog.close();
    dialog.remove();
  };
  close.addEventListener('click', done);
  dialog.addEventListener('cancel', () => dialog.remove());
  more.addEventListener('click', () => {
    done();
    void openVisitDialog(visit.id, staff, onChange);
  });
  document.body.append(dialog);
  dialog.showModal();
}
