/**
 * PEM (RFC 7468): certificates ("CERTIFICATE", one or a chain in one file), private keys (SEC 1
 * "EC PRIVATE KEY", PKCS#8 "PRIVATE KEY", PKCS#1 "RSA PRIVATE KEY") and public keys
 * (SubjectPublicKeyInfo "PUBLIC KEY", as `openssl pkey -pubout` writes it, for RFC 7250 raw public
 * keys) in and out, for users who bring their own credentials. Key parsing is node:crypto's (OpenSSL); we then insist on P-256 or
 * RSA-2048 and hand the key over in the form MeteredCrypto signs with.
 *
 * Every error is an InputError naming the file (exit code 2) and what was expected.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { p256 } from '@noble/curves/nist.js';
import { DecodeError } from '../protocol/common/bytes.js';
import { InputError } from '../scenario/errors.js';
import { UnsupportedCertificateError } from './errors.js';
import type { PrivateKey } from './keys.js';
import { parseCertificate } from './parse.js';
import { decodeSpki } from './spki.js';

interface PemBlock {
  label: string;
  der: Uint8Array;
}

const KEY_LABELS = ['PRIVATE KEY', 'EC PRIVATE KEY', 'RSA PRIVATE KEY'];

/** Every block in the text; text outside blocks is ignored (RFC 7468 §2). */
function pemBlocks(text: string, source: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  const pattern = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END ([A-Z0-9 ]+)-----/g;
  for (const m of text.matchAll(pattern)) {
    const [, label, body, endLabel] = m as unknown as [string, string, string, string];
    if (label !== endLabel) throw new InputError(`${source}: "BEGIN ${label}" ends with "END ${endLabel}"`);
    const base64 = body.replace(/\s+/g, '');
    const der = Buffer.from(base64, 'base64');
    // Buffer.from skips what is not base64; re-encoding tells us whether anything was skipped.
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || der.toString('base64') !== base64) {
      throw new InputError(`${source}: the "${label}" block is not valid base64 (RFC 7468 §3)`);
    }
    blocks.push({ label, der: Uint8Array.from(der) });
  }
  if (blocks.length === 0 && text.includes('-----BEGIN')) throw new InputError(`${source}: a "-----BEGIN" line without its matching "-----END" line`);
  return blocks;
}

function describeBlocks(blocks: PemBlock[]): string {
  return blocks.length === 0 ? 'no PEM block' : blocks.map((b) => `"${b.label}"`).join(', ');
}

/** The DER certificates of a PEM file, in file order (a chain: leaf first). */
export function parseCertificatesPem(text: string, source: string): Uint8Array[] {
  const blocks = pemBlocks(text, source);
  if (blocks.length === 0 || blocks.some((b) => b.label !== 'CERTIFICATE')) {
    throw new InputError(`${source}: expected one or more "CERTIFICATE" PEM blocks, got ${describeBlocks(blocks)}`);
  }
  return blocks.map(({ der }, i) => {
    try {
      parseCertificate(der, `certificate ${i + 1}`);
    } catch (e) {
      if (e instanceof DecodeError || e instanceof UnsupportedCertificateError) throw new InputError(`${source}: ${e.message}`);
      throw e;
    }
    return der;
  });
}

/** A P-256 or RSA-2048 private key from a PEM file with exactly one key block. */
export function parsePrivateKeyPem(text: string, source: string): PrivateKey {
  const blocks = pemBlocks(text, source);
  const keys = blocks.filter((b) => KEY_LABELS.includes(b.label));
  if (keys.length !== 1) {
    const hint = blocks.some((b) => b.label === 'ENCRYPTED PRIVATE KEY') ? ' (encrypted keys are not supported: decrypt it with `openssl pkey`)' : '';
    throw new InputError(`${source}: expected one ${KEY_LABELS.map((l) => `"${l}"`).join(', ')} PEM block, got ${describeBlocks(blocks)}${hint}`);
  }
  const block = keys[0]!;
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: Buffer.from(block.der), format: 'der', type: derTypeOf(block.label) });
  } catch (e) {
    throw new InputError(`${source}: the "${block.label}" block is not a valid key: ${(e as Error).message}`);
  }
  return privateKeyFrom(key, source);
}

