/** Builds the media provider the API's join response names, loading only that provider's chunk. */
import type { CallSession, CallSessionOptions } from './CallSession';

const chime = () => import('./chime');
const local = () => import('./local/session');

/** Loads a provider's code ahead of the join (the join page knows it from its first answer); the same modules. */
export function preloadProvider(provider: string): Promise<unknown> {
  return provider === 'chime' ? chime() : local();
}

export async function openCallSession(options: CallSessionOptions): Promise<CallSession> {
  if (options.join.provider === 'chime') {
    const { ChimeCallSession } = await chime();
    return new ChimeCallSession(options);
  }
  const { LocalCallSession } = await local();
  return new LocalCallSession(options);
}
