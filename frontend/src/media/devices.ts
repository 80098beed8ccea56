/** Camera and microphone: opening them, naming what went wrong, and the device check's level meter. */
import { AUDIO_CONSTRAINTS, VIDEO_CONSTRAINTS } from './constraints';

export type DeviceProblem = 'blocked' | 'missing' | 'in-use' | 'other';

export class DeviceError extends Error {
  constructor(readonly problem: DeviceProblem) {
    super(problem);
  }
}

/** What a getUserMedia failure means for the person: blocked, no device, device busy, or other. */
export function deviceProblem(err: unknown): DeviceProblem {
  if (err instanceof DeviceError) return err.problem;
  const name = err instanceof DOMException ? err.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError') return 'blocked';
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'DevicesNotFoundError') return 'missing';
  if (name === 'NotReadableError' || name === 'TrackStartError' || name === 'AbortError') return 'in-use';
  return 'other';
}

/** Opens camera and microphone, or throws DeviceError saying what went wrong. */
export async function openDevices(): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) throw new DeviceError('other');
  try {
    return await navigator.mediaDevices.getUserMedia({ audio: AUDIO_CONSTRAINTS, video: VIDEO_CONSTRAINTS });
  } catch (err) {
    throw new DeviceError(deviceProblem(err));
  }
}

/** Stops every track of a stream (camera light off). */
export function stopStream(stream: MediaStream | null | undefined): void {
  stream?.getTracks().forEach((track) => track.stop());
}

/**
 * A live microphone level on a <meter> for the device check. Returns its stop function, which may be
 * called any number of times: it releases the audio graph once (a second `close()` of an AudioContext
 * throws "Cannot close a closed AudioContext.").
 */
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
  let stopped = false;
  const tick = (): void => {
    analyser.getByteTimeDomainData(data);
    let peak = 0;
    for (const value of data) peak = Math.max(peak, Math.abs(value - 128));
    meter.value = Math.min(1, peak / 64);
    frame = requestAnimationFrame(tick);
  };
  tick();
  return () => {
    if (stopped) return;
    stopped = true;
    cancelAnimationFrame(frame);
    source.disconnect();
    if (context.state !== 'closed') void context.close().catch(() => undefined);
  };
}

/** Lists cameras; labels are only filled once permission was granted. */
export async function listCameras(): Promise<MediaDeviceInfo[]> {
  const devices = await navigator.mediaDevices.enumerateDevices();
  return devices.filter((d) => d.kind === 'videoinput');
}

/** The camera after `current` in the list, round and round (front/back on phones); null with fewer than two. */
export function nextCamera(cameras: readonly { deviceId: string }[], current: string | null): string | null {
  if (cameras.length < 2) return null;
  const index = cameras.findIndex((c) => c.deviceId === current);
  return cameras[(index + 1) % cameras.length].deviceId;
}
