import { afterEach, describe, expect, it, vi } from 'vitest';
import { deviceProblem, micLevelMeter, nextCamera } from './devices';

describe('devices', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('test_r14_a_getusermedia_failure_is_named_for_the_person', () => {
    expect(deviceProblem(new DOMException('', 'NotAllowedError'))).toBe('blocked');
    expect(deviceProblem(new DOMException('', 'NotFoundError'))).toBe('missing');
    expect(deviceProblem(new DOMException('', 'NotReadableError'))).toBe('in-use');
    expect(deviceProblem(new Error('?'))).toBe('other');
  });

  it('test_r18_switch_camera_goes_round_the_cameras', () => {
    const cams = [{ deviceId: 'front' }, { deviceId: 'back' }, { deviceId: 'usb' }];
    expect(nextCamera(cams, 'front')).toBe('back');
    expect(nextCamera(cams, 'usb')).toBe('front');
    expect(nextCamera(cams, null)).toBe('front');
    expect(nextCamera([{ deviceId: 'only' }], 'only')).toBeNull();
  });

  it('the level meter’s stop can be called twice and closes the audio graph once', () => {
    // An AudioContext that, like the browser's, throws on a second close.
    const closes: string[] = [];
    class FakeAudioContext {
      state = 'running';
      createMediaStreamSource = () => ({ connect: () => undefined, disconnect: () => closes.push('disconnect') });
      createAnalyser = () => ({ fftSize: 0, frequencyBinCount: 4, getByteTimeDomainData: () => undefined });
      close(): Promise<void> {
        if (this.state === 'closed') throw new DOMException('Cannot close a closed AudioContext.', 'InvalidStateError');
        this.state = 'closed';
        closes.push('close');
        return Promise.resolve();
      }
    }
    vi.stubGlobal('window', { AudioContext: FakeAudioContext });
    vi.stubGlobal('requestAnimationFrame', () => 1);
    vi.stubGlobal('cancelAnimationFrame', () => undefined);
    const stream = { getAudioTracks: () => [{}] } as unknown as MediaStream;
    const stop = micLevelMeter(stream, { value: 0 } as HTMLMeterElement);
    stop();
    expect(() => stop()).not.toThrow();
    expect(closes).toEqual(['disconnect', 'close']);
  });
});
