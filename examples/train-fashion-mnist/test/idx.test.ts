import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadFashionMnist, PIXEL_MEAN, PIXEL_STD } from '../src/fashion-mnist.js';
import { IdxFormatError, parseIdx, readIdx } from '../src/idx.js';

/** IDX bytes: magic 0,0,0x08,rank; big-endian u32 dims; the elements. */
function idxBytes(shape: number[], data: number[]): Uint8Array {
  const header = new Uint8Array(4 + 4 * shape.length);
  header.set([0, 0, 0x08, shape.length]);
  const view = new DataView(header.buffer);
  shape.forEach((d, i) => {
    view.setUint32(4 + 4 * i, d, false);
  });
  return new Uint8Array([...header, ...data]);
}

describe('IDX loader', () => {
  const dir = mkdtempSync(join(tmpdir(), 'idx-'));

  it('reads a raw and a gzipped file the test writes', () => {
    const pixels = Array.from({ length: 2 * 3 * 4 }, (_, i) => (i * 37) % 256);
    writeFileSync(join(dir, 'images.idx'), idxBytes([2, 3, 4], pixels));
    writeFileSync(join(dir, 'labels.idx.gz'), gzipSync(idxBytes([2], [7, 1])));
    const images = readIdx(join(dir, 'images.idx'));
    expect(images.shape).toEqual([2, 3, 4]);
    expect(Array.from(images.data)).toEqual(pixels);
    const labels = readIdx(join(dir, 'labels.idx.gz'));
    expect(labels.shape).toEqual([2]);
    expect(Array.from(labels.data)).toEqual([7, 1]);
    // Dimensions above 255 use every byte of the big-endian u32.
    expect(parseIdx(idxBytes([258], new Array(258).fill(3))).shape).toEqual([258]);
  });

  it('loads a Fashion-MNIST directory: pixels standardized, labels as bytes', () => {
    const sub = mkdtempSync(join(tmpdir(), 'fmnist-'));
    const pixels = (n: number) => Array.from({ length: n * 784 }, (_, i) => (i % 2 === 0 ? 255 : 51));
    writeFileSync(join(sub, 'train-images-idx3-ubyte.gz'), gzipSync(idxBytes([3, 28, 28], pixels(3))));
    writeFileSync(join(sub, 'train-labels-idx1-ubyte.gz'), gzipSync(idxBytes([3], [9, 0, 4])));
    writeFileSync(join(sub, 't10k-images-idx3-ubyte.gz'), gzipSync(idxBytes([1, 28, 28], pixels(1))));
    writeFileSync(join(sub, 't10k-labels-idx1-ubyte.gz'), gzipSync(idxBytes([1], [2])));
    const { train, test } = loadFashionMnist(sub);
    expect(train.count).toBe(3);
    expect(Array.from(train.labels)).toEqual([9, 0, 4]);
    expect(train.images[0]).toBeCloseTo((1 - PIXEL_MEAN) / PIXEL_STD, 6);
    expect(train.images[1]).toBeCloseTo((0.2 - PIXEL_MEAN) / PIXEL_STD, 6);
    expect(test.images.length).toBe(784);
    writeFileSync(join(sub, 't10k-labels-idx1-ubyte.gz'), gzipSync(idxBytes([2], [2, 3])));
    expect(() => loadFashionMnist(sub)).toThrow(/2 labels for 1 images/);
  });

  it('rejects malformed files with a typed error naming the problem', () => {
    expect(() => parseIdx(new Uint8Array([0, 0]))).toThrow(IdxFormatError);
    expect(() => parseIdx(new Uint8Array([1, 0, 8, 1, 0, 0, 0, 0]))).toThrow(/bad magic/);
    expect(() => parseIdx(new Uint8Array([0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0]))).toThrow(
      /element type 0xd/,
    );
    expect(() => parseIdx(idxBytes([2, 2], [1, 2, 3]))).toThrow(/holds 4 elements, the file has 3/);
    expect(() => parseIdx(new Uint8Array([0, 0, 8, 2, 0, 0]))).toThrow(/rank 2 needs a 12-byte header/);
  });
});
