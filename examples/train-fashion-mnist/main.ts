/**
 * Fashion-MNIST with a 784-256-10 MLP and Adam: `npm run train [-- --backend c|wasm|wgsl|js]
 * [--epochs 2] [--batch 128] [--lr 5e-4] [--steps N]`. One compiled program per step (forward, backward, Adam
 * update), parameters and optimizer state donated so the step updates them in place.
 */
import { type Backend, getBackend } from '@paradox/backend';
import '@paradox/backend-c';
import '@paradox/backend-js';
import '@paradox/backend-wasm';
import { jit } from '@paradox/jit';
import { adam, trainStep } from '@paradox/optim';
import type { Tensor } from '@paradox/tracer';
import { CLASSES, loadFashionMnist, PIXELS, type Split } from './src/fashion-mnist.js';
import { initParams, loss, onBackend, type Params, predict, seeded } from './src/model.js';
import { ProgressBar } from './src/progress.js';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

async function chooseBackend(name: string | undefined): Promise<Backend> {
  if (name === 'wgsl') await import('@paradox/backend-wgsl');
  return getBackend(name);
}

/** Test accuracy in batches of 1000 (one compiled prediction program). */
async function accuracy(backend: Backend, params: Params, test: Split): Promise<number> {
  const run = jit(predict, { backend: backend.name });
  const rows = 1000;
  let correct = 0;
  for (let start = 0; start + rows <= test.count; start += rows) {
    const x = onBackend(backend, test.images.subarray(start * PIXELS, (start + rows) * PIXELS), [
      rows,
      PIXELS,
    ]);
    const predicted = await run(params, x).data();
    for (let i = 0; i < rows; i++) if (predicted[i] === test.labels[start + i]) correct++;
    x.dispose();
  }
  return correct / test.count;
}

async function main(): Promise<void> {
  const backend = await chooseBackend(
    process.argv.includes('--backend') ? option('backend', 'js') : undefined,
  );
  const epochs = Number(option('epochs', '2'));
  const batch = Number(option('batch', '128'));
  const lr = Number(option('lr', '5e-4'));
  const loadStart = performance.now();
  const { train, test } = loadFashionMnist();
  console.log(
    `Fashion-MNIST: ${train.count} training, ${test.count} test images (loaded in ${((performance.now() - loadStart) / 1000).toFixed(1)} s); ` +
      `MLP ${PIXELS}-256-${CLASSES}, Adam lr ${lr}, batch ${batch}, backend '${backend.name}'`,
  );
  const optimizer = adam({ learningRate: lr });
  let params = initParams(backend);
  let state = optimizer.init(params);
  const step = trainStep(loss, optimizer, { backend: backend.name });
  // A fixed batch shape: the last partial batch is dropped. --steps N stops an epoch early (smoke runs).
  const steps = Math.min(Math.floor(train.count / batch), Number(option('steps', 'Infinity')));
  const order = Int32Array.from({ length: train.count }, (_, i) => i);
  const random = seeded(7);
  const xs = new Float32Array(batch * PIXELS);
  const ys = new Float32Array(batch * CLASSES);
  const epochTimes: number[] = [];
  for (let epoch = 1; epoch <= epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const bar = new ProgressBar(`epoch ${epoch}/${epochs}`, steps);
    let recent = 0;
    let recentCount = 0;
    for (let s = 0; s < steps; s++) {
      ys.fill(0);
      for (let r = 0; r < batch; r++) {
        const row = order[s * batch + r]!;
        xs.set(train.images.subarray(row * PIXELS, (row + 1) * PIXELS), r * PIXELS);
        ys[r * CLASSES + train.labels[row]!] = 1;
      }
      const x = onBackend(backend, xs, [batch, PIXELS]);
      const y = onBackend(backend, ys, [batch, CLASSES]);
      let value: Tensor;
      [value, params, state] = step(params, state, x, y);
      // An asynchronous backend (wgsl) may still read the batch: wait for the step before freeing it.
      if (!backend.capabilities.sync) await value.data();
      x.dispose();
      y.dispose();
      // Reading the loss waits for the step; every 10th is enough for the bar.
      if (s % 10 === 9 || s === steps - 1) {
        recent += (await value.data())[0]!;
        recentCount++;
        const rate = ((s + 1) * batch) / bar.seconds;
        bar.update(s + 1, `loss ${(recent / recentCount).toFixed(4)}  ${rate.toFixed(0)} images/s`);
        if (recentCount === 10) [recent, recentCount] = [0, 0];
      }
      value.dispose();
    }
    const seconds = bar.seconds;
    epochTimes.push(seconds);
    bar.finish(`${seconds.toFixed(1)} s, ${((steps * batch) / seconds).toFixed(0)} images/s`);
    const acc = await accuracy(backend, params, test);
    console.log(`epoch ${epoch}: test accuracy ${(acc * 100).toFixed(2)}%, ${seconds.toFixed(1)} s`);
  }
  const info = step.inspect();
  console.log(
    `compiled step: ${info.kernelCount} kernels on '${info.backend}', ${step.cacheInfo().traces} trace(s); ` +
      `mean epoch ${(epochTimes.reduce((a, b) => a + b, 0) / epochTimes.length).toFixed(1)} s`,
  );
}

await main();
