import { describe, expect, it } from 'vitest';
import { initialStage, reduceStage } from './stageState';

const CLIENT = { attendeeId: 'c', role: 'client' as const };
const GUEST = { attendeeId: 'g', role: 'guest' as const };
const CAREGIVER = { attendeeId: 'e', role: 'employee' as const };

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
    const withClient = reduceStage(initialStage, { type: 'participants', list: [CLIENT] });
    const blocked = reduceStage(reduceStage(withClient, { type: 'remote-video', attendeeId: 'c', showing: true }), { type: 'sound-blocked', blocked: true });
    expect(blocked.soundBlocked).toBe(true);
    expect(reduceStage(blocked, { type: 'remote-video', attendeeId: 'c', showing: false }).soundBlocked).toBe(false);
  });

  it('test_r38_one_tile_per_person_in_a_stable_order_keeping_what_each_shows', () => {
    const two = reduceStage(initialStage, { type: 'participants', list: [GUEST, CLIENT] });
    expect(two.tiles.map((t) => t.role)).toEqual(['client', 'guest']);
    const showing = reduceStage(two, { type: 'remote-video', attendeeId: 'g', showing: true });
    const three = reduceStage(showing, { type: 'participants', list: [CLIENT, GUEST, CAREGIVER] });
    expect(three.tiles.map((t) => [t.role, t.showing])).toEqual([['employee', false], ['client', false], ['guest', true]]);
    // someone leaving takes their tile away; an event for nobody changes nothing
    const left = reduceStage(three, { type: 'participants', list: [CLIENT, CAREGIVER] });
    expect(left.tiles.map((t) => t.role)).toEqual(['employee', 'client']);
    expect(reduceStage(left, { type: 'video-paused', attendeeId: 'g', paused: true })).toBe(left);
  });

  it('test_r40_a_weak_link_is_said_and_a_paused_video_marked', () => {
    const withClient = reduceStage(initialStage, { type: 'participants', list: [CLIENT] });
    const weak = reduceStage(reduceStage(withClient, { type: 'weak', weak: true }), { type: 'video-paused', attendeeId: 'c', paused: true });
    expect([weak.weak, weak.tiles[0].paused]).toEqual([true, true]);
    const good = reduceStage(reduceStage(weak, { type: 'weak', weak: false }), { type: 'video-paused', attendeeId: 'c', paused: false });
    expect([good.weak, good.tiles[0].paused]).toEqual([false, false]);
  });

  it('test_r39_captions_on_and_off_with_their_lines', () => {
    const local = reduceStage(initialStage, { type: 'captions-available', available: false, on: true });
    expect(local.captions).toMatchObject({ available: false, on: false }); // the local provider: no captions at all
    const chime = reduceStage(initialStage, { type: 'captions-available', available: true, on: false });
    const busy = reduceStage(chime, { type: 'captions-busy' });
    expect(busy.captions.busy).toBe(true);
    const on = reduceStage(busy, { type: 'captions', on: true });
    const spoken = reduceStage(on, { type: 'caption', part: { resultId: 'r1', attendeeId: 'c', text: 'Hello', partial: true } });
    const final = reduceStage(spoken, { type: 'caption', part: { resultId: 'r1', attendeeId: 'c', text: 'Hello there.', partial: false } });
    expect(final.captions.lines).toEqual([{ resultId: 'r1', attendeeId: 'c', text: 'Hello there.', partial: false }]);
    const off = reduceStage(final, { type: 'captions', on: false });
    expect(off.captions).toMatchObject({ on: false, lines: [] });
    expect(reduceStage(busy, { type: 'captions-failed', message: 'No' }).captions).toMatchObject({ busy: false, error: 'No' });
    // a transcript arriving for a page that joined after captions started turns them on here too
    expect(reduceStage(chime, { type: 'caption', part: { resultId: 'r2', attendeeId: 'c', text: 'Hi', partial: false } }).captions.on).toBe(true);
  });
});
