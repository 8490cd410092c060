/**
 * A classic pcap (libpcap 2.4, little-endian, microsecond timestamps) of DTLS datagrams in
 * IPv4/UDP, LINKTYPE_RAW (101). Addresses are from TEST-NET-1 (RFC 5737): the file describes a
 * simulated trial, not traffic that was ever sent.
 */
export interface PcapPacket {
  time_ms: number;
  from: 'client' | 'server';
  payload: Uint8Array;
}

const LINKTYPE_RAW = 101;
const CLIENT = { ip: [192, 0, 2, 1], port: 49152 };
const SERVER = { ip: [192, 0, 2, 2], port: 5684 }; // CoAP over DTLS (RFC 7252 §12.7)

/** The Internet checksum (RFC 1071). */
function checksum(bytes: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 2) sum += (bytes[i]! << 8) | (bytes[i + 1] ?? 0);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return ~sum & 0xffff;
}

function ipv4Udp(from: typeof CLIENT, to: typeof CLIENT, payload: Uint8Array): Uint8Array {
  const udpLen = 8 + payload.length;
  const pkt = new Uint8Array(20 + udpLen);
  const v = new DataView(pkt.buffer);
  pkt[0] = 0x45; // IPv4, 20-byte header
  v.setUint16(2, 20 + udpLen);
  v.setUint16(6, 0x4000); // don't fragment
  pkt[8] = 64; // TTL
  pkt[9] = 17; // UDP
  pkt.set(from.ip, 12);
  pkt.set(to.ip, 16);
  v.setUint16(10, checksum(pkt.subarray(0, 20)));
  v.setUint16(20, from.port);
  v.setUint16(22, to.port);
  v.setUint16(24, udpLen);
  pkt.set(payload, 28);
  const pseudo = new Uint8Array(12 + udpLen);
  pseudo.set(from.ip, 0);
  pseudo.set(to.ip, 4);
  pseudo[9] = 17;
  new DataView(pseudo.buffer).setUint16(10, udpLen);
  pseudo.set(pkt.subarray(20), 12);
  v.setUint16(26, checksum(pseudo) || 0xffff);
  return pkt;
}

export function writePcap(packets: PcapPacket[]): Uint8Array {
  const frames = packets.map((p) => ({
    p,
    data: p.from === 'client' ? ipv4Udp(CLIENT, SERVER, p.payload) : ipv4Udp(SERVER, CLIENT, p.payload),
  }));
  const out = new Uint8Array(24 + frames.reduce((n, f) => n + 16 + f.data.length, 0));
  const v = new DataView(out.buffer);
  v.setUint32(0, 0xa1b2c3d4, true);
  v.setUint16(4, 2, true);
  v.setUint16(6, 4, true);
  v.setUint32(16, 65535, true); // snaplen
  v.setUint32(20, LINKTYPE_RAW, true);
  let o = 24;
  for (const { p, data } of frames) {
    const us = Math.round(p.time_ms * 1000);
    v.setUint32(o, Math.floor(us / 1e6), true);
    v.setUint32(o + 4, us % 1e6, true);
    v.setUint32(o + 8, data.length, true);
    v.setUint32(o + 12, data.length, true);
    out.set(data, o + 16);
    o += 16 + data.length;
  }
  return out;
}
