import type { BudgetRow, Report, VariantReport } from './report_types.js';
import { LOWER_LIMIT_METRICS } from './budgets.js';

function num(x: number | null, digits = 3): string {
  if (x === null) return '-';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1000) return x.toFixed(0);
  return Number(x.toPrecision(digits)).toString();
}

function ms(x: number | null): string {
  if (x === null) return '-';
  return x >= 10_000 ? `${num(x / 1000)} s` : `${num(x)} ms`;
}

function table(headers: string[], rows: string[][], rightAlign: boolean[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (rightAlign[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function lossText(v: VariantReport): string {
  const one = (p: VariantReport['link']['loss']['client_to_server'], mean: number) =>
    p.model === 'bernoulli' ? `loss ${p.frame_loss}` : `bursty loss, mean ${num(mean)}`;
  const m = v.link.mean_frame_loss;
  const up = one(v.link.loss.client_to_server, m.client_to_server);
  const down = one(v.link.loss.server_to_client, m.server_to_client);
  return up === down ? up : `client to server ${up}, server to client ${down}`;
}

/** What else shapes the link, when it differs from a plain always-listening one. */
function linkExtras(v: VariantReport): string {
  const l = v.link;
  const parts: string[] = [];
  const dc = l.duty_cycle;
  const pct = (x: number) => `${Number((100 * x).toPrecision(3))} %`;
  if (dc.client_to_server < 1 || dc.server_to_client < 1)
    parts.push(dc.client_to_server === dc.server_to_client ? `duty cycle ${pct(dc.client_to_server)}` : `duty cycle ${pct(dc.client_to_server)} up, ${pct(dc.server_to_client)} down`);
  if (l.mac) parts.push(`link ACKs (${l.mac.access}${l.mac.connection_interval_ms !== null ? `, interval ${l.mac.connection_interval_ms} ms` : ''})`);
  if (l.data_length_extension === false) parts.push('no DLE');
  if (l.coverage !== null) parts.push(`coverage ${l.coverage}`);
  if (l.radio_listen === 'duty-cycled') parts.push('duty-cycled listening');
  return parts.map((p) => `, ${p}`).join('');
}

function summary(vs: VariantReport[]): string {
  const headers = ['variant', 'success', 'time p50', 'time p95', 'time max', 'client mAh p95', 'server mAh p95', 'on-air B p95', 'retx p95', 'heap client', 'heap server'];
  const rows = vs.map((v) => [
    v.name,
    `${(100 * v.success_rate).toFixed(2)}%`,
    ms(v.time_ms.p50),
    ms(v.time_ms.p95),
    ms(v.time_ms.max),
    num(v.energy_mAh.client.p95),
    num(v.energy_mAh.server.p95),
    num(v.bytes_on_air.p95),
    num(v.retransmissions.p95),
    String(v.peak_heap_bytes.client),
    String(v.peak_heap_bytes.server),
  ]);
  return table(headers, rows, [false, ...headers.slice(1).map(() => true)]);
}

function flights(v: VariantReport): string {
  const rows = v.flights.map((f) => [String(f.index), f.from, f.messages.join(', '), String(f.datagrams), String(f.bytes), String(f.frames), String(f.bytes_on_air)]);
  return table(['#', 'from', 'messages', 'datagrams', 'bytes', 'frames', 'on air B'], rows, [true, false, false, true, true, true, true]);
}

function ops(v: VariantReport): string {
  const rows = v.ops.map((o) => [o.endpoint, o.op, String(o.count), o.engine, ms(o.time_ms), num(o.energy_mJ)]);
  return table(['endpoint', 'op', 'count', 'engine', 'time', 'energy mJ'], rows, [false, false, true, false, true, true]);
}

/** One line per endpoint: peak heap and when, what stays after the handshake, stack depth, code size. */
function memory(v: VariantReport): string[] {
  return (['client', 'server'] as const).map((role) => {
    const h = v.heap[role];
    const f = v.footprint[role];
    const stack = h.peak_stack_bytes === null ? 'stack not published' : `stack ${h.peak_stack_bytes} B (${h.peak_stack_op})`;
    const flash = f.flash_bytes === null ? `flash not published (${f.missing.join(', ')})` : `flash ${f.flash_bytes} B`;
    const gaps = h.not_modelled.length > 0 ? `; not modelled: ${h.not_modelled.join(', ')}` : '';
    return `memory ${role}: peak heap ${h.peak_heap_bytes} B at flight ${h.peak_step}, after the handshake ${h.steady_state_heap_bytes} B + shared ${h.shared_bytes} B; ${stack}; ${flash}${gaps}`;
  });
}

function budgets(rows: BudgetRow[]): string {
  return rows
    .map((b) => {
      const cmp = LOWER_LIMIT_METRICS.has(b.metric) ? '>=' : '<=';
      return `  ${b.pass ? 'PASS' : 'FAIL'}  ${b.variant}: ${b.metric} = ${b.value === null ? 'no value' : num(b.value, 6)} (limit ${cmp} ${b.limit})`;
    })
    .join('\n');
}

function resumption(v: VariantReport): string[] {
  const r = v.resumption;
  if (!r) return [];
  const ms = (x: number | null) => (x === null ? 'n/a' : `${num(x, 4)} ms`);
  const mJ = (x: number | null) => (x === null ? 'n/a' : `${num(x, 4)} mJ`);
  return [
    '',
    `resumption by ${r.mode}, ${r.count} after the full handshake: each ${r.flights.map((f) => f.messages.join('+')).join(' | ')}`,
    `  one resumed handshake: success ${num(100 * r.success_rate, 4)} %, time mean ${ms(r.time_ms.mean)} p95 ${ms(r.time_ms.p95)}, ` +
      `energy client ${mJ(r.energy_mJ.client.mean)} server ${mJ(r.energy_mJ.server.mean)}, ${r.bytes_on_air.lossless} B on air lossless, ` +
      `crypto client ${ms(r.crypto_time_ms.client)} server ${ms(r.crypto_time_ms.server)}`,
    `  full + ${r.count} resumptions: all completed in ${num(100 * r.total.success_rate, 4)} % of trials, time mean ${ms(r.total.time_ms.mean)} p95 ${ms(r.total.time_ms.p95)}, ` +
      `energy client ${mJ(r.total.energy_mJ.client.mean)} server ${mJ(r.total.energy_mJ.server.mean)}`,
  ];
}

export function formatTable(report: Report): string {
  const parts = [`handshake-sim ${report.tool.version}: ${report.scenario} (seed ${report.seed}, ${report.trials} trials per variant)`, '', summary(report.variants)];
  for (const v of report.variants) {
    parts.push(
      '',
      `${v.name}: ${v.protocol} ${v.auth} ${v.cipher_suite}; client ${v.client.device}/${v.client.stack}, server ${v.server.device}/${v.server.stack}; link ${v.link.profile} (${lossText(v)}, mtu ${v.link.mtu_bytes} B${linkExtras(v)})`,
      flights(v),
      '',
      ops(v),
      '',
      ...memory(v),
      ...resumption(v),
      ...v.warnings.map((w) => `warning: ${w}`),
    );
  }
  if (report.budgets.length > 0) {
    const failed = report.budgets.filter((b) => !b.pass).length;
    parts.push('', `Budgets: ${failed === 0 ? 'all pass' : `${failed} exceeded`}`, budgets(report.budgets));
  }
  return parts.join('\n') + '\n';
}
