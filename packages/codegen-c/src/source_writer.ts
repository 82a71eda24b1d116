/** An indented list of source lines that nests: a block can be rendered apart, then appended. */
export class Lines {
  private readonly lines: { depth: number; text: string }[] = [];
  private depth = 0;

  push(...lines: string[]): this {
    for (const text of lines) this.lines.push({ depth: this.depth, text });
    return this;
  }

  /** Opens a brace block (`header {`), runs `body` one level deeper, closes it. */
  block(header: string, body: () => void): this {
    this.push(`${header} {`);
    this.depth++;
    body();
    this.depth--;
    this.push('}');
    return this;
  }

  /** Appends the lines of `other` at the current indentation. */
  append(other: Lines): this {
    for (const l of other.lines) this.lines.push({ depth: this.depth + l.depth, text: l.text });
    return this;
  }

  get length(): number {
    return this.lines.length;
  }

  text(): string {
    return this.lines.map((l) => (l.text === '' ? '' : '  '.repeat(l.depth) + l.text)).join('\n');
  }
}