/**
 * The DER SubjectPublicKeyInfo of a PEM file with exactly one "PUBLIC KEY" block, checked to be
 * P-256 or RSA-2048. The DER is returned as is: a pinned raw public key is compared byte for byte.
 */
export function parsePublicKeyPem(text: string, source: string): Uint8Array {
  const blocks = pemBlocks(text, source);
  const keys = blocks.filter((b) => b.label === 'PUBLIC KEY');
  if (keys.length !== 1) {
    const hint = blocks.some((b) => KEY_LABELS.includes(b.label)) ? ' (a private key: write its public key with `openssl pkey -pubout`)' : '';
    throw new InputError(`${source}: expected one "PUBLIC KEY" PEM block, got ${describeBlocks(blocks)}${hint}`);
  }
  const der = keys[0]!.der;
  try {
    decodeSpki(der, 'public key');
  } catch (e) {
    if (e instanceof DecodeError || e instanceof UnsupportedCertificateError) throw new InputError(`${source}: ${e.message}`);
    throw e;
  }
  return der;
}

function derTypeOf(label: string): 'pkcs8' | 'sec1' | 'pkcs1' {
  return label === 'EC PRIVATE KEY' ? 'sec1' : label === 'RSA PRIVATE KEY' ? 'pkcs1' : 'pkcs8';
}

function privateKeyFrom(key: KeyObject, source: string): PrivateKey {
  const type = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails ?? {};
  const expected = 'expected a P-256 or RSA-2048 key';
  if (type === 'ec') {
    if (details.namedCurve !== 'prime256v1') throw new InputError(`${source}: ${expected}, got an EC key on ${details.namedCurve ?? 'an unnamed curve'}`);
    const jwk = key.export({ format: 'jwk' });
    const secret_key = Uint8Array.from(Buffer.from(jwk.d ?? '', 'base64url'));
    return { kind: 'p256', secret_key, public_key: p256.getPublicKey(secret_key, false) };
  }
  if (type === 'rsa') {
    if (details.modulusLength !== 2048) throw new InputError(`${source}: ${expected}, got RSA-${details.modulusLength}`);
    return { kind: 'rsa2048', private_key: key, public_key: createPublicKey(key) };
  }
  throw new InputError(`${source}: ${expected}, got ${type ?? 'an unknown key type'}`);
}

export function readCertificatesPemFile(path: string): Uint8Array[] {
  return parseCertificatesPem(readText(path), path);
}

export function readPrivateKeyPemFile(path: string): PrivateKey {
  return parsePrivateKeyPem(readText(path), path);
}

export function readPublicKeyPemFile(path: string): Uint8Array {
  return parsePublicKeyPem(readText(path), path);
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(`${path}: cannot read the file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** One PEM block, base64 in 64-character lines (RFC 7468 §2). */
function pemBlock(label: string, der: Uint8Array): string {
  const lines = Buffer.from(der).toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

export function certificatesToPem(certificates: readonly Uint8Array[]): string {
  return certificates.map((der) => pemBlock('CERTIFICATE', der)).join('');
}

/** SubjectPublicKeyInfo "PUBLIC KEY", as `openssl pkey -pubout` writes it (GnuTLS --rawpkfile reads it). */
export function publicKeyToPem(spki: Uint8Array): string {
  return pemBlock('PUBLIC KEY', spki);
}

/** PKCS#8 "PRIVATE KEY", which OpenSSL, mbedTLS and GnuTLS all read. */
export function privateKeyToPem(key: PrivateKey): string {
  if (key.kind === 'rsa2048') return key.private_key.export({ type: 'pkcs8', format: 'pem' }) as string;
  const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
  const jwk = { kty: 'EC', crv: 'P-256', d: b64(key.secret_key), x: b64(key.public_key.subarray(1, 33)), y: b64(key.public_key.subarray(33, 65)) };
  return createPrivateKey({ key: jwk, format: 'jwk' }).export({ type: 'pkcs8', format: 'pem' }) as string;
}
