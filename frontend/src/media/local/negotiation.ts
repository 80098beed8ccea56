/**
 * The local provider's peer connection and how two pages agree on one: a variant of "perfect
 * negotiation" (the WebRTC specification's pattern, as MDN describes it). Perfect negotiation lets either
 * side offer, and resolves two offers crossing ("glare") with a polite peer that rolls its own back. Here
 * glare cannot happen: of the two attendees, the one with the smaller attendee id makes every offer, and
 * the other asks for one by saying `hello`. What it keeps of the pattern is that either side can start
 * again at any time (arrival, reload, rejoin, a failed connection) and the two still end on one connection.
 *
 * Every message carries the sender's random per-page id (`page`):
 * - a page that arrives, or that finds its connection broken, says `hello` with the offer id of the
 *   connection it still has (`has`, or null); a `hello` whose `has` is the connection the receiver holds,
 *   alive, changes nothing; otherwise the offerer offers and the answerer says `hello` back;
 * - offers and answers carry their ICE candidates in the SDP (gathering host candidates takes
 *   milliseconds), so no candidate can arrive before the offer it belongs to (no trickle);
 * - an answer to an older offer is dropped, so rejoins and reloads (R19, R24) end in one connection;
 * - a `bye` from a page other than the peer's current one (a reloaded page's late goodbye) is ignored.
 *
 * Presence: the server lists an attendee while one of its pages polls. A peer counts as gone on its
 * `bye`, or when the server stops listing it and no media flows.
 */
import type { CallElements } from '../CallSession';
import { allowedCandidatesOnly } from './candidates';
import { trace } from './signaling';
import type { SignalMessage, SignalType } from './signaling';

const GATHER_TIMEOUT_MS = 2000;

export interface NegotiationEvents {
  peerPresence(present: boolean): void;
  remoteVideo(showing: boolean): void;
  /** The peer connection's state changed: the session works out its banner again. */
  changed(): void;
}

export interface NegotiationOptions {
  me: string;
  page: string;
  loopbackOnly: boolean;
  elements: Pick<CallElements, 'remoteVideo' | 'remoteAudio'>;
  /** The local camera and microphone, as they are now (a camera change replaces the video track). */
  localStream(): MediaStream;
  send(type: SignalType, payload: Record<string, unknown>): Promise<void>;
  events: NegotiationEvents;
}

export function randomId(): string {
  const bytes = new Uint8Array(8);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Waits until the connection has gathered its candidates (or a short timeout), then returns its SDP. */
async function gatheredDescription(pc: RTCPeerConnection): Promise<string> {
  if (pc.iceGatheringState !== 'complete') {
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        pc.removeEventListener('icegatheringstatechange', check);
        resolve();
      };
      const check = (): void => {
        if (pc.iceGatheringState === 'complete') done();
      };
      const timer = setTimeout(done, GATHER_TIMEOUT_MS);
      pc.addEventListener('icegatheringstatechange', check);
    });
  }
  return pc.localDescription?.sdp ?? '';
}

export class Negotiation {
  peerPresent = false;
  mediaPath: string | null = null;
  private pc: RTCPeerConnection | null = null;
  private offerId: string | null = null;
  private peerId: string | null = null;
  private peerPage: string | null = null;

  constructor(private readonly options: NegotiationOptions) {}

  /** The media connection's state, if there is one. */
  get connectionState(): RTCPeerConnectionState | undefined {
    return this.pc?.connectionState;
  }

  get mediaFlowing(): boolean {
    return this.pc?.connectionState === 'connected';
  }

  /** Says this page is here, and which connection it still holds. */
  async hello(): Promise<void> {
    await this.options.send('hello', { page: this.options.page, has: this.pcAlive() ? this.offerId : null });
  }

  async handle(message: SignalMessage): Promise<void> {
    const payload = message.payload ?? {};
    const page = typeof payload.page === 'string' ? payload.page : null;
    trace('got', message.type, payload.offer_id ?? payload.has ?? '');
    switch (message.type) {
      case 'hello':
        this.heardFrom(message.from, page);
        if (payload.has && payload.has === this.offerId && this.pcAlive()) return; // already on one connection
        if (this.isOfferer(message.from)) await this.makeOffer();
        else await this.hello();
        return;
      case 'offer':
        this.heardFrom(message.from, page);
        await this.acceptOffer(String(payload.offer_id), String(payload.sdp));
        return;
      case 'answer':
        if (payload.offer_id !== this.offerId || !this.pc || this.pc.signalingState !== 'have-local-offer') return;
        await this.pc.setRemoteDescription({ type: 'answer', sdp: this.usable(String(payload.sdp)) });
        return;
      case 'bye':
        // A reloaded page's goodbye can arrive after its successor's hello: only the current page's counts.
        if (message.from !== this.peerId || (page && this.peerPage && page !== this.peerPage)) return;
        this.peerGone();
        return;
    }
  }

  /** The server's list of who is polling: a peer it no longer lists, with no media flowing, has gone. */
  followPresence(present: string[]): void {
    const others = present.filter((id) => id !== this.options.me);
    if (others.length > 0) {
      this.peerId ??= others[0];
      this.setPeerPresent(true);
    } else if (this.peerPresent && !this.mediaFlowing) {
      trace('peer not heard from');
      this.peerGone();
    }
  }

  /** Back from a signaling outage with no working connection: ask for a fresh one. */
  async recover(): Promise<void> {
    if (this.peerPresent && !this.mediaFlowing) await this.restart();
  }

