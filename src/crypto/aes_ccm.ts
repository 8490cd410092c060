/**
 * AES-CCM (NIST SP 800-38C, RFC 3610) on top of @noble/ciphers' AES, which has no CCM mode.
 *
 * CCM = CBC-MAC over (B0 || encoded AAD || plaintext, each zero-padded to 16 bytes), then CTR
 * encryption of the plaintext with counter blocks A1, A2, ... and of the MAC with A0.
 *
 * Parameters (RFC 3610 §2):
 *   nonce 7..13 bytes, so the length field L = 15 - nonce length is 2..8 bytes;
 *   tag (M) 4, 6, 8, 10, 12, 14 or 16 bytes;
 *   AAD up to 65279 bytes: only the 2-byte AAD length encoding is implemented, which covers
 *   0 < l(a) < 2^16 - 2^8 (the longer 0xfffe / 0xffff forms are not needed by (D)TLS);
 *   key 16 (AES-128) or 32 (AES-256) bytes.
 */
import { cbc, ctr, ecb } from '@noble/ciphers/aes.js';

const BLOCK = 16;
const TAG_LENGTHS: readonly number[] = [4, 6, 8, 10, 12, 14, 16];
/** Largest AAD length the 2-byte encoding can carry (2^16 - 2^8 - 1). */
const AES_CCM_MAX_AAD_LENGTH = 0xfeff;

/** Encrypts and authenticates; returns ciphertext || tag (tagLength bytes). */
export function aesCcmEncrypt(
  key: Uint8Array,
  nonce: Uint8Array,
  aad: Uint8Array,
  plaintext: Uint8Array,
  tagLength: number,
): Uint8Array {
  const lengthFieldSize = checkParams(key, nonce, aad, tagLength);
  checkMessageLength(plaintext.length, lengthFieldSize);

  const out = new Uint8Array(plaintext.length + tagLength);
  out.set(ctrKeystreamXor(key, nonce, plaintext), 0);
  out.set(authTag(key, nonce, aad, plaintext, tagLength), plaintext.length);
  return out;
}

/**
 * Verifies and decrypts ciphertext || tag. Returns null when the tag does not verify, including
 * when the input is shorter than the tag. Throws RangeError only for bad parameters (key, nonce,
 * tag length, AAD length, or a ciphertext too long for the nonce's length field) -- never for a
 * bad tag, so callers can treat null as "drop the record".
 */
export function aesCcmDecrypt(
  key: Uint8Array,
  nonce: Uint8Array,
  aad: Uint8Array,
  ciphertextAndTag: Uint8Array,
  tagLength: number,
): Uint8Array | null {
  const lengthFieldSize = checkParams(key, nonce, aad, tagLength);
  if (ciphertextAndTag.length < tagLength) return null;
  const ciphertextLength = ciphertextAndTag.length - tagLength;
  checkMessageLength(ciphertextLength, lengthFieldSize);

  const ciphertext = ciphertextAndTag.subarray(0, ciphertextLength);
  const receivedTag = ciphertextAndTag.subarray(ciphertextLength);
  // CCM authenticates the plaintext, so we must decrypt before we can check the tag.
  const plaintext = ctrKeystreamXor(key, nonce, ciphertext);
  const expectedTag = authTag(key, nonce, aad, plaintext, tagLength);
  if (!constantTimeEqual(expectedTag, receivedTag)) {
    plaintext.fill(0); // do not leave unauthenticated plaintext lying around
    return null;
  }
  return plaintext;
}

/** Validates key, nonce, AAD and tag length; returns L, the size of the length field in bytes. */
function checkParams(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, tagLength: number): number {
  if (key.length !== 16 && key.length !== 32) {
    throw new RangeError(`AES-CCM: key must be 16 or 32 bytes, got ${key.length}`);
  }
  if (nonce.length < 7 || nonce.length > 13) {
    throw new RangeError(`AES-CCM: nonce must be 7..13 bytes, got ${nonce.length}`);
  }
  if (!TAG_LENGTHS.includes(tagLength)) {
    throw new RangeError(`AES-CCM: tag length must be one of ${TAG_LENGTHS.join(', ')}, got ${tagLength}`);
  }
  if (aad.length > AES_CCM_MAX_AAD_LENGTH) {
    throw new RangeError(
      `AES-CCM: AAD of ${aad.length} bytes exceeds ${AES_CCM_MAX_AAD_LENGTH} (only the 2-byte length encoding is supported)`,
    );
  }
  return 15 - nonce.length;
}

