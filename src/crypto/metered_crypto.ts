import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { gcm } from '@noble/ciphers/aes.js';
import { aesCcmDecrypt, aesCcmEncrypt } from './aes_ccm.js';
import type { OpMeter } from './meter.js';
import type { EndpointRole } from './ops.js';
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

  random(n: number): Uint8Array {
    this.meter.record(this.endpoint, 'rng', { bytes: n });
    return this.randomSource(n);
  }

  hmacSha256(key: Uint8Array, message: Uint8Array): Uint8Array {
    this.meter.record(this.endpoint, 'hmac_sha256', { bytes: message.length });
    return hmac(sha256, key, message);
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
    this.meter.record(this.endpoint, 'aes128_ccm.encrypt', { bytes: plaintext.length, aad_bytes: aad.length }, true);
    return aesCcmEncrypt(key, nonce, aad, plaintext, tagBytes);
  }

  /** null when the tag does not verify. */
  aes128CcmDecrypt(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array, tagBytes: number): Uint8Array | null {
    this.meter.record(
      this.endpoint,
      'aes128_ccm.decrypt',
      { bytes: Math.max(0, ciphertext.length - tagBytes), aad_bytes: aad.length },
      true,
    );
    return aesCcmDecrypt(key, nonce, aad, ciphertext, tagBytes);
  }

  aes128GcmEncrypt(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Uint8Array {
    this.meter.record(this.endpoint, 'aes128_gcm.encrypt', { bytes: plaintext.length, aad_bytes: aad.length }, true);
    return gcm(key, nonce, aad).encrypt(plaintext);
  }

  /** null when the tag does not verify. */
  aes128GcmDecrypt(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array): Uint8Array | null {
    this.meter.record(this.endpoint, 'aes128_gcm.decrypt', { bytes: Math.max(0, ciphertext.length - 16), aad_bytes: aad.length }, true);
    try {
      return gcm(key, nonce, aad).decrypt(ciphertext);
    } catch {
      return null; // noble throws on a bad tag or a too-short input
    }
  }
}
