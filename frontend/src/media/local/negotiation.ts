/**
 * The local provider's connection with one other page, and how the two agree on it: a variant of "perfect
 * negotiation" (the WebRTC specification's pattern, as MDN describes it). A call of three (R38) is a small
 * mesh: one Negotiation per other attendee, each with its own peer connection, video and sound.
 *
 * Perfect negotiation lets either side offer, and resolves two offers crossing ("glare") with a polite peer
 * that rolls its own back. Here glare cannot happen: of two attendees, the one with the smaller attendee id
 * makes every offer, and the other asks for one by saying `hello`. What it keeps of the pattern is that either
 * side can start again at any time (arrival, reload, rejoin, a failed connection) and the two still end on one
 * connection.
 *
 * Every message carries the sender's random per-page id (`page`), and every message meant for one peer its
 * attendee id (`to`):
 * - a page that arrives says `hello` to everyone; a page that finds one connection broken says it to that peer,
 *   with the offer id of the connection it still has (`has`, or null); a `hello` whose `has` is the connection
 *   the receiver holds, alive, changes nothing; otherwise the offerer offers and the answerer says `hello` back;
 * - offers and answers carry their ICE candidates in the SDP (gathering host candidates takes milliseconds),
 *   so no candidate can arrive before the offer it belongs to (no trickle);
 * - an answer to an older offer is dropped, so rejoins and reloads (R19, R24) end in one connection;
 * - a `bye` from a page other than the peer's current one (a reloaded page's late goodbye) is ignored;
 * - `pause` asks the peer to stop (or start again) sending its video to this page: a link too weak for video
 *   keeps its sound (R40).
 */
import type { CallElements } from '../CallSession';
import { allowedCandidatesOnly } from './candidates';
import { trace } from './signaling';
import type { SignalMessage, SignalType } from './signaling';

const GATHER_TIMEOUT_MS = 2000;

export interface NegotiationEvents {
  remoteVideo(showing: boolean): void;
  /** The peer said goodbye (its current page). */
  gone(): void;
  /** The peer connection's state changed: the session works out its banner again. */
  changed(): void;
}

export interface NegotiationOptions {
  me: string;
  peer: string;
  page: string;
  loopbackOnly: boolean;
  elements: Pick<CallElements, 'videoOf' | 'audioOf'>;
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
  mediaPath: string | null = null;
  private pc: RTCPeerConnection | null = null;
  private offerId: string | null = null;
  private peerPage: string | null = null;
  /** R40: the peer asked this page not to send it video. */
  private videoHeld = false;

  constructor(private readonly options: NegotiationOptions) {}

  get peer(): string {
    return this.options.peer;
  }

  /** The media connection's state, if there is one. */
  get connectionState(): RTCPeerConnectionState | undefined {
    return this.pc?.connectionState;
  }

  get mediaFlowing(): boolean {
    return this.pc?.connectionState === 'connected';
  }

  /** Says this page is here to the peer, and which connection it still holds. */
  async hello(): Promise<void> {
    await this.send('hello', { has: this.pcAlive() ? this.offerId : null });
  }

  async handle(message: SignalMessage): Promise<void> {
    const payload = message.payload ?? {};
    const page = typeof payload.page === 'string' ? payload.page : null;
    trace('got', message.type, message.from, payload.offer_id ?? payload.has ?? '');
    switch (message.type) {
      case 'hello':
        this.peerPage = page;
        if (payload.has && payload.has === this.offerId && this.pcAlive()) return; // already on one connection
        if (this.isOfferer()) await this.makeOffer();
        else await this.hello();
        return;
      case 'offer':
        this.peerPage = page;
        await this.acceptOffer(String(payload.offer_id), String(payload.sdp));
        return;
      case 'answer':
        if (payload.offer_id !== this.offerId || !this.pc || this.pc.signalingState !== 'have-local-offer') return;
        await this.pc.setRemoteDescription({ type: 'answer', sdp: this.usable(String(payload.sdp)) });
        return;
      case 'pause':
        this.videoHeld = payload.paused === true;
        await this.applyVideoHold();
        return;
      case 'bye':
        // A reloaded page's goodbye can arrive after its successor's hello: only the current page's counts.
        if (page && this.peerPage && page !== this.peerPage) return;
        this.close();
        this.peerPage = null;
        this.options.events.gone();
        return;
    }
  }

  /** Back from a signaling outage, or the connection failed: ask for a fresh one. */
  async restart(): Promise<void> {
    if (this.isOfferer()) await this.makeOffer();
    else await this.hello();
  }