/** The message length is written into L bytes of B0, so it must be < 2^(8L). */
function checkMessageLength(length: number, lengthFieldSize: number): void {
  if (length >= 2 ** (8 * lengthFieldSize)) {
    throw new RangeError(
      `AES-CCM: message of ${length} bytes does not fit the ${lengthFieldSize}-byte length field of a ${15 - lengthFieldSize}-byte nonce`,
    );
  }
}

/** Writes `value` big-endian into out[offset .. offset+size). Division, not shifts: value may exceed 2^32. */
function writeUintBE(out: Uint8Array, offset: number, size: number, value: number): void {
  for (let i = size - 1; i >= 0; i--) {
    out[offset + i] = value % 256;
    value = Math.floor(value / 256);
  }
}

/**
 * B0 = flags || nonce || message length (L bytes), SP 800-38C A.2.1.
 * flags = Adata (bit 6) | ((t - 2) / 2) << 3 | (L - 1).
 */
function formatB0(nonce: Uint8Array, aadLength: number, messageLength: number, tagLength: number): Uint8Array {
  const lengthFieldSize = 15 - nonce.length;
  const b0 = new Uint8Array(BLOCK);
  b0[0] = (aadLength > 0 ? 0x40 : 0) | (((tagLength - 2) / 2) << 3) | (lengthFieldSize - 1);
  b0.set(nonce, 1);
  writeUintBE(b0, 1 + nonce.length, lengthFieldSize, messageLength);
  return b0;
}

/**
 * Counter block A_i = flags || nonce || i (L bytes), SP 800-38C A.3; flags = L - 1.
 * A0 encrypts the MAC, A1.. the payload.
 */
function counterBlock(nonce: Uint8Array, index: number): Uint8Array {
  const lengthFieldSize = 15 - nonce.length;
  const block = new Uint8Array(BLOCK);
  block[0] = lengthFieldSize - 1;
  block.set(nonce, 1);
  writeUintBE(block, 1 + nonce.length, lengthFieldSize, index);
  return block;
}

/** B0 || (2-byte AAD length || AAD, zero-padded) || (plaintext, zero-padded): the CBC-MAC input. */
function formatMacInput(nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array, tagLength: number): Uint8Array {
  // With no AAD the length prefix is omitted entirely (Adata flag = 0), not encoded as 0.
  const aadField = aad.length > 0 ? 2 + aad.length : 0;
  const aadPadded = roundUpToBlock(aadField);
  const input = new Uint8Array(BLOCK + aadPadded + roundUpToBlock(plaintext.length));
  input.set(formatB0(nonce, aad.length, plaintext.length, tagLength), 0);
  if (aad.length > 0) {
    writeUintBE(input, BLOCK, 2, aad.length);
    input.set(aad, BLOCK + 2);
  }
  input.set(plaintext, BLOCK + aadPadded);
  return input;
}

function roundUpToBlock(n: number): number {
  return Math.ceil(n / BLOCK) * BLOCK;
}

/** CBC-MAC with a zero IV: the last block of the CBC encryption of a block-aligned input. */
function cbcMac(key: Uint8Array, blockAligned: Uint8Array): Uint8Array {
  const encrypted = cbc(key, new Uint8Array(BLOCK), { disablePadding: true }).encrypt(blockAligned);
  return encrypted.slice(encrypted.length - BLOCK);
}

/** The transmitted tag: first tagLength bytes of CBC-MAC, XORed with E(K, A0). */
function authTag(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array, tagLength: number): Uint8Array {
  const mac = cbcMac(key, formatMacInput(nonce, aad, plaintext, tagLength));
  const s0 = ecb(key, { disablePadding: true }).encrypt(counterBlock(nonce, 0));
  const tag = new Uint8Array(tagLength);
  for (let i = 0; i < tagLength; i++) tag[i] = mac[i]! ^ s0[i]!;
  return tag;
}

/**
 * XORs data with the keystream E(K, A1) || E(K, A2) || ... (encrypts and decrypts alike).
 * noble's CTR increments the whole 16-byte block big-endian; that equals incrementing the
 * L-byte counter field because checkMessageLength keeps the block count below 2^(8L), so the
 * carry never reaches the nonce or flags.
 */
function ctrKeystreamXor(key: Uint8Array, nonce: Uint8Array, data: Uint8Array): Uint8Array {
  if (data.length === 0) return new Uint8Array(0);
  return ctr(key, counterBlock(nonce, 1)).encrypt(data);
}

/** Compares equal-length tags without an early exit, so timing does not reveal the first bad byte. */
function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
