/**
 * The join page's call part: the call runner and the stage, and the media provider's code. It is its own
 * chunk, loaded after the page has drawn the device check (never in what the page needs before it: its
 * budget is 16 KiB), so by the time the client presses Join the call code and the provider the API named
 * (the Chime SDK's 300 KiB on a slow phone) are there (docs/PERFORMANCE.md §4 and §7).
 */
export { patiently } from '../media/patience';
export { CallRunner, createMediaElements } from '../media/runner';
export { preloadProvider } from '../media/providers';
export { Stage } from '../ui/Stage';