  /** Sends `track` (or nothing) in place of the current one of its kind, without a new negotiation. */
  async replaceTrack(kind: 'audio' | 'video', track: MediaStreamTrack | null): Promise<void> {
    const transceiver = this.pc?.getTransceivers().find((t) => t.receiver.track.kind === kind);
    if (transceiver) await transceiver.sender.replaceTrack(track);
  }

  close(): void {
    if (!this.pc) return;
    this.pc.ontrack = null;
    this.pc.onconnectionstatechange = null;
    this.pc.close();
    this.pc = null;
    this.offerId = null;
    this.mediaPath = null;
    this.options.elements.remoteVideo.srcObject = null;
    this.options.elements.remoteAudio.srcObject = null;
    this.options.events.remoteVideo(false);
  }

  private heardFrom(peer: string, page: string | null): void {
    this.peerId = peer;
    this.peerPage = page;
    this.setPeerPresent(true);
  }

  private setPeerPresent(present: boolean): void {
    if (present === this.peerPresent) return;
    this.peerPresent = present;
    this.options.events.peerPresence(present);
  }

  private peerGone(): void {
    this.close();
    this.peerPage = null;
    this.setPeerPresent(false);
    this.options.events.changed();
  }

  private isOfferer(peer: string): boolean {
    return this.options.me < peer;
  }

  private async restart(): Promise<void> {
    if (this.peerId && this.isOfferer(this.peerId)) await this.makeOffer();
    else await this.hello();
  }

  private pcAlive(): boolean {
    return this.pc !== null && !['failed', 'closed'].includes(this.pc.connectionState);
  }

  /** Only candidates this page may use: a peer's SDP is filtered like our own. */
  private usable(sdp: string): string {
    return allowedCandidatesOnly(sdp, this.options.loopbackOnly);
  }

  private newPeer(offerId: string): RTCPeerConnection {
    this.close();
    const pc = new RTCPeerConnection({ iceServers: [], iceCandidatePoolSize: 0 });
    this.pc = pc;
    this.offerId = offerId;
    const { remoteVideo, remoteAudio } = this.options.elements;
    const remoteStream = new MediaStream();
    pc.ontrack = (event) => {
      if (this.pc !== pc) return;
      remoteStream.addTrack(event.track);
      if (event.track.kind === 'video') {
        remoteVideo.srcObject = new MediaStream(remoteStream.getVideoTracks());
        remoteVideo.onloadeddata = () => this.options.events.remoteVideo(true);
        void remoteVideo.play().catch(() => undefined);
      } else {
        remoteAudio.srcObject = new MediaStream(remoteStream.getAudioTracks());
        void remoteAudio.play().catch(() => undefined);
      }
    };
    pc.onconnectionstatechange = () => {
      if (this.pc !== pc) return;
      const state = pc.connectionState;
      trace('connection', state);
      if (state === 'connected') {
        this.setPeerPresent(true);
        void this.readMediaPath(pc);
      } else if (state === 'failed' && this.peerPresent) {
        void this.restart().catch(() => undefined);
      }
      this.options.events.changed();
    };
    return pc;
  }

  private async attachLocalTracks(pc: RTCPeerConnection, create: boolean): Promise<void> {
    const stream = this.options.localStream();
    for (const kind of ['audio', 'video'] as const) {
      const track = (kind === 'audio' ? stream.getAudioTracks() : stream.getVideoTracks())[0] ?? null;
      let transceiver = pc.getTransceivers().find((t) => t.receiver.track.kind === kind);
      if (!transceiver && create) transceiver = pc.addTransceiver(kind, { direction: 'sendrecv', streams: [stream] });
      if (!transceiver) continue;
      transceiver.direction = 'sendrecv';
      transceiver.sender.setStreams?.(stream);
      await transceiver.sender.replaceTrack(track);
    }
  }

  private async makeOffer(): Promise<void> {
    const offerId = randomId();
    const pc = this.newPeer(offerId);
    await this.attachLocalTracks(pc, true);
    await pc.setLocalDescription(await pc.createOffer());
    const sdp = this.usable(await gatheredDescription(pc));
    if (this.pc !== pc) return; // a newer negotiation took over while candidates gathered
    await this.options.send('offer', { offer_id: offerId, sdp, page: this.options.page });
  }

  private async acceptOffer(offerId: string, sdp: string): Promise<void> {
    const pc = this.newPeer(offerId);
    await pc.setRemoteDescription({ type: 'offer', sdp: this.usable(sdp) });
    await this.attachLocalTracks(pc, false);
    await pc.setLocalDescription(await pc.createAnswer());
    const answer = this.usable(await gatheredDescription(pc));
    if (this.pc !== pc) return;
    await this.options.send('answer', { offer_id: offerId, sdp: answer, page: this.options.page });
  }

  /** Where the media actually flows: the selected candidate pair. */
  private async readMediaPath(pc: RTCPeerConnection): Promise<void> {
    const stats = await pc.getStats();
    let pairId: string | undefined;
    stats.forEach((report) => {
      if (report.type === 'transport' && report.selectedCandidatePairId) pairId = report.selectedCandidatePairId;
    });
    const pair = pairId ? stats.get(pairId) : undefined;
    if (!pair || this.pc !== pc) return;
    const describe = (id: string): string => {
      const c = stats.get(id);
      return c ? `${c.candidateType} ${c.address ?? c.ip ?? ''}:${c.port}` : '?';
    };
    this.mediaPath = `${describe(pair.localCandidateId)} -> ${describe(pair.remoteCandidateId)}`;
  }
}
