import { expect, it } from 'vitest';
import { EagerExecutionError, getEagerExecutor, tensor, zeros } from '../src/index.js';
import './inject-lowering.js';

// No backend package is imported in this file, so the registry is empty.
it('the default eager path needs a backend and names the package to import', () => {
  expect(getEagerExecutor().name).toBe('backend');
  expect(() => tensor([1, 2])).toThrow(EagerExecutionError);
  expect(() => zeros([2])).toThrow(/import '@paradox\/backend-js'/);
});
