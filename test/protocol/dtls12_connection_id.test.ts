import { createDecipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { OpMeter } from '../../src/crypto/meter.js';
import { MeteredCrypto } from '../../src/crypto/metered_crypto.js';
import { seededRandom } from '../../src/crypto/random_source.js';
import { AeadRecordProtection } from '../../src/protocol/dtls12/aead_record_protection.js';
import { CIPHER_SUITES } from '../../src/protocol/dtls12/cipher_suites.js';
import { ContentType } from '../../src/protocol/dtls12/constants.js';
import { decodeDatagram } from '../../src/protocol/dtls12/record.js';
import { buildDtls12Transcript, type Dtls12Setup } from '../../src/transcript/build_dtls12.js';
import { pskSetup } from '../helpers/dtls12_setup.js';

const CLIENT_CID = Uint8Array.from([0xc1, 0xc2, 0xc3, 0xc4]);
const SERVER_CID = Uint8Array.from([0x5e, 0x5e]);

function run(overrides: Partial<Dtls12Setup>) {
  return buildDtls12Transcript(pskSetup({ connection_id: { client: CLIENT_CID, server: SERVER_CID }, ...overrides }));
}

/** The records of a flight, parsed with the CID length its receiver asked for. */
const recordsOf = (t: ReturnType<typeof run>, index: number) => t.flights[index - 1]!.datagrams.flatMap((d) => decodeDatagram(d, t.flights[index - 1]!.cid_bytes));

describe('connection IDs (RFC 9146)', () => {
  it('puts the receiver\'s CID in every protected record, as tls12_cid (25) with the real type inside', () => {
    const t = run({});
    expect(t.outcome.completed).toBe(true);
    const clientFinished = recordsOf(t, 5).filter((r) => r.epoch === 1);
    const serverFinished = recordsOf(t, 6).filter((r) => r.epoch === 1);
    const appData = [...recordsOf(t, 7), ...recordsOf(t, 8)];
    for (const r of clientFinished) expect(r).toMatchObject({ type: ContentType.tls12_cid, cid: SERVER_CID });
    for (const r of serverFinished) expect(r).toMatchObject({ type: ContentType.tls12_cid, cid: CLIENT_CID });
    expect(appData.every((r) => r.type === ContentType.tls12_cid)).toBe(true);
    // The ChangeCipherSpec (epoch 0) stays a plain record.
    expect(recordsOf(t, 5).some((r) => r.epoch === 0 && r.type === ContentType.change_cipher_spec)).toBe(true);
    // 16-byte application payload: explicit nonce 8 + payload 16 + real type 1 + CCM_8 tag 8.
    expect(recordsOf(t, 7)[0]!.fragment.length).toBe(8 + 16 + 1 + 8);
    expect(t.flights[6]!.bytes).toBe(13 + SERVER_CID.length + 8 + 16 + 1 + 8);
  });

  it('seals with the RFC 9146 §5.1 additional data: node:crypto AES-CCM opens the record with that AAD built by hand', () => {
    const key = Uint8Array.from(Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex'));
    const iv = Uint8Array.from([0xa0, 0xa1, 0xa2, 0xa3]);
    const protection = new AeadRecordProtection(new MeteredCrypto('client', new OpMeter(), seededRandom(1, 't')), CIPHER_SUITES.TLS_PSK_WITH_AES_128_CCM_8, key, iv);
    const inner = Uint8Array.from([...new TextEncoder().encode('hello'), ContentType.application_data]);
    const fragment = protection.seal(1, 0x0102030405, ContentType.tls12_cid, 0xfefd, inner, SERVER_CID);
    // additional_data = 8 x ff || 25 || cid_length || 25 || version || epoch || seq || cid || length_of_DTLSInnerPlaintext
    const aad = Buffer.from('ffffffffffffffff' + '19' + '02' + '19' + 'fefd' + '0001' + '000102030405' + '5e5e' + '0006', 'hex');
    const nonce = Buffer.concat([Buffer.from(iv), fragment.subarray(0, 8)]);
    expect(Buffer.from(fragment.subarray(0, 8)).toString('hex')).toBe('0001000102030405'); // explicit nonce = epoch || seq
    const d = createDecipheriv('aes-128-ccm', key, nonce, { authTagLength: 8 });
    d.setAAD(aad, { plaintextLength: inner.length });
    d.setAuthTag(fragment.subarray(8 + inner.length));
    const opened = Buffer.concat([d.update(fragment.subarray(8, 8 + inner.length)), d.final()]);
    expect(opened.equals(Buffer.from(inner))).toBe(true);
    expect(protection.open(1, 0x0102030405, ContentType.tls12_cid, 0xfefd, fragment, SERVER_CID)).toEqual(inner);
    // The same bytes under the plain (RFC 5246) additional data do not authenticate.
    expect(protection.open(1, 0x0102030405, ContentType.tls12_cid, 0xfefd, fragment)).toBeNull();
  });

  it('a flipped CID byte in a record header is caught by the receiver: the CID is authenticated', () => {
    const flipped = run({
      tamper: (flight, _d, bytes) => {
        if (flight !== 7) return bytes;
        const copy = bytes.slice();
        copy[11]! ^= 0xff; // the first CID byte, right after type, version, epoch and sequence number
        return copy;
      },
    });
    expect(flipped.outcome).toMatchObject({ completed: false, alert: 'bad_record_mac', failed_endpoint: 'server' });
  });

  it('an empty CID from the client: the server sends it plain records, the client still sends with the server\'s CID', () => {
    const t = buildDtls12Transcript(pskSetup({ connection_id: { client: new Uint8Array(0), server: SERVER_CID } }));
    expect(t.outcome.completed).toBe(true);
    expect(recordsOf(t, 6).filter((r) => r.epoch === 1).every((r) => r.type === ContentType.handshake)).toBe(true);
    expect(recordsOf(t, 5).filter((r) => r.epoch === 1).every((r) => r.type === ContentType.tls12_cid)).toBe(true);
  });

  it('is not negotiated with a CBC suite (RFC 9146\'s CBC MAC forms are not built): plain records', () => {
    const t = run({ cipher_suite: 'TLS_PSK_WITH_AES_128_CBC_SHA256' });
    expect(t.outcome.completed).toBe(true);
    expect(t.flights.flatMap((f) => f.datagrams.flatMap((d) => decodeDatagram(d))).some((r) => r.type === ContentType.tls12_cid)).toBe(false);
  });

  it('grows each protected record by the CID and one type byte, and nothing else', () => {
    const plain = buildDtls12Transcript(pskSetup({}));
    const cid = run({});
    // The hellos carry the extension: type 2 + length 2 + cid length 1 + the CID (4 from the client, 2 from the server).
    expect(cid.flights.slice(0, 4).map((f, i) => f.bytes - plain.flights[i]!.bytes)).toEqual([9, 0, 9, 7]);
    // Client Finished to the server (+2 CID +1 type), server Finished to the client (+4 +1), then application data.
    const encrypted = (t: typeof cid, i: number) => t.flights[i]!.datagrams.flatMap((d) => decodeDatagram(d, t.flights[i]!.cid_bytes)).filter((r) => r.epoch === 1);
    const grow = (i: number) => encrypted(cid, i).reduce((n, r) => n + 13 + (r.cid?.length ?? 0) + r.fragment.length, 0) - encrypted(plain, i).reduce((n, r) => n + 13 + r.fragment.length, 0);
    expect([4, 5, 6, 7].map(grow)).toEqual([3, 5, 3, 5]);
  });
});
