import { describe, expect, it } from 'vitest';
import { ClientCertificateTypeCode } from '../../src/protocol/dtls12/constants.js';
import { buildDtls12Transcript } from '../../src/transcript/build_dtls12.js';
import { rpkSetup } from '../helpers/dtls12_setup.js';
import { flipEveryByte } from '../helpers/dtls12_tamper.js';
import { itChecksCertificateRequest, itChecksCertificateVerify, itChecksRawPublicKey, itChecksSignedServerKeyExchange } from '../helpers/dtls12_tamper_auth_checks.js';
import { casesOf, expectEachFails, itChecksEveryFlip } from '../helpers/dtls12_tamper_checks.js';

/**
 * ECDHE_ECDSA with raw public keys on both sides (RFC 7250, mutual), the x25519 group, CCM_8,
 * cookie on: every byte of every flight flipped, one at a time.
 */
describe('tampering with every byte of every flight (raw public keys, mutual, x25519, CCM_8, cookie on)', () => {
  const setup = rpkSetup({ cipher_suite: 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8', mutual: true, group: 'x25519' });
  const run = flipEveryByte(setup);
  itChecksEveryFlip(run, { cookie: true });
  itChecksRawPublicKey(run, { from: 'server' });
  itChecksRawPublicKey(run, { from: 'client' });
  itChecksSignedServerKeyExchange(run);
  itChecksCertificateVerify(run);
  itChecksCertificateRequest(run, { type: 'raw_public_key' });

  // Every 32-byte string is an x25519 public value (RFC 7748 §5), so the server derives other
  // keys; the CertificateVerify covers the ClientKeyExchange and is checked first.
  it("answers a flipped byte in the client's x25519 value with decrypt_error at the server (its CertificateVerify)", () => {
    expectEachFails(casesOf(run, { from: 'client', message: 'ClientKeyExchange', field: 'point' }), 'decrypt_error', 'server');
  });
});

describe('a raw-public-key client asked for a key type it does not have', () => {
  // Found by the tamper run above: the client threw an internal error (it tried to encode an
  // empty raw public key Certificate) instead of ending the handshake with an alert.
  it('ends the handshake with handshake_failure at the client (RFC 7250 §3: the Certificate cannot be empty)', () => {
    const setup = rpkSetup({ cipher_suite: 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8', mutual: true });
    const base = buildDtls12Transcript(setup);
    // The server's CertificateRequest body starts with certificate_types [ecdsa_sign, rsa_sign]
    // and the schemes ecdsa_secp256r1_sha256, rsa_pkcs1_sha256 (RFC 5246 §7.4.4); make the
    // types rsa_sign twice.
    const flight = base.flights.find((f) => f.messages.includes('CertificateRequest'))!;
    const datagram = Buffer.from(flight.datagrams[0]!);
    const body = Buffer.from([2, ClientCertificateTypeCode.ecdsa_sign, ClientCertificateTypeCode.rsa_sign, 0, 4, 4, 3, 4, 1]);
    const request = datagram.indexOf(body);
    expect(request).toBeGreaterThan(0);
    expect(datagram.lastIndexOf(body)).toBe(request);
    const t = buildDtls12Transcript({
      ...setup,
      tamper: (f, d, bytes) => {
        if (f !== flight.index || d !== 0) return bytes;
        const copy = bytes.slice();
        copy[request + 1] = ClientCertificateTypeCode.rsa_sign;
        return copy;
      },
    });
    expect(t.outcome).toMatchObject({ completed: false, alert: 'handshake_failure', failed_endpoint: 'client' });
  });
});
