import { describe, expect, it } from 'vitest';
import { OP_IDS } from '../../src/crypto/ops.js';
import { COST_GROUPS, GROUP_OF } from '../../src/device/cost_groups.js';
import { softwareFigure } from '../../src/device/pricing.js';

/**
 * Issue 4's op vocabulary: every primitive a handshake engine may run has an op id, a cost
 * group an engine is chosen for, and a cycle-table figure a stack can price it in software by.
 * Ops built from another primitive are priced as that primitive's work (HMAC, the TLS 1.2 PRF
 * and HKDF as SHA-256: RFC 2104, RFC 5246 §5, RFC 5869).
 */
const ISSUE_4_VOCABULARY: Record<string, string> = {
  'p256.keygen': 'p256.keygen',
  'p256.ecdh': 'p256.ecdh',
  'p256.ecdsa_sign': 'p256.ecdsa_sign',
  'p256.ecdsa_verify': 'p256.ecdsa_verify',
  'x25519.keygen': 'x25519.keygen',
  'x25519.ecdh': 'x25519.ecdh',
  'ed25519.sign': 'ed25519.sign',
  'ed25519.verify': 'ed25519.verify',
  'rsa2048.sign': 'rsa2048.private',
  'rsa2048.decrypt': 'rsa2048.private',
  'rsa2048.verify': 'rsa2048.public',
  'rsa2048.encrypt': 'rsa2048.public',
  'sha256.update': 'sha256',
  'sha256.finish': 'sha256',
  hmac_sha256: 'sha256',
  tls12_prf: 'sha256',
  'hkdf_sha256.extract': 'sha256',
  'hkdf_sha256.expand': 'sha256',
  'aes128.block': 'aes128_block',
  'aes128_ccm.encrypt': 'aes128_ccm',
  'aes128_gcm.encrypt': 'aes128_gcm',
  'aes128_cbc.encrypt': 'aes128_cbc',
  'chacha20_poly1305.encrypt': 'chacha20_poly1305',
  rng: 'rng',
  'x509.parse': 'x509.parse',
  'der.ecdsa_sig_encode': 'der.ecdsa_sig',
  'der.ecdsa_sig_decode': 'der.ecdsa_sig',
};

describe('op vocabulary (issue 4, line 3)', () => {
  it('has an op for every primitive the issue lists, in the cost group it is priced by', () => {
    for (const [op, group] of Object.entries(ISSUE_4_VOCABULARY)) {
      expect(OP_IDS as readonly string[]).toContain(op);
      expect({ op, group: GROUP_OF[op as keyof typeof GROUP_OF] }).toEqual({ op, group });
    }
  });

  it('every cost group has a software cycle figure: per call, per byte or both', () => {
    for (const group of COST_GROUPS) {
      const figures = [softwareFigure(group, 'per_call'), softwareFigure(group, 'per_byte')].filter((f) => f !== undefined);
      expect({ group, priced: figures.length > 0 }).toEqual({ group, priced: true });
    }
  });

  it('SHA-256 is priced per byte plus per call, X.509 parsing per certificate plus per byte', () => {
    expect([softwareFigure('sha256', 'per_byte'), softwareFigure('sha256', 'per_call')]).toEqual(['sha256.cycles_per_byte', 'sha256.finish_cycles']);
    expect([softwareFigure('x509.parse', 'per_call'), softwareFigure('x509.parse', 'per_byte')]).toEqual(['x509.parse_cycles_per_cert', 'x509.parse_cycles_per_byte']);
  });
});
