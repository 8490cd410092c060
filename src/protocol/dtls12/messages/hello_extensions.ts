import { ByteReader, ByteWriter, DecodeError } from '../../common/bytes.js';
import { ProtocolAlert } from '../alerts.js';
import {
  CertificateType,
  EC_POINT_FORMAT_UNCOMPRESSED,
  EXT_CLIENT_CERTIFICATE_TYPE,
  EXT_CONNECTION_ID,
  EXT_EC_POINT_FORMATS,
  EXT_RECORD_SIZE_LIMIT,
  EXT_SERVER_CERTIFICATE_TYPE,
  MIN_RECORD_SIZE_LIMIT,
  EXT_SIGNATURE_ALGORITHMS,
  EXT_SUPPORTED_GROUPS,
  type CertificateTypeName,
} from '../constants.js';
import { decodeU16List, encodeU16List, type Extension } from './extensions.js';

/**
 * The hello extensions of the ECDHE and certificate modes: what each carries and how a peer's
 * copy is read. Each decoder checks the extension's whole body.
 */

/** RFC 8422 §5.1.1: NamedGroup named_group_list<2..2^16-1>. */
export function supportedGroupsExtension(groups: readonly number[]): Extension {
  return { type: EXT_SUPPORTED_GROUPS, data: new ByteWriter().vector(2, encodeU16List(groups)).finish() };
}

export function decodeSupportedGroups(data: Uint8Array): number[] {
  const rd = new ByteReader(data, 'supported_groups');
  const list = decodeU16List(rd.vector(2, 'named_group_list', 2), 'supported_groups');
  rd.end();
  return list;
}

/** RFC 8422 §5.1.2: ECPointFormat ec_point_format_list<1..2^8-1>; only uncompressed remains. */
export function ecPointFormatsExtension(formats: readonly number[] = [EC_POINT_FORMAT_UNCOMPRESSED]): Extension {
  return { type: EXT_EC_POINT_FORMATS, data: new ByteWriter().vector(1, Uint8Array.from(formats)).finish() };
}

/** RFC 8422 §5.1.2: a peer that sends the extension must list uncompressed. */
export function checkEcPointFormats(data: Uint8Array): void {
  const rd = new ByteReader(data, 'ec_point_formats');
  const list = rd.vector(1, 'ec_point_format_list', 1);
  rd.end();
  if (!list.includes(EC_POINT_FORMAT_UNCOMPRESSED)) throw new DecodeError('ec_point_formats: uncompressed (0) is not listed');
}

/** RFC 5246 §7.4.1.4.1: SignatureAndHashAlgorithm supported_signature_algorithms<2..2^16-2>. */
export function signatureAlgorithmsExtension(schemes: readonly number[]): Extension {
  return { type: EXT_SIGNATURE_ALGORITHMS, data: new ByteWriter().vector(2, encodeU16List(schemes)).finish() };
}

export function decodeSignatureAlgorithms(data: Uint8Array): number[] {
  const rd = new ByteReader(data, 'signature_algorithms');
  const list = decodeU16List(rd.vector(2, 'supported_signature_algorithms', 2), 'signature_algorithms');
  rd.end();
  return list;
}

const typeCode = (t: CertificateTypeName) => CertificateType[t];
const typeName = (code: number): CertificateTypeName | undefined =>
  (Object.keys(CertificateType) as CertificateTypeName[]).find((t) => CertificateType[t] === code);

/** RFC 7250 §3: the client lists types (CertificateType types<1..2^8-1>); the server answers with one. */
export function certificateTypeListExtension(which: 'client' | 'server', types: readonly CertificateTypeName[]): Extension {
  const type = which === 'client' ? EXT_CLIENT_CERTIFICATE_TYPE : EXT_SERVER_CERTIFICATE_TYPE;
  return { type, data: new ByteWriter().vector(1, Uint8Array.from(types.map(typeCode))).finish() };
}

export function certificateTypeChoiceExtension(which: 'client' | 'server', chosen: CertificateTypeName): Extension {
  const type = which === 'client' ? EXT_CLIENT_CERTIFICATE_TYPE : EXT_SERVER_CERTIFICATE_TYPE;
  return { type, data: Uint8Array.of(typeCode(chosen)) };
}

/** The client's list; unknown types are kept out (the server simply cannot pick them). */
export function decodeCertificateTypeList(data: Uint8Array, what: string): CertificateTypeName[] {
  const rd = new ByteReader(data, what);
  const codes = rd.vector(1, 'certificate_types', 1);
  rd.end();
  return Array.from(codes)
    .map(typeName)
    .filter((t): t is CertificateTypeName => t !== undefined);
}

export function decodeCertificateTypeChoice(data: Uint8Array, what: string): number {
  if (data.length !== 1) throw new DecodeError(`${what}: ${data.length} bytes, a server sends exactly one certificate type`);
  return data[0]!;
}

export function certificateTypeByCode(code: number): CertificateTypeName | undefined {
  return typeName(code);
}

/** RFC 9146 §3: opaque cid<0..2^8-1>, the CID the sender wants in the records it receives. */
export function connectionIdExtension(cid: Uint8Array): Extension {
  return { type: EXT_CONNECTION_ID, data: new ByteWriter().vector(1, cid).finish() };
}

export function decodeConnectionId(data: Uint8Array, what: string): Uint8Array {
  const rd = new ByteReader(data, what);
  const cid = rd.vector(1, 'cid');
  rd.end();
  return cid;
}

/** RFC 8449 §4: uint16 RecordSizeLimit. */
export function recordSizeLimitExtension(limit: number): Extension {
  return { type: EXT_RECORD_SIZE_LIMIT, data: new ByteWriter().u16(limit).finish() };
}

/** A value below 64 is an illegal_parameter (RFC 8449 §4). */
export function decodeRecordSizeLimit(data: Uint8Array, what: string): number {
  const rd = new ByteReader(data, what);
  const limit = rd.u16('RecordSizeLimit');
  rd.end();
  if (limit < MIN_RECORD_SIZE_LIMIT) throw new ProtocolAlert('illegal_parameter', `${what}: RecordSizeLimit ${limit} is below ${MIN_RECORD_SIZE_LIMIT} (RFC 8449 §4)`);
  return limit;
}
