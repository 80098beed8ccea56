/**
 * Read-only call diagnostics on `window.vvCallDiagnostics()`: provider, mute and camera state,
 * device counts, connection, echo reduction, live local tracks. Support staff (and the browser
 * tests) read it from the console; it exposes no token and no personal data.
 */
import type { CallDiagnostics, CallSession } from '../media/CallSession';

export function exposeDiagnostics(current: () => CallSession | null): void {
  (window as unknown as { vvCallDiagnostics: () => CallDiagnostics | null }).vvCallDiagnostics = () =>
    current()?.diagnostics() ?? null;
}
