/** The input-shapes field: `16x64, 64` is two inputs, a [16,64] matrix and a [64] vector. */

export class ShapeSyntaxError extends Error {
  override readonly name = 'ShapeSyntaxError';
  constructor(
    readonly text: string,
    readonly position: number,
    detail: string,
  ) {
    super(`input shape ${position + 1} ('${text}'): ${detail}`);
  }
}

export function parseShapes(text: string): number[][] {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length === 1 && parts[0] === '') return [];
  return parts.map((part, position) => {
    if (part === '' || part === '[]') return [];
    return part.split(/x|\*/).map((d) => {
      const n = Number(d.trim());
      if (!Number.isInteger(n) || n < 1 || n > 1 << 24)
        throw new ShapeSyntaxError(part, position, `dimension '${d.trim()}' is not an integer in 1..2^24`);
      return n;
    });
  });
}
