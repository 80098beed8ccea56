import { describe, expect, it } from 'vitest';
import { LIMITS, RECOVER_MS, WEAK_AFTER_MS, healthy, isBad, judge, readCounters, recoverMs, sampleBetween } from './connectionHealth';
import type { Health } from './connectionHealth';

/** A stats report as Chromium's getStats() gives it: a map of reports by id. */
function report(entries: Record<string, unknown>[]): Map<string, Record<string, unknown>> {
  return new Map(entries.map((entry, index) => [String(entry.id ?? index), entry]));
}

const stats = (received: number, lost: number, rtt = 0.002, outgoing = 2_000_000) =>
  report([
    { id: 'in-a', type: 'inbound-rtp', kind: 'audio', packetsReceived: received, packetsLost: lost },
    { id: 'in-v', type: 'inbound-rtp', kind: 'video', packetsReceived: received * 3, packetsLost: lost * 3 },
    { id: 'T01', type: 'transport', selectedCandidatePairId: 'CP1' },
    { id: 'CP1', type: 'candidate-pair', currentRoundTripTime: rtt, availableOutgoingBitrate: outgoing },
  ]);

describe('a weak connection (R40)', () => {
  it('test_r40_counters_come_from_the_selected_pair_and_every_incoming_stream', () => {
    const counters = readCounters(stats(100, 5, 0.25, 150_000), 1000);
    expect(counters).toEqual({ at: 1000, packetsReceived: 400, packetsLost: 20, rttMs: 250, outgoingKbps: 150 });
    // no selected pair yet: the nominated, succeeded one; nothing at all: unknown, not zero
    const nominated = readCounters(report([{ type: 'candidate-pair', nominated: true, state: 'succeeded', currentRoundTripTime: 0.1 }]), 0);
    expect(nominated.rttMs).toBe(100);
    expect(readCounters(report([]), 0)).toMatchObject({ rttMs: null, outgoingKbps: null });
  });

  it('test_r40_loss_a_long_round_trip_or_too_little_bandwidth_for_video_is_a_bad_second', () => {
    const before = readCounters(stats(1000, 0), 0);
    const lossy = sampleBetween(before, readCounters(stats(1040, 10), 1000));
    expect(lossy.lossFraction).toBeCloseTo(40 / 200);
    expect(isBad(lossy, true)).toBe(true);
    const clean = sampleBetween(before, readCounters(stats(1050, 0), 1000));
    expect(isBad(clean, true)).toBe(false);
    // a few packets say nothing about loss
    const few = sampleBetween(before, readCounters(stats(1002, 2), 1000));
    expect(few.packets).toBeLessThan(LIMITS.minPackets);
    expect(isBad(few, false)).toBe(false);
    const slow = sampleBetween(before, readCounters(stats(1050, 0, 1.5), 1000));
    expect(isBad(slow, false)).toBe(true);
    // too little bandwidth matters only to a side that sends video
    const narrow = sampleBetween(before, readCounters(stats(1050, 0, 0.01, 120_000), 1000));
    expect(isBad(narrow, true)).toBe(true);
    expect(isBad(narrow, false)).toBe(false);
  });

  it('test_r40_weak_after_two_bad_seconds_and_good_after_a_quiet_spell_that_grows', () => {
    const run = (start: Health, bads: boolean[], from = 0): Health => bads.reduce((h, bad, i) => judge(h, bad, from + i * 1000), start);
    // one bad second is a blip; two in a row (WEAK_AFTER_MS) make the link weak
    expect(run(healthy, [true, false, true]).weak).toBe(false);
    const weak = run(healthy, [true, true, true]);
    expect(WEAK_AFTER_MS).toBeLessThanOrEqual(2000);
    expect(weak).toMatchObject({ weak: true, episodes: 1 });
    // good again only after RECOVER_MS of good seconds; a bad one starts the count again
    const almost = run(weak, Array(RECOVER_MS / 1000).fill(false), 3000);
    expect(almost.weak).toBe(true);
    expect(run(almost, [false], 3000 + RECOVER_MS).weak).toBe(false);
    expect(run(weak, [...Array(5).fill(false), true, ...Array(6).fill(false)], 3000).weak).toBe(true);
    // each time it falls back, the next recovery waits twice as long (at most two minutes)
    expect([recoverMs(1), recoverMs(2), recoverMs(3), recoverMs(10)]).toEqual([10000, 20000, 40000, 120000]);
  });
});
