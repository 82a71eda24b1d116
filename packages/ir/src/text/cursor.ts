import { ParseError } from '../errors.js';
import { parseNumber } from './numbers.js';

const BARE_NAME = /[A-Za-z0-9_.$]/;
const IDENT_START = /[A-Za-z_]/;
const IDENT = /[A-Za-z0-9_.]/;
const NUMBER_CHAR = /[A-Za-z0-9.+-]/;

/** Reads tokens from one line of the text form; every error carries the line and column. */
export class Cursor {
  pos = 0;
  constructor(
    readonly text: string,
    readonly line: number,
  ) {}

  error(reason: string, at = this.pos): ParseError {
    return new ParseError(reason, this.line, at + 1, this.text);
  }

  skipSpace(): void {
    while (this.pos < this.text.length && (this.text[this.pos] === ' ' || this.text[this.pos] === '\t'))
      this.pos++;
  }

  atEnd(): boolean {
    this.skipSpace();
    return this.pos >= this.text.length;
  }

  peek(): string {
    this.skipSpace();
    return this.text[this.pos] ?? '';
  }

  /** Consumes `token` if it comes next. */
  eat(token: string): boolean {
    this.skipSpace();
    if (this.text.startsWith(token, this.pos)) {
      this.pos += token.length;
      return true;
    }
    return false;
  }

  expect(token: string): void {
    if (!this.eat(token)) throw this.error(`expected '${token}'${this.describeNext()}`);
  }

  expectEnd(): void {
    if (!this.atEnd()) throw this.error(`unexpected '${this.text.slice(this.pos)}' at end of line`);
  }

  ident(what: string): string {
    this.skipSpace();
    const start = this.pos;
    if (!IDENT_START.test(this.text[this.pos] ?? ''))
      throw this.error(`expected ${what}${this.describeNext()}`);
    while (this.pos < this.text.length && IDENT.test(this.text[this.pos]!)) this.pos++;
    return this.text.slice(start, this.pos);
  }

  /** A bare name ([A-Za-z0-9_.$]+) or a JSON string. */
  name(what: string): string {
    this.skipSpace();
    if (this.text[this.pos] === '"') return this.string();
    const start = this.pos;
    while (this.pos < this.text.length && BARE_NAME.test(this.text[this.pos]!)) this.pos++;
    if (start === this.pos) throw this.error(`expected ${what}${this.describeNext()}`);
    return this.text.slice(start, this.pos);
  }

  string(): string {
    this.skipSpace();
    const start = this.pos;
    if (this.text[this.pos] !== '"') throw this.error(`expected a string${this.describeNext()}`);
    let i = this.pos + 1;
    while (i < this.text.length && this.text[i] !== '"') i += this.text[i] === '\\' ? 2 : 1;
    if (i >= this.text.length) throw this.error('unterminated string', start);
    this.pos = i + 1;
    try {
      return JSON.parse(this.text.slice(start, this.pos)) as string;
    } catch {
      throw this.error('invalid string escape', start);
    }
  }

  number(what = 'a number'): number {
    this.skipSpace();
    const start = this.pos;
    while (this.pos < this.text.length && NUMBER_CHAR.test(this.text[this.pos]!)) this.pos++;
    const v = parseNumber(this.text.slice(start, this.pos));
    if (v === undefined) {
      this.pos = start;
      throw this.error(`expected ${what}${this.describeNext()}`);
    }
    return v;
  }

  integer(what: string): number {
    this.skipSpace();
    const start = this.pos;
    const v = this.number(what);
    if (!Number.isInteger(v)) throw this.error(`expected ${what}, got ${v}`, start);
    return v;
  }

  /** Items separated by commas up to `close` (the opening token was consumed). */
  list<T>(close: string, item: () => T): T[] {
    const out: T[] = [];
    if (this.eat(close)) return out;
    do out.push(item());
    while (this.eat(','));
    this.expect(close);
    return out;
  }

  private describeNext(): string {
    this.skipSpace();
    return this.pos < this.text.length
      ? `, found '${this.text.slice(this.pos, this.pos + 12)}'`
      : ', found end of line';
  }
}
