/**
 * R40: whether one peer connection is too weak for video, from its own statistics (the local provider; Chime
 * has its own connection-health policies). Once a second, the connection's counters are read: packets received
 * and lost on every incoming stream, the round trip, and the sending bandwidth the browser's congestion control
 * estimates. A second of loss, a long round trip, or too little bandwidth to send video is a bad second; two
 * seconds of bad make the link weak. It is good again only after a quiet spell that doubles each time the link
 * falls back (so a link that only carries sound once the video paused does not bring the video back every few
 * seconds just to lose it again). Pure: unit-tested with plain maps of stats.
 */
export interface LinkCounters {
  at: number;
  packetsReceived: number;
  packetsLost: number;
  rttMs: number | null;
  outgoingKbps: number | null;
}

export interface LinkSample {
  packets: number;
  lossFraction: number;
  rttMs: number | null;
  outgoingKbps: number | null;
}

export const LIMITS = {
  /** A round trip this long makes a conversation stumble. */
  rttMs: 1000,
  /** Below this estimate, the browser cannot send the call's video (640x480) without losing the sound too. */
  minOutgoingKbps: 200,
  /** Lost packets, of those expected in one sample. */
  lossFraction: 0.08,
  /** Fewer packets than this in a sample say nothing about loss. */
  minPackets: 20,
};
export const WEAK_AFTER_MS = 1500;
export const RECOVER_MS = 10000;
export const MAX_RECOVER_MS = 120000;

type StatsLike = { forEach(callback: (report: Record<string, unknown>) => void): void; get(id: string): unknown };

const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/** The counters of one connection's statistics (`RTCPeerConnection.getStats()`). */
export function readCounters(stats: StatsLike, at: number): LinkCounters {
  let packetsReceived = 0;
  let packetsLost = 0;
  let pairId: string | null = null;
  let nominated: Record<string, unknown> | null = null;
  stats.forEach((report) => {
    if (report.type === 'inbound-rtp') {
      packetsReceived += num(report.packetsReceived) ?? 0;
      packetsLost += Math.max(0, num(report.packetsLost) ?? 0);
    } else if (report.type === 'transport' && typeof report.selectedCandidatePairId === 'string') {
      pairId = report.selectedCandidatePairId;
    } else if (report.type === 'candidate-pair' && report.nominated && report.state === 'succeeded') {
      nominated = report;
    }
  });
  const pair = ((pairId ? stats.get(pairId) : null) ?? nominated) as Record<string, unknown> | null;
  const rtt = num(pair?.currentRoundTripTime);
  const outgoing = num(pair?.availableOutgoingBitrate);
  return {
    at,
    packetsReceived,
    packetsLost,
    rttMs: rtt === null ? null : rtt * 1000,
    outgoingKbps: outgoing === null ? null : outgoing / 1000,
  };
}

/** What happened between two readings of the same connection. */
export function sampleBetween(before: LinkCounters, after: LinkCounters): LinkSample {
  const received = Math.max(0, after.packetsReceived - before.packetsReceived);
  const lost = Math.max(0, after.packetsLost - before.packetsLost);
  const expected = received + lost;
  return {
    packets: expected,
    lossFraction: expected > 0 ? lost / expected : 0,
    rttMs: after.rttMs,
    outgoingKbps: after.outgoingKbps,
  };
}

/** One bad second: loss, a long round trip, or (while this side sends video) too little bandwidth for it. */
export function isBad(sample: LinkSample, sendingVideo: boolean): boolean {
  if (sample.packets >= LIMITS.minPackets && sample.lossFraction > LIMITS.lossFraction) return true;
  if (sample.rttMs !== null && sample.rttMs > LIMITS.rttMs) return true;
  return sendingVideo && sample.outgoingKbps !== null && sample.outgoingKbps < LIMITS.minOutgoingKbps;
}

export interface Health {
  weak: boolean;
  badSince: number | null;
  goodSince: number | null;
  /** How many times the link became weak: each makes the next recovery wait longer. */
  episodes: number;
}

export const healthy: Health = { weak: false, badSince: null, goodSince: null, episodes: 0 };

/** How long a weak link must stay good before the video comes back. */
export function recoverMs(episodes: number): number {
  return Math.min(MAX_RECOVER_MS, RECOVER_MS * 2 ** Math.max(0, episodes - 1));
}

/** The link's health after one more second. */
export function judge(health: Health, bad: boolean, at: number): Health {
  if (bad) {
    const badSince = health.badSince ?? at;
    if (!health.weak && at - badSince >= WEAK_AFTER_MS) {
      return { weak: true, badSince, goodSince: null, episodes: health.episodes + 1 };
    }
    return { ...health, badSince, goodSince: null };
  }
  const goodSince = health.goodSince ?? at;
  if (health.weak && at - goodSince >= recoverMs(health.episodes)) return { ...health, weak: false, badSince: null, goodSince };
  return { ...health, badSince: null, goodSince };
}
