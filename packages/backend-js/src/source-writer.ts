/** Accumulates indented lines of generated source. */
export class SourceWriter {
  private readonly lines: string[] = [];
  private depth = 0;

  line(text: string): void {
    this.lines.push('  '.repeat(this.depth) + text);
  }

  /** `header {`, the body one level deeper, `}`. */
  block(header: string, body: () => void): void {
    this.line(header ? `${header} {` : '{');
    this.depth++;
    body();
    this.depth--;
    this.line('}');
  }

  toString(): string {
    return this.lines.join('\n');
  }
}
