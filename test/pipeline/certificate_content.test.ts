import { describe, expect, it } from 'vitest';
import { transcriptFor } from '../../src/pipeline/run_scenario.js';
import { InputError } from '../../src/scenario/errors.js';
import { loadScenario } from '../../src/scenario/load_scenario.js';
import { MINIMAL_SCENARIO, tempScenario } from '../helpers/cli.js';

const certFlightBytes = (certificates: string) => {
  const s = loadScenario(tempScenario(MINIMAL_SCENARIO + `auth: cert\ncertificates: ${certificates}\n`));
  const t = transcriptFor(s.variants[0]!, s.seed);
  return t.flights.find((f) => f.messages.some((m) => m.startsWith('Certificate')))!.bytes;
};

describe('certificates.subject: the leaf content a deployment really carries', () => {
  it('more names, an OU, a country, policies and a CRL URL make the server flight larger by what they add', () => {
    const plain = certFlightBytes('{ chain_depth: 1 }');
    const rich = certFlightBytes(
      '{ chain_depth: 1, subject: { organizational_unit: Metering, country: DE, dns_names: [a.example.com, b.example.com, c.example.com], ' +
        'certificate_policies: { policy_oids: [1.3.6.1.4.1.99999.1], cps_uri: "https://pki.example.com/cps" }, crl_distribution_point: "http://pki.example.com/ca.crl" } }',
    );
    // OU (~17 B) + C (~11 B) + two more dNSNames (~32 B) + policies with a CPS (~60 B) + CRL DP (~45 B).
    expect(rich - plain).toBeGreaterThan(120);
    expect(rich - plain).toBeLessThan(260);
  });

  it('refuses a malformed country or OID naming the field', () => {
    const bad = (subject: string) => () => loadScenario(tempScenario(MINIMAL_SCENARIO + `auth: cert\ncertificates: { subject: ${subject} }\n`));
    expect(bad('{ country: Germany }')).toThrow(InputError);
    expect(bad('{ country: Germany }')).toThrow(/certificates\.subject\.country: .*two capital letters/);
    expect(bad('{ certificate_policies: { policy_oids: [abc] } }')).toThrow(/certificates\.subject\.certificate_policies\.policy_oids\[0\]: got "abc": a dotted OID/);
  });
});
