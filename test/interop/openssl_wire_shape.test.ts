import { spawn, spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import { afterAll, describe, expect, it } from 'vitest';
import { OpMeter } from '../../src/crypto/meter.js';
import { MeteredCrypto } from '../../src/crypto/metered_crypto.js';
import { seededRandom } from '../../src/crypto/random_source.js';
import type { CipherSuiteName } from '../../src/protocol/dtls12/cipher_suites.js';
import { Dtls12Client } from '../../src/protocol/dtls12/client.js';
import { decodeHandshakeFragments } from '../../src/protocol/dtls12/handshake_header.js';
import { decodeClientHello, type ClientHello } from '../../src/protocol/dtls12/messages/client_hello.js';
import { decodeDatagram } from '../../src/protocol/dtls12/record.js';
import { WIRE_PRESETS } from '../../src/protocol/dtls12/wire_presets.js';

/**
 * The openssl wire preset against a live OpenSSL 3 ClientHello: the same extensions with the
 * same contents (order aside), the same renegotiation signal, for a PSK and an ECDHE-ECDSA
 * offer. This is what the preset's figures rest on.
 */
const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
const sock = dgram.createSocket('udp4');
const bound = new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
afterAll(() => sock.close());

const helloOf = (datagram: Uint8Array): ClientHello => {
  const f = decodeDatagram(datagram).flatMap((r) => decodeHandshakeFragments(r.fragment))[0]!;
  return decodeClientHello(f.body);
};
const shape = (ch: ClientHello) => Object.fromEntries(ch.extensions.map((e) => [e.type, Buffer.from(e.data).toString('hex')]));

async function opensslHello(cipher: string): Promise<ClientHello> {
  await bound;
  const got = new Promise<Buffer>((resolve) => sock.once('message', resolve));
  const c = spawn('openssl', ['s_client', '-dtls1_2', '-cipher', cipher, ...(cipher.includes('PSK') ? ['-psk', '00112233'] : []), '-connect', `127.0.0.1:${sock.address().port}`]);
  try {
    return helloOf(new Uint8Array(await got));
  } finally {
    c.kill('SIGKILL');
  }
}

function ourHello(suite: CipherSuiteName): ClientHello {
  const client = new Dtls12Client(new MeteredCrypto('client', new OpMeter(), seededRandom(1, 'c')), {
    mtu_bytes: 1200,
    initial_timeout_ms: 1000,
    max_timeout_ms: 60000,
    max_handshake_message_bytes: 16384,
    cipher_suites: [suite],
    extended_master_secret: true,
    encrypt_then_mac: true,
    groups: ['x25519'],
    psk: { identity: new Uint8Array(1), key: new Uint8Array(16) },
    authenticate_server: () => {
      throw new Error('not reached');
    },
    wire: WIRE_PRESETS.openssl,
  });
  client.start(0);
  return helloOf(client.pollOutput()[0]!);
}

describe.skipIf(!hasOpenssl)('the openssl wire preset matches OpenSSL 3 s_client -dtls1_2', () => {
  it.each([
    { cipher: 'PSK-AES128-CCM8', suite: 'TLS_PSK_WITH_AES_128_CCM_8' as const },
    { cipher: 'ECDHE-ECDSA-AES128-CCM8', suite: 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8' as const },
  ])('$cipher: the same extensions with the same contents, and the SCSV', async ({ cipher, suite }) => {
    const theirs = await opensslHello(cipher);
    const ours = ourHello(suite);
    expect(shape(ours)).toEqual(shape(theirs));
    expect(ours.cipher_suites.includes(0x00ff)).toBe(theirs.cipher_suites.includes(0x00ff));
  });
});
