import dgram from 'node:dgram';
import type { Dtls12Endpoint } from '../../src/protocol/dtls12/endpoint.js';

/**
 * Drives one of our sans-IO endpoints over a real UDP socket on loopback, with real time:
 * datagrams in, datagrams out, and the endpoint's retransmission deadline as a setTimeout.
 */
export class UdpDriver {
  readonly socket = dgram.createSocket('udp4');
  private peer: { address: string; port: number } | undefined;
  private timer: NodeJS.Timeout | undefined;
  readonly received: Uint8Array[] = [];
  private waiters: (() => void)[] = [];

  constructor(private endpoint: Dtls12Endpoint | undefined) {
    this.socket.on('message', (msg, rinfo) => {
      this.peer ??= { address: rinfo.address, port: rinfo.port };
      this.onPacket(new Uint8Array(msg), rinfo);
    });
  }

  /** For servers: the endpoint is made when the first datagram names its peer. */
  onFirstPacket: ((rinfo: dgram.RemoteInfo) => Dtls12Endpoint) | undefined;

  private onPacket(data: Uint8Array, rinfo: dgram.RemoteInfo): void {
    if (!this.endpoint && this.onFirstPacket) this.endpoint = this.onFirstPacket(rinfo);
    this.endpoint!.handleDatagram(data, Date.now());
    this.received.push(...this.endpoint!.takeApplicationData());
    this.pump();
  }

  bind(): Promise<number> {
    return new Promise((resolve) => this.socket.bind(0, '127.0.0.1', () => resolve(this.socket.address().port)));
  }

  connect(port: number): void {
    this.peer = { address: '127.0.0.1', port };
  }

  /** Sends whatever the endpoint has queued and re-arms its timer. */
  pump(): void {
    const ep = this.endpoint!;
    for (const d of ep.pollOutput()) this.socket.send(d, this.peer!.port, this.peer!.address);
    clearTimeout(this.timer);
    const deadline = ep.nextTimeout();
    if (deadline !== null) {
      this.timer = setTimeout(() => {
        ep.handleTimeout(Date.now());
        this.pump();
      }, Math.max(0, deadline - Date.now()));
    }
    const ws = this.waiters.splice(0);
    for (const w of ws) w();
  }

  /** Resolves when `pred` holds after some event; rejects after `ms`. */
  until(pred: () => boolean, ms: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
      const check = () => {
        if (pred()) {
          clearTimeout(deadline);
          resolve();
        } else this.waiters.push(check);
      };
      check();
    });
  }

  close(): void {
    clearTimeout(this.timer);
    this.socket.close();
  }
}
