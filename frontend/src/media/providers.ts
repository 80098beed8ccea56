/** Builds the media provider the API's join response names, loading only that provider's chunk. */
import type { CallSession, CallSessionOptions } from './CallSession';

export async function openCallSession(options: CallSessionOptions): Promise<CallSession> {
  if (options.join.provider === 'chime') {
    const { ChimeCallSession } = await import('./chime');
    return new ChimeCallSession(options);
  }
  const { LocalCallSession } = await import('./local/session');
  return new LocalCallSession(options);
}
