/**
 * Which ICE candidates the local provider may send or use. Only host candidates ever leave or enter a
 * page (no STUN, no TURN). In loopback-only mode (set by the browser tests with
 * `window.__VV_LOOPBACK_ONLY__`, or by `localStorage['vv.loopbackOnly'] = '1'`), only 127.0.0.0/8 and ::1
 * candidates are used, so media never leaves the machine.
 */

export function candidateAllowed(candidate: string, loopbackOnly: boolean): boolean {
  const fields = candidate.replace(/^a=/, '').split(' ');
  const typIndex = fields.indexOf('typ');
  if (typIndex < 0 || fields[typIndex + 1] !== 'host') return false;
  if (!loopbackOnly) return true;
  const address = fields[4] ?? '';
  return address.startsWith('127.') || address === '::1';
}

/** The SDP with only the candidate lines this page may send or use. */
export function allowedCandidatesOnly(sdp: string, loopbackOnly: boolean): string {
  return sdp
    .split('\r\n')
    .filter((line) => !line.startsWith('a=candidate:') || candidateAllowed(line, loopbackOnly))
    .join('\r\n');
}

export function loopbackOnlyMode(): boolean {
  const flag = (globalThis as { __VV_LOOPBACK_ONLY__?: boolean }).__VV_LOOPBACK_ONLY__;
  if (flag) return true;
  try {
    return localStorage.getItem('vv.loopbackOnly') === '1';
  } catch {
    return false;
  }
}
