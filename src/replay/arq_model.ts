import { airtime_ms } from '../link/link_frame.js';
import { InputError } from '../scenario/errors.js';
import type { LinkParameters } from '../scenario/load_scenario.js';
import type { ArqModel } from './link_arq.js';

const us = (x: number) => x / 1000;

/** The link's acknowledgement and retry behaviour from its profile's `mac:` section and the scenario's switches; null when off. */
export function arqModel(link: LinkParameters): ArqModel | null {
  const mac = link.profile.mac;
  if (!mac || !link.mac.on) return null;
  const field = (key: string): number => {
    const f = mac.timing[key];
    if (!f) throw new InputError(`link profile ${link.profile.id}: mac.timing.${key} is missing; access ${mac.access} needs it`);
    return f.value;
  };
  const ackBytes = field('ack_frame_bytes');
  const ackAirtime_ms = mac.timing.ack_airtime_us ? us(field('ack_airtime_us')) : airtime_ms(ackBytes, link.bitrate_bps);
  return {
    access: mac.access,
    max_frame_retries: mac.access === 'connection-events' ? Infinity : link.mac.max_frame_retries ?? field('max_frame_retries'),
    turnaround_ms: us(field('turnaround_us')),
    ack: { airtime_ms: ackAirtime_ms, bytes: ackBytes },
    ack_wait_ms: us(field('ack_wait_us')),
    csma:
      mac.access === 'csma-ca'
        ? {
            unit_backoff_ms: us(field('unit_backoff_us')),
            min_be: field('min_be'),
            max_be: field('max_be'),
            max_csma_backoffs: field('max_csma_backoffs'),
            cca_ms: us(field('cca_us')),
            cca_busy: link.mac.cca_busy ?? field('cca_busy'),
          }
        : null,
    dcf: mac.access === 'dcf' ? { difs_ms: us(field('difs_us')), slot_ms: us(field('slot_us')), cw_min: field('cw_min'), cw_max: field('cw_max') } : null,
    connection:
      mac.access === 'connection-events'
        ? { interval_ms: link.connection_interval_ms ?? field('connection_interval_ms'), supervision_timeout_ms: field('supervision_timeout_ms') }
        : null,
  };
}
