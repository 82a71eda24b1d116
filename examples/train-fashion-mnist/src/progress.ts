/** A one-line progress bar on a TTY (a line per update elsewhere, e.g. CI logs: every 10%). */
export class ProgressBar {
  private readonly start = performance.now();
  private lastPrinted = -1;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly out: NodeJS.WriteStream = process.stdout,
  ) {}

  /** `done` of `total` items; `extra` is appended (loss, throughput). */
  update(done: number, extra: string): void {
    const fraction = done / this.total;
    if (this.out.isTTY) {
      const width = 30;
      const filled = Math.round(fraction * width);
      this.out.write(
        `\r${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${extra}`,
      );
      return;
    }
    const decile = Math.floor(fraction * 10);
    if (decile > this.lastPrinted) {
      this.lastPrinted = decile;
      this.out.write(`${this.label} ${(fraction * 100).toFixed(0).padStart(3)}% ${extra}\n`);
    }
  }

  /** Seconds since the bar started. */
  get seconds(): number {
    return (performance.now() - this.start) / 1000;
  }

  finish(extra: string): void {
    this.update(this.total, extra);
    if (this.out.isTTY) this.out.write('\n');
  }
}
