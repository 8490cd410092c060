import { DecodeError } from '../common/bytes.js';
import type { HandshakeFragment } from './handshake_header.js';

/**
 * Collects the fragments of one handshake message (RFC 6347 §4.2.3). Fragments may arrive
 * out of order, overlap or repeat; the message is complete when every byte is covered.
 */
export class MessageReassembly {
  private readonly body: Uint8Array;
  private readonly have: Uint8Array;
  private missing: number;

  constructor(
    readonly msg_type: number,
    readonly length: number,
    readonly message_seq: number,
  ) {
    this.body = new Uint8Array(length);
    this.have = new Uint8Array(length);
    this.missing = length;
  }

  /** Adds a fragment; returns the whole body once complete, else null. */
  add(f: HandshakeFragment): Uint8Array | null {
    if (f.msg_type !== this.msg_type || f.length !== this.length)
      throw new DecodeError(
        `handshake: fragment of message_seq ${f.message_seq} says type ${f.msg_type}/length ${f.length}, earlier fragments said ${this.msg_type}/${this.length}`,
      );
    for (let i = 0; i < f.body.length; i++) {
      const at = f.fragment_offset + i;
      if (this.have[at] === 0) {
        this.have[at] = 1;
        this.missing--;
      } else if (this.body[at] !== f.body[i]) {
        throw new DecodeError(`handshake: overlapping fragments of message_seq ${f.message_seq} disagree at byte ${at}`);
      }
      this.body[at] = f.body[i]!;
    }
    return this.missing === 0 ? this.body : null;
  }
}

export function checkFragmentBounds(f: HandshakeFragment): void {
  if (f.fragment_offset + f.body.length > f.length)
    throw new DecodeError(
      `handshake: fragment [${f.fragment_offset}, +${f.body.length}) of message_seq ${f.message_seq} runs past its length ${f.length}`,
    );
  if (f.body.length === 0 && f.length !== 0)
    throw new DecodeError(`handshake: empty fragment of a ${f.length}-byte message (message_seq ${f.message_seq})`);
}
