/** Camera and microphone access, and plain-word guidance per browser when it is blocked (R14). */
import { permissionGuidance, t } from '../texts';
import { h } from '../dom';
import { AUDIO_CONSTRAINTS, VIDEO_CONSTRAINTS } from '../media/constraints';

export type DeviceProblem = 'blocked' | 'missing' | 'in-use' | 'other';

export class DeviceError extends Error {
  constructor(readonly problem: DeviceProblem) {
    super(problem);
  }
}

/** Which guidance to show, from the user agent. */
export function detectBrowser(ua: string = navigator.userAgent, touchPoints: number = navigator.maxTouchPoints): string {
  const iOS = /iPhone|iPad|iPod/.test(ua) || (/Macintosh/.test(ua) && touchPoints > 1);
  if (iOS) return 'safari-ios';
  if (/Edg\//.test(ua)) return 'edge';
  if (/Firefox\//.test(ua)) return 'firefox';
  if (/Chrome\/|Chromium\//.test(ua)) return 'chrome';
  if (/Safari\//.test(ua) && /Macintosh/.test(ua)) return 'safari-mac';
  return 'other';
}

/** Opens camera and microphone, or throws DeviceError saying what went wrong. */
export async function openDevices(): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) throw new DeviceError('other');
  try {
    return await navigator.mediaDevices.getUserMedia({ audio: AUDIO_CONSTRAINTS, video: VIDEO_CONSTRAINTS });
  } catch (err) {
    const name = err instanceof DOMException ? err.name : '';
    if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError') {
      throw new DeviceError('blocked');
    }
    if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'DevicesNotFoundError') {
      throw new DeviceError('missing');
    }
    if (name === 'NotReadableError' || name === 'TrackStartError' || name === 'AbortError') throw new DeviceError('in-use');
    throw new DeviceError('other');
  }
}

/** The guidance block for a device problem, with a "Try again" button. */
export function deviceProblemView(problem: DeviceProblem, onRetry: () => void): HTMLElement {
  const retry = h('button', { type: 'button', class: 'btn btn-primary btn-large' }, t.tryAgain);
  retry.addEventListener('click', onRetry);
  if (problem === 'missing' || problem === 'in-use') {
    return h(
      'section',
      { class: 'guidance', role: 'alert', 'data-testid': 'device-guidance' },
      h('p', {}, problem === 'missing' ? t.noDevices : t.deviceInUse),
      retry,
    );
  }
  const guide = permissionGuidance[detectBrowser()] ?? permissionGuidance.other;
  return h(
    'section',
    { class: 'guidance', role: 'alert', 'data-testid': 'device-guidance', 'data-browser': detectBrowser() },
    h('h2', {}, t.devicesBlockedTitle),
    h('p', {}, `In ${guide.name}:`),
    h('ol', {}, ...guide.steps.map((step) => h('li', {}, step))),
    retry,
  );
}

/** A small live microphone level bar for the device check. Returns a stop function. */
export function micLevelMeter(stream: MediaStream, meter: HTMLMeterElement): () => void {
  const AudioCtx = window.AudioContext;
  if (!AudioCtx || stream.getAudioTracks().length === 0) return () => undefined;
  const context = new AudioCtx();
  const source = context.createMediaStreamSource(stream);
  const analyser = context.createAnalyser();
  analyser.fftSize = 256;
  source.connect(analyser);
  const data = new Uint8Array(analyser.frequencyBinCount);
  let frame = 0;
  const tick = (): void => {
    analyser.getByteTimeDomainData(data);
    let peak = 0;
    for (const value of data) peak = Math.max(peak, Math.abs(value - 128));
    meter.value = Math.min(1, peak / 64);
    frame = requestAnimationFrame(tick);
  };
  tick();
  return () => {
    cancelAnimationFrame(frame);
    source.disconnect();
    void context.close();
  };
}
