import { performance } from 'node:perf_hooks';

interface Sink {
  isTTY?: boolean;
  write(s: string): unknown;
}

/**
 * A one-line progress indicator on stderr, for runs longer than a second and only when stderr
 * is a terminal: pipes, files and CI logs get nothing. The clock is read for this display
 * only; results never depend on it.
 */
export class Progress {
  private readonly started: number;
  private lastDraw = -Infinity;
  private drawn = false;

  constructor(
    private readonly sink: Sink = process.stderr,
    private readonly now: () => number = () => performance.now(),
    private readonly enabled: boolean = sink.isTTY === true,
  ) {
    this.started = now();
  }

  update(label: string, done: number, total: number): void {
    if (!this.enabled) return;
    const t = this.now();
    if (t - this.started < 1000 || t - this.lastDraw < 100) return;
    this.lastDraw = t;
    this.drawn = true;
    this.sink.write(`\r\x1b[K${label}: ${done}/${total} trials (${Math.floor((100 * done) / total)}%)`);
  }

  /** Clears the line, so the report starts on a clean one. */
  finish(): void {
    if (this.drawn) this.sink.write('\r\x1b[K');
    this.drawn = false;
  }
}
