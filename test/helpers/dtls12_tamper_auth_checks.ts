import { expect, it } from 'vitest';
import type { EndpointRole } from '../../src/crypto/ops.js';
import { CHAIN_FAILURE_ALERTS } from '../../src/x509/verify_chain.js';
import type { CertificateType } from './dtls12_message_layout.js';
import { describeCase, type TamperRun } from './dtls12_tamper.js';
import { allowedAlerts, casesOf, expectEachFails, peerOf } from './dtls12_tamper_checks.js';

/**
 * Tamper checks for the modes that authenticate with signatures (certificates and raw public
 * keys), shared by the dtls12_tamper_{cert,rpk,ecdhe_rsa}*.test.ts files: the verifying side
 * answers each flipped field with the alert for it.
 */

/**
 * The certificates `from` sent (a chain of `depth`): the verifying peer answers a flipped
 * byte with the alert src/x509/verify_chain.ts maps the failure to (CHAIN_FAILURE_ALERTS).
 */
export function itChecksCertificateChain(run: TamperRun, o: { from: EndpointRole; depth: number }): void {
  const verifier = peerOf(o.from);
  for (let entry = 0; entry < o.depth; entry++) {
    const which = entry === 0 ? `the ${o.from}'s certificate` : `intermediate certificate ${entry}`;
    const last = entry === o.depth - 1;

    it(`answers a flipped byte in the signature of ${which} with ${CHAIN_FAILURE_ALERTS.bad_signature} at the ${verifier}`, () => {
      expectEachFails(casesOf(run, { from: o.from, message: 'Certificate', field: 'signature', entry }), CHAIN_FAILURE_ALERTS.bad_signature, verifier);
    });

    it(`answers a flipped byte in the tbsCertificate of ${which} with a certificate alert at the ${verifier}`, () => {
      const tbs = casesOf(run, { from: o.from, message: 'Certificate', field: 'tbs', entry });
      const wrong = tbs.filter((c) => c.outcome.completed || c.outcome.failed_endpoint !== verifier || !allowedAlerts(c).includes(c.outcome.alert));
      expect(wrong.map(describeCase)).toEqual([]);
    });

    // The last certificate's issuer names the verifier's trust anchor: changed, no anchor has
    // that name (unknown_ca). Any other's must be the next certificate's subject
    // (issuer_mismatch). Either way a name that no longer parses is malformed.
    const issuerAlerts: string[] = [CHAIN_FAILURE_ALERTS[last ? 'unknown_issuer' : 'issuer_mismatch'], CHAIN_FAILURE_ALERTS.malformed];
    it(`answers a flipped byte in the issuer name of ${which} with ${[...new Set(issuerAlerts)].join(' or ')}`, () => {
      const issuer = casesOf(run, { from: o.from, message: 'Certificate', field: 'tbs.issuer', entry });
      const wrong = issuer.filter((c) => c.outcome.completed || c.outcome.failed_endpoint !== verifier || !issuerAlerts.includes(c.outcome.alert));
      expect(wrong.map(describeCase)).toEqual([]);
      if (last) expect(issuer.some((c) => !c.outcome.completed && c.outcome.alert === CHAIN_FAILURE_ALERTS.unknown_issuer)).toBe(true);
    });
  }
}

/** A raw public key (RFC 7250): any other key than the one pinned for `from` is bad_certificate. */
export function itChecksRawPublicKey(run: TamperRun, o: { from: EndpointRole }): void {
  it(`answers a flipped byte in the ${o.from}'s raw public key with bad_certificate at the ${peerOf(o.from)} (not the pinned key)`, () => {
    expectEachFails(casesOf(run, { from: o.from, message: 'Certificate', field: 'spki' }), 'bad_certificate', peerOf(o.from));
  });
}

/** The ServerKeyExchange of ECDHE_ECDSA and ECDHE_RSA: the signature covers the randoms and the ECDHE parameters. */
export function itChecksSignedServerKeyExchange(run: TamperRun): void {
  it('answers a flipped byte in the ServerKeyExchange signature with decrypt_error at the client', () => {
    expectEachFails(casesOf(run, { from: 'server', message: 'ServerKeyExchange', field: 'signature' }), 'decrypt_error', 'client');
  });

  it('answers a flipped byte in the signed ECDHE point with decrypt_error at the client (the signature covers it, RFC 8422 §5.4)', () => {
    expectEachFails(casesOf(run, { from: 'server', message: 'ServerKeyExchange', field: 'point' }), 'decrypt_error', 'client');
  });
}

/** A secp256r1 ClientKeyExchange: a flipped coordinate takes the point off the curve. */
export function itChecksClientPointOffCurve(run: TamperRun): void {
  it("answers a flipped byte in the client's ECDHE point with illegal_parameter at the server (off the curve, RFC 8422 §5.11)", () => {
    expectEachFails(casesOf(run, { from: 'client', message: 'ClientKeyExchange', field: 'point' }), 'illegal_parameter', 'server');
  });
}

/** Mutual authentication: the client's CertificateVerify signs the transcript (RFC 5246 §7.4.8). */
export function itChecksCertificateVerify(run: TamperRun): void {
  it('answers a flipped byte in the CertificateVerify signature with decrypt_error at the server', () => {
    expectEachFails(casesOf(run, { from: 'client', message: 'CertificateVerify', field: 'signature' }), 'decrypt_error', 'server');
  });

  it('answers a flipped signature scheme in the CertificateVerify with illegal_parameter at the server', () => {
    expectEachFails(casesOf(run, { from: 'client', message: 'CertificateVerify', field: 'scheme' }), 'illegal_parameter', 'server');
  });
}

/**
 * Mutual authentication: the CertificateRequest the client answers. `type`: what the client
 * authenticates with.
 */
export function itChecksCertificateRequest(run: TamperRun, o: { type: CertificateType }): void {
  // The request's certificate_types are [length, ecdsa_sign, rsa_sign]: without ecdsa_sign the
  // client's P-256 key is not allowed. An X.509 client then sends an empty Certificate (RFC
  // 5246 §7.4.6), which this server refuses; a raw public key Certificate cannot be empty
  // (RFC 7250 §3), so that client stops itself.
  const refuser = o.type === 'x509' ? 'server' : 'client';
  it(`ends with handshake_failure at the ${refuser} when a flip takes ecdsa_sign out of the CertificateRequest`, () => {
    const types = casesOf(run, { from: 'server', message: 'CertificateRequest', field: 'certificate_types' });
    expect(types).toHaveLength(3);
    expectEachFails([types[1]!], 'handshake_failure', refuser);
  });
}
