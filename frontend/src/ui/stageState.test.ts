import { describe, expect, it } from 'vitest';
import { initialStage, reduceStage } from './stageState';

describe('call stage (R18)', () => {
  it('test_r18_controls_follow_what_the_media_did', () => {
    const muted = reduceStage(initialStage, { type: 'muted', muted: true });
    expect(muted.muted).toBe(true);
    const busy = reduceStage(initialStage, { type: 'camera-busy' });
    expect(busy.cameraBusy).toBe(true);
    expect(reduceStage(busy, { type: 'camera', on: false })).toMatchObject({ videoOn: false, cameraBusy: false });
    expect(reduceStage(busy, { type: 'switched', switched: false })).toMatchObject({ cameraBusy: false, noOtherCamera: true });
  });

  it('the reconnecting banner follows the connection; the sound button clears when video stops', () => {
    expect(reduceStage(initialStage, { type: 'connection', state: 'reconnecting' }).connection).toBe('reconnecting');
    const blocked = reduceStage(reduceStage(initialStage, { type: 'remote-video', showing: true }), { type: 'sound-blocked', blocked: true });
    expect(blocked.soundBlocked).toBe(true);
    expect(reduceStage(blocked, { type: 'remote-video', showing: false }).soundBlocked).toBe(false);
  });
});
