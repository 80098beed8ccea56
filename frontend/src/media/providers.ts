/** Builds the media provider the API's join response names, loading only that provider's chunk. */
import type { CallSession, CallSessionOptions } from './CallSession';

const chime = () => import('./chime');
const local = () => import('./local/session');

/**
 * Loads a provider's code ahead of the join (the join page knows it from its first answer); the same modules
 * the join then uses. The performance mark `vv-provider-ready` says when it is there (the slow-phone benchmark
 * reads it, and so can anyone looking at a slow join in the browser's tools).
 */
export async function preloadProvider(provider: string): Promise<void> {
  await (provider === 'chime' ? chime() : local());
  performance.mark('vv-provider-ready');
}

export async function openCallSession(options: CallSessionOptions): Promise<CallSession> {
  if (options.join.provider === 'chime') {
    const { ChimeCallSession } = await chime();
    return new ChimeCallSession(options);
  }
  const { LocalCallSession } = await local();
  return new LocalCallSession(options);
}
