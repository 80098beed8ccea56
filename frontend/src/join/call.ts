/**
 * The join page's call part: the call runner and the stage. It is its own chunk, loaded as soon as the
 * client starts the device check (so it is there by the time they press Join), which keeps the page the
 * client first downloads small (docs/PERFORMANCE.md §4).
 */
export { CallRunner, createMediaElements } from '../media/runner';
export { Stage } from '../ui/Stage';
