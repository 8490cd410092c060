import { describe, expect, it } from 'vitest';
import { decodeDatagram } from '../../src/protocol/dtls12/record.js';
import { buildDtls12Transcript } from '../../src/transcript/build_dtls12.js';
import { pskSetup } from '../helpers/dtls12_setup.js';

describe('record_size_limit (RFC 8449)', () => {
  it('splits protected records to the peer\'s limit; unprotected handshake records are not bound by it', () => {
    const t = buildDtls12Transcript(pskSetup({ record_size_limit: 64, application_data_bytes: 200, mtu_bytes: 1232 }));
    expect(t.outcome.completed).toBe(true);
    // 200 bytes of application data in records of at most 64 plaintext bytes: 64 + 64 + 64 + 8.
    const app = t.flights.find((f) => f.phase === 'application')!;
    const records = app.datagrams.flatMap((d) => decodeDatagram(d));
    expect(records.map((r) => r.fragment.length - 16)).toEqual([64, 64, 64, 8]); // CCM_8: 8 explicit nonce + 8 tag
    // The ServerHello flight is unprotected and larger than 64 bytes in one record.
    const serverHello = t.flights[3]!.datagrams.flatMap((d) => decodeDatagram(d));
    expect(Math.max(...serverHello.map((r) => r.fragment.length))).toBeGreaterThan(64);
  });

  it('both hellos carry it (type 0x001c, the limit as uint16)', () => {
    const t = buildDtls12Transcript(pskSetup({ record_size_limit: 256 }));
    for (const i of [2, 3]) expect(Buffer.from(t.flights[i]!.datagrams[0]!).toString('hex')).toContain('001c00020100');
  });

  it('a server negotiating it ignores max_fragment_length (RFC 8449 §5): no echo, full-size records otherwise', () => {
    const t = buildDtls12Transcript(pskSetup({ record_size_limit: 1024, max_fragment_length: 512, application_data_bytes: 700 }));
    expect(t.outcome.completed).toBe(true);
    const app = t.flights.find((f) => f.phase === 'application')!;
    expect(app.datagrams.flatMap((d) => decodeDatagram(d)).map((r) => r.fragment.length - 16)).toEqual([700]);
  });

  it('rejects a limit below 64 with illegal_parameter', () => {
    const t = buildDtls12Transcript(
      pskSetup({
        record_size_limit: 64,
        tamper: (flight, _d, bytes) => {
          if (flight !== 4) return bytes;
          const hex = Buffer.from(bytes).toString('hex').replace('001c00020040', '001c0002003f');
          return Uint8Array.from(Buffer.from(hex, 'hex'));
        },
      }),
    );
    expect(t.outcome).toMatchObject({ completed: false, alert: 'illegal_parameter', failed_endpoint: 'client' });
  });
});
