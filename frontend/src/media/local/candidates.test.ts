import { describe, expect, it } from 'vitest';
import { allowedCandidatesOnly, candidateAllowed } from './candidates';

const host4 = 'a=candidate:1 1 udp 2122260223 192.168.1.20 54321 typ host generation 0';
const loop4 = 'a=candidate:2 1 udp 2122260223 127.0.0.1 54322 typ host generation 0';
const loop6 = 'candidate:3 1 udp 2122260223 ::1 54323 typ host generation 0';
const srflx = 'a=candidate:4 1 udp 1686052607 203.0.113.9 40000 typ srflx raddr 192.168.1.20 rport 54321';
const relay = 'a=candidate:5 1 udp 41885439 198.51.100.7 3478 typ relay raddr 203.0.113.9 rport 40000';
const mdns = 'a=candidate:6 1 udp 2122260223 0b5c1a7e-1234.local 54324 typ host generation 0';

describe('local provider: which ICE candidates a page sends and uses', () => {
  it('only host candidates, never server-reflexive or relayed ones', () => {
    expect(candidateAllowed(host4, false)).toBe(true);
    expect(candidateAllowed(mdns, false)).toBe(true);
    expect(candidateAllowed(srflx, false)).toBe(false);
    expect(candidateAllowed(relay, false)).toBe(false);
    expect(candidateAllowed('a=candidate:garbage', false)).toBe(false);
  });

  it('loopback-only mode keeps 127.0.0.0/8 and ::1 alone', () => {
    expect(candidateAllowed(loop4, true)).toBe(true);
    expect(candidateAllowed(loop6, true)).toBe(true);
    expect(candidateAllowed(host4, true)).toBe(false);
    expect(candidateAllowed(mdns, true)).toBe(false);
  });

  it('filters an SDP line by line and leaves every other line as it was', () => {
    const sdp = ['v=0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', loop4, host4, srflx, 'a=mid:0', ''].join('\r\n');
    expect(allowedCandidatesOnly(sdp, true)).toBe(['v=0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', loop4, 'a=mid:0', ''].join('\r\n'));
    expect(allowedCandidatesOnly(sdp, false)).toBe(['v=0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', loop4, host4, 'a=mid:0', ''].join('\r\n'));
  });
});
