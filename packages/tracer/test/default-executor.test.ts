import '@paradox/backend-js';
import { lowerGraph } from '@paradox/pass-lower';
import { afterEach, expect, it } from 'vitest';
import {
  backendExecutor,
  EagerExecutionError,
  getEagerExecutor,
  setEagerExecutor,
  setEagerLowering,
  tensor,
} from '../src/index.js';

// With @paradox/backend-js registered: the tracer imports no lowering pass: eager ops run on the reference interpreter until one is
// injected (as @paradox/jit does), then on the registered backend.
afterEach(() => {
  setEagerLowering(undefined);
});

it('runs eager ops on the reference interpreter when no lowering is injected', () => {
  expect(getEagerExecutor().name).toBe('interpreter');
  const y = tensor([1, -2, 3]).mul(2).relu();
  expect(y.storage('test').kind).toBe('host');
  expect(Array.from(y.dataSync())).toEqual([2, 0, 6]);
});

it('runs eager ops on the registered backend once a lowering is injected', () => {
  setEagerLowering(lowerGraph);
  expect(getEagerExecutor().name).toBe('backend');
  const y = tensor([1, -2, 3]).mul(2).relu();
  const storage = y.storage('test');
  expect(storage.kind === 'device' && storage.backend.name).toBe('js');
  expect(Array.from(y.dataSync())).toEqual([2, 0, 6]);
});

it('the backend executor without a lowering names what to import', () => {
  const previous = setEagerExecutor(backendExecutor);
  try {
    expect(() => tensor([1, 2]).add(1)).toThrow(EagerExecutionError);
    expect(() => tensor([1, 2]).add(1)).toThrow(/import '@paradox\/jit'/);
  } finally {
    setEagerExecutor(previous);
  }
});
