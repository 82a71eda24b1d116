import { getBackend } from '@paradox/backend';
import { jit, jsBackend, type Tensor, tensor } from '@paradox/core';
import { describe, expect, it } from 'vitest';

describe('@paradox/core', () => {
  it('registers the JS backend as the default on import', () => {
    expect(getBackend()).toBe(jsBackend);
  });

  it("runs the README's jitted layer", () => {
    const layer = jit((x: Tensor, w: Tensor, b: Tensor) => x.matmul(w).add(b).relu());
    // [1,2]@[[1],[-1]] = -1, + 0.5 = -0.5, relu -> 0; [3,1]@... = 2 + 0.5 = 2.5
    const y = layer(
      tensor([
        [1, 2],
        [3, 1],
      ]),
      tensor([[1], [-1]]),
      tensor([0.5]),
    );
    expect(y.shape).toEqual([2, 1]);
    expect(Array.from(y.dataSync())).toEqual([0, 2.5]);
  });
});
