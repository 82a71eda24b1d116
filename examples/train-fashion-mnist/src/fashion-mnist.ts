import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { IdxFormatError, readIdx } from './idx.js';

/** Where Debian's `dataset-fashion-mnist` package installs the data set. */
export const DEBIAN_DIR = '/usr/share/datasets/fashion-mnist';

/** Mean and standard deviation of Fashion-MNIST's training pixels (in [0, 1]): inputs are standardized. */
export const PIXEL_MEAN = 0.286;
export const PIXEL_STD = 0.353;

export interface Split {
  /** count x 784 pixels, standardized: (p / 255 - PIXEL_MEAN) / PIXEL_STD. */
  images: Float32Array;
  labels: Uint8Array;
  count: number;
}

export const PIXELS = 28 * 28;
export const CLASSES = 10;

function split(dir: string, prefix: 'train' | 't10k'): Split {
  const images = readIdx(join(dir, `${prefix}-images-idx3-ubyte.gz`));
  const labels = readIdx(join(dir, `${prefix}-labels-idx1-ubyte.gz`));
  const [count, rows, columns] = images.shape;
  if (images.shape.length !== 3 || rows! * columns! !== PIXELS)
    throw new IdxFormatError(prefix, `images have shape [${images.shape.join(', ')}], expected [n, 28, 28]`);
  if (labels.shape.length !== 1 || labels.shape[0] !== count)
    throw new IdxFormatError(prefix, `${labels.shape[0]} labels for ${count} images`);
  const pixels = new Float32Array(images.data.length);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (images.data[i]! / 255 - PIXEL_MEAN) / PIXEL_STD;
  return { images: pixels, labels: labels.data, count: count! };
}

/** The training (60,000) and test (10,000) splits, or an error that says how to install them. */
export function loadFashionMnist(dir = DEBIAN_DIR): { train: Split; test: Split } {
  if (!existsSync(join(dir, 'train-images-idx3-ubyte.gz')))
    throw new Error(
      `Fashion-MNIST not found in ${dir}: apt-get install dataset-fashion-mnist (scripts/setup.sh does)`,
    );
  return { train: split(dir, 'train'), test: split(dir, 't10k') };
}
