import dgram from 'node:dgram';
import type { Dtls12Endpoint } from '../protocol/dtls12/endpoint.js';

export interface WireEvent {
  direction: 'sent' | 'received';
  /** Milliseconds since the session started. */
  at_ms: number;
  datagram: Uint8Array;
}

export interface UdpAddress {
  host: string;
  port: number;
}

/**
 * Drives one of our sans-IO endpoints over a real UDP socket with real time: datagrams in,
 * datagrams out, the endpoint's retransmission deadline as a timer. This is the only place
 * where a protocol endpoint meets a socket and a clock.
 */
export class UdpSession {
  readonly socket: dgram.Socket;
  readonly wire: WireEvent[] = [];
  readonly received: Uint8Array[] = [];
  private peer: UdpAddress | undefined;
  private timer: NodeJS.Timeout | undefined;
  private waiters: (() => void)[] = [];
  private readonly started = Date.now();
  private closed = false;

  /**
   * `endpoint` is either ready (a client) or made from the first datagram's sender (a server,
   * which only then learns its peer's address for the cookie).
   */
  constructor(
    private endpoint: Dtls12Endpoint | ((peer: UdpAddress) => Dtls12Endpoint),
    family: 'udp4' | 'udp6' = 'udp4',
  ) {
    this.socket = dgram.createSocket(family);
    this.socket.on('message', (msg, rinfo) => this.onDatagram(new Uint8Array(msg), { host: rinfo.address, port: rinfo.port }));
  }

  get current(): Dtls12Endpoint | undefined {
    return typeof this.endpoint === 'function' ? undefined : this.endpoint;
  }

  private onDatagram(data: Uint8Array, from: UdpAddress): void {
    if (this.peer && (from.host !== this.peer.host || from.port !== this.peer.port)) return; // one peer per session
    this.peer ??= from;
    if (typeof this.endpoint === 'function') this.endpoint = this.endpoint(from);
    this.wire.push({ direction: 'received', at_ms: Date.now() - this.started, datagram: data });
    this.endpoint.handleDatagram(data, Date.now());
    this.received.push(...this.endpoint.takeApplicationData());
    this.flush();
  }

  /** Binds the local socket; port 0 picks a free one. Resolves with the bound port. */
  bind(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.socket.once('error', reject);
      this.socket.bind(port, host, () => {
        this.socket.off('error', reject);
        resolve(this.socket.address().port);
      });
    });
  }

  connect(peer: UdpAddress): void {
    this.peer = peer;
  }

  /** Sends what the endpoint has queued and re-arms its retransmission timer. */
  flush(): void {
    const ep = this.current;
    if (!ep) return;
    for (const d of ep.pollOutput()) {
      this.wire.push({ direction: 'sent', at_ms: Date.now() - this.started, datagram: d });
      this.socket.send(d, this.peer!.port, this.peer!.host);
    }
    clearTimeout(this.timer);
    const deadline = ep.nextTimeout();
    if (deadline !== null) {
      this.timer = setTimeout(() => {
        ep.handleTimeout(Date.now());
        this.flush();
      }, Math.max(0, deadline - Date.now()));
    }
    for (const w of this.waiters.splice(0)) w();
  }

  /** Resolves true when `pred` holds after some event, false after `ms`. */
  until(pred: () => boolean, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const deadline = setTimeout(() => resolve(false), ms);
      const check = () => {
        if (pred()) {
          clearTimeout(deadline);
          resolve(true);
        } else this.waiters.push(check);
      };
      check();
    });
  }

  /** Closes the socket; safe to call more than once. */
  close(): void {
    clearTimeout(this.timer);
    if (this.closed) return;
    this.closed = true;
    this.socket.close();
  }
}
