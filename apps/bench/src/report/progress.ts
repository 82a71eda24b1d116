/** A one-line progress bar on stderr (redrawn in place on a TTY, plain lines otherwise). */
export class Progress {
  private done = 0;
  private label = '';
  private readonly started = performance.now();
  private lastDraw = 0;

  constructor(
    private total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly width = 30,
  ) {}

  get isTTY(): boolean {
    return Boolean(this.stream.isTTY);
  }

  setTotal(total: number): void {
    this.total = total;
  }

  /** Starts a step: shows its label. */
  start(label: string): void {
    this.label = label;
    if (this.isTTY) this.draw(true);
    else this.stream.write(`[${this.done + 1}/${this.total}] ${label}\n`);
  }

  /** Marks some activity inside the step (redraw throttled). */
  tick(): void {
    if (this.isTTY) this.draw(false);
  }

  /** Finishes a step. */
  step(): void {
    this.done = Math.min(this.total, this.done + 1);
    if (this.isTTY) this.draw(true);
  }

  finish(): void {
    if (this.isTTY) this.stream.write('\r\x1b[2K');
    const s = ((performance.now() - this.started) / 1000).toFixed(1);
    this.stream.write(`done: ${this.done}/${this.total} steps in ${s} s\n`);
  }

  /** Prints a message line above the bar. */
  log(message: string): void {
    if (this.isTTY) this.stream.write('\r\x1b[2K');
    this.stream.write(message + '\n');
    if (this.isTTY) this.draw(true);
  }

  private draw(force: boolean): void {
    const now = performance.now();
    if (!force && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const cols = this.stream.columns ?? 100;
    this.stream.write(
      '\r\x1b[2K' +
        renderBar(this.done, this.total, this.width, this.label, (now - this.started) / 1000).slice(
          0,
          cols - 1,
        ),
    );
  }
}

/** `[#####.....]  12/40  35.2s  label` — pure, for tests. */
export function renderBar(
  done: number,
  total: number,
  width: number,
  label: string,
  seconds: number,
): string {
  const frac = total > 0 ? Math.min(1, done / total) : 0;
  const filled = Math.round(frac * width);
  const spin = '|/-\\'[Math.floor(seconds * 4) % 4];
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(done).padStart(String(total).length)}/${total} ${spin} ${seconds.toFixed(1)}s  ${label}`;
}