  /** Sends `track` (or nothing) in place of the current one of its kind, without a new negotiation. */
  async replaceTrack(kind: 'audio' | 'video', track: MediaStreamTrack | null): Promise<void> {
    const transceiver = this.pc?.getTransceivers().find((t) => t.receiver.track.kind === kind);
    if (transceiver) await transceiver.sender.replaceTrack(track);
  }

  /** R40: asks the peer to stop (true) or start again (false) sending its video to this page. */
  async askToPauseVideo(paused: boolean): Promise<void> {
    await this.send('pause', { paused });
  }

  /** Whether this page sends video on this connection (it has a camera track, and the peer did not hold it). */
  get sendingVideo(): boolean {
    const sender = this.pc?.getTransceivers().find((t) => t.receiver.track.kind === 'video')?.sender;
    return !!sender?.track && !this.videoHeld;
  }

  /** The connection's statistics (R40), or null without a working connection. */
  async stats(): Promise<RTCStatsReport | null> {
    return this.mediaFlowing && this.pc ? this.pc.getStats() : null;
  }

  close(): void {
    if (!this.pc) return;
    this.pc.ontrack = null;
    this.pc.onconnectionstatechange = null;
    this.pc.close();
    this.pc = null;
    this.offerId = null;
    this.mediaPath = null;
    this.options.elements.videoOf(this.peer).srcObject = null;
    this.options.elements.audioOf(this.peer).srcObject = null;
    this.options.events.remoteVideo(false);
  }

  private send(type: SignalType, payload: Record<string, unknown>): Promise<void> {
    return this.options.send(type, { ...payload, to: this.peer, page: this.options.page });
  }

  private isOfferer(): boolean {
    return this.options.me < this.peer;
  }

  private pcAlive(): boolean {
    return this.pc !== null && !['failed', 'closed'].includes(this.pc.connectionState);
  }

  /** Only candidates this page may use: a peer's SDP is filtered like our own. */
  private usable(sdp: string): string {
    return allowedCandidatesOnly(sdp, this.options.loopbackOnly);
  }

  /** Sends video on this connection, or holds it back while the peer's link is too weak for it (R40). */
  private async applyVideoHold(): Promise<void> {
    const sender = this.pc?.getTransceivers().find((t) => t.receiver.track.kind === 'video')?.sender;
    if (!sender) return;
    const parameters = sender.getParameters();
    if (!parameters.encodings?.length) return;
    parameters.encodings.forEach((encoding) => (encoding.active = !this.videoHeld));
    await sender.setParameters(parameters).catch((err: unknown) => trace('video hold failed', err));
    trace('video', this.videoHeld ? 'held' : 'sent', 'to', this.peer);
  }

  private newPeer(offerId: string): RTCPeerConnection {
    this.close();
    const pc = new RTCPeerConnection({ iceServers: [], iceCandidatePoolSize: 0 });
    this.pc = pc;
    this.offerId = offerId;
    const video = this.options.elements.videoOf(this.peer);
    const audio = this.options.elements.audioOf(this.peer);
    const remoteStream = new MediaStream();
    pc.ontrack = (event) => {
      if (this.pc !== pc) return;
      remoteStream.addTrack(event.track);
      if (event.track.kind === 'video') {
        video.srcObject = new MediaStream(remoteStream.getVideoTracks());
        video.onloadeddata = () => this.options.events.remoteVideo(true);
        void video.play().catch(() => undefined);
      } else {
        audio.srcObject = new MediaStream(remoteStream.getAudioTracks());
        void audio.play().catch(() => undefined);
      }
    };
    pc.onconnectionstatechange = () => {
      if (this.pc !== pc) return;
      const state = pc.connectionState;
      trace('connection', this.peer, state);
      if (state === 'connected') {
        void this.readMediaPath(pc);
        void this.applyVideoHold();
      } else if (state === 'failed') {
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
    await this.send('offer', { offer_id: offerId, sdp });
  }

  private async acceptOffer(offerId: string, sdp: string): Promise<void> {
    const pc = this.newPeer(offerId);
    await pc.setRemoteDescription({ type: 'offer', sdp: this.usable(sdp) });
    await this.attachLocalTracks(pc, false);
    await pc.setLocalDescription(await pc.createAnswer());
    const answer = this.usable(await gatheredDescription(pc));
    if (this.pc !== pc) return;
    await this.send('answer', { offer_id: offerId, sdp: answer });
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
