import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { cbc, gcm } from '@noble/ciphers/aes.js';
import { x25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { constants as rsaConstants, privateEncrypt, publicDecrypt, type KeyObject } from 'node:crypto';
import { aesCcmDecrypt, aesCcmEncrypt } from './aes_ccm.js';
import type { OpMeter } from './meter.js';
import type { EndpointRole, RecordLayerWork } from './ops.js';
import type { RandomSource } from './random_source.js';
import { tls12Prf } from './tls12_prf.js';

/** A running SHA-256 over the handshake messages (the "transcript hash" of TLS 1.2). */
export interface RunningHash {
  update(data: Uint8Array): void;
  /** Digest of everything so far; the running hash goes on (stacks clone the context). */
  digest(): Uint8Array;
}

/**
 * The one crypto interface the protocol engines use. Every call does the real operation with
 * @noble and records an op (id and sizes) for the endpoint at the meter's current step.
 */
export class MeteredCrypto {
  constructor(
    readonly endpoint: EndpointRole,
    private readonly meter: OpMeter,
    private readonly randomSource: RandomSource,
  ) {}

  /** `recordLayer`: 'seal' for a record's explicit IV, which a resent record draws again. */
  random(n: number, recordLayer: RecordLayerWork | false = false): Uint8Array {
    this.meter.record(this.endpoint, 'rng', { bytes: n }, recordLayer);
    return this.randomSource(n);
  }

  /**
   * `recordLayer`: a record MAC of the CBC suites, computed when sealing ('seal') or verifying
   * ('open'), which every copy of the record costs again; false for handshake HMACs.
   */
  hmacSha256(key: Uint8Array, message: Uint8Array, recordLayer: RecordLayerWork | false = false): Uint8Array {
    this.meter.record(this.endpoint, 'hmac_sha256', { bytes: message.length }, recordLayer);
    return hmac(sha256, key, message);
  }

  sha256(message: Uint8Array): Uint8Array {
    this.meter.record(this.endpoint, 'sha256.hash', { bytes: message.length });
    return sha256(message);
  }

  tls12Prf(secret: Uint8Array, label: string, seed: Uint8Array, outBytes: number): Uint8Array {
    this.meter.record(this.endpoint, 'tls12_prf', { bytes: label.length + seed.length, out_bytes: outBytes });
    return tls12Prf(secret, label, seed, outBytes);
  }

  runningHash(): RunningHash {
    const ctx = sha256.create();
    return {
      update: (data) => {
        this.meter.record(this.endpoint, 'sha256.update', { bytes: data.length });
        ctx.update(data);
      },
      digest: () => {
        this.meter.record(this.endpoint, 'sha256.finish', { bytes: 0 });
        return ctx.clone().digest();
      },
    };
  }

  aes128CcmEncrypt(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array, tagBytes: number): Uint8Array {
    this.meter.record(this.endpoint, 'aes128_ccm.encrypt', { bytes: plaintext.length, aad_bytes: aad.length }, 'seal');
    return aesCcmEncrypt(key, nonce, aad, plaintext, tagBytes);
  }

  /** null when the tag does not verify. */
  aes128CcmDecrypt(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array, tagBytes: number): Uint8Array | null {
    this.meter.record(
      this.endpoint,
      'aes128_ccm.decrypt',
      { bytes: Math.max(0, ciphertext.length - tagBytes), aad_bytes: aad.length },
      'open',
    );
    return aesCcmDecrypt(key, nonce, aad, ciphertext, tagBytes);
  }

  /** `recordLayer`: false for work that is not a record's (a session ticket), which a resent record does not repeat. */
  aes128GcmEncrypt(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array, recordLayer: 'seal' | false = 'seal'): Uint8Array {
    this.meter.record(this.endpoint, 'aes128_gcm.encrypt', { bytes: plaintext.length, aad_bytes: aad.length }, recordLayer);
    return gcm(key, nonce, aad).encrypt(plaintext);
  }

  /** null when the tag does not verify. */
  aes128GcmDecrypt(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array, recordLayer: 'open' | false = 'open'): Uint8Array | null {
    this.meter.record(this.endpoint, 'aes128_gcm.decrypt', { bytes: Math.max(0, ciphertext.length - 16), aad_bytes: aad.length }, recordLayer);
    try {
      return gcm(key, nonce, aad).decrypt(ciphertext);
    } catch {
      return null; // noble throws on a bad tag or a too-short input
    }
  }

  /** AES-128-CBC over whole blocks; the caller pads (TLS padding is not PKCS#7). */
  aes128CbcEncrypt(key: Uint8Array, iv: Uint8Array, blocks: Uint8Array): Uint8Array {
    this.meter.record(this.endpoint, 'aes128_cbc.encrypt', { bytes: blocks.length }, 'seal');
    return cbc(key, iv, { disablePadding: true }).encrypt(blocks);
  }

  aes128CbcDecrypt(key: Uint8Array, iv: Uint8Array, blocks: Uint8Array): Uint8Array {
    this.meter.record(this.endpoint, 'aes128_cbc.decrypt', { bytes: blocks.length }, 'open');
    return cbc(key, iv, { disablePadding: true }).decrypt(blocks);
  }

  // ---- public-key operations ----------------------------------------------------------------

  /** An ephemeral secp256r1 key pair; the public key is the 65-byte uncompressed point. */
  p256Keygen(): { secretKey: Uint8Array; publicKey: Uint8Array } {
    this.meter.record(this.endpoint, 'p256.keygen', { bytes: 0 });
    // 48 bytes reduced mod n: the bias-free derivation of FIPS 186-5 A.2.1 that noble implements.
    const secretKey = p256.utils.randomSecretKey(this.randomSource(48));
    return { secretKey, publicKey: p256.getPublicKey(secretKey, false) };
  }

  /** The x-coordinate of our secret times the peer's point; throws on a point not on the curve. */
  p256Ecdh(secretKey: Uint8Array, peerPoint: Uint8Array): Uint8Array {
    this.meter.record(this.endpoint, 'p256.ecdh', { bytes: 0 });
    return p256.getSharedSecret(secretKey, peerPoint, true).slice(1, 33);
  }

  /** ECDSA over a digest; DER-encoded (RFC 5480 §2.2.3 Ecdsa-Sig-Value), deterministic (RFC 6979). */
  p256Sign(secretKey: Uint8Array, digest: Uint8Array): Uint8Array {
    this.meter.record(this.endpoint, 'p256.ecdsa_sign', { bytes: digest.length });
    return p256.sign(digest, secretKey, { prehash: false, format: 'der', lowS: false });
  }

  /** False for a bad signature or a malformed key or signature. High-S signatures are valid in TLS. */
  p256Verify(derSignature: Uint8Array, digest: Uint8Array, publicKey: Uint8Array): boolean {
    this.meter.record(this.endpoint, 'p256.ecdsa_verify', { bytes: digest.length });
    try {
      return p256.verify(derSignature, digest, publicKey, { prehash: false, format: 'der', lowS: false });
    } catch {
      return false;
    }
  }

  x25519Keygen(): { secretKey: Uint8Array; publicKey: Uint8Array } {
    this.meter.record(this.endpoint, 'x25519.keygen', { bytes: 0 });
    const secretKey = this.randomSource(32);
    return { secretKey, publicKey: x25519.getPublicKey(secretKey) };
  }

  /** Throws on an all-zero result (a small-order peer point, RFC 7748 §6.1). */
  x25519Ecdh(secretKey: Uint8Array, peerPoint: Uint8Array): Uint8Array {
    this.meter.record(this.endpoint, 'x25519.ecdh', { bytes: 0 });
    return x25519.getSharedSecret(secretKey, peerPoint);
  }

  /** RSASSA-PKCS1-v1_5 (RFC 8017 §8.2) over a SHA-256 digest, with node:crypto (noble has no RSA). */
  rsa2048Sign(privateKey: KeyObject, digest: Uint8Array): Uint8Array {
    this.meter.record(this.endpoint, 'rsa2048.sign', { bytes: digest.length });
    return new Uint8Array(privateEncrypt({ key: privateKey, padding: rsaConstants.RSA_PKCS1_PADDING }, sha256DigestInfo(digest)));
  }

  rsa2048Verify(signature: Uint8Array, digest: Uint8Array, publicKey: KeyObject): boolean {
    this.meter.record(this.endpoint, 'rsa2048.verify', { bytes: digest.length });
    try {
      const recovered = publicDecrypt({ key: publicKey, padding: rsaConstants.RSA_PKCS1_PADDING }, signature);
      return Buffer.from(sha256DigestInfo(digest)).equals(recovered);
    } catch {
      return false;
    }
  }
}

/** DigestInfo for SHA-256 (RFC 8017 §9.2 note 1): the fixed DER prefix, then the 32-byte digest. */
const SHA256_DIGEST_INFO_PREFIX = Uint8Array.from(Buffer.from('3031300d060960864801650304020105000420', 'hex'));

function sha256DigestInfo(digest: Uint8Array): Uint8Array {
  const out = new Uint8Array(SHA256_DIGEST_INFO_PREFIX.length + digest.length);
  out.set(SHA256_DIGEST_INFO_PREFIX);
  out.set(digest, SHA256_DIGEST_INFO_PREFIX.length);
  return out;
}
