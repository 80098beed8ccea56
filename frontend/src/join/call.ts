/**
 * The join page's call part: the call runner and the stage. It is its own chunk, loaded when the client
 * presses Join, while the API answers the join (so it costs no round trip), which keeps what the client
 * downloads before Join small (docs/PERFORMANCE.md §4).
 */
export { CallRunner, createMediaElements } from '../media/runner';
export { Stage } from '../ui/Stage';
