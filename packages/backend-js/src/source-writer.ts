/** Accumulates indented lines of generated source. */
export class SourceWriter {
  private readonly lines: string[] = [];
  private depth = 0;

  line(text: string): void {
    this.lines.push('  '.repeat(this.depth) + text);
  }

  /** `header {`, the body one level deeper, then `close` (`}`). */
  block(header: string, body: () => void, close = '}'): void {
    this.line(header ? `${header} {` : '{');
    this.depth++;
    body();
    this.depth--;
    this.line(close);
  }

  toString(): string {
    return this.lines.join('\n');
  }
}
