import { expect, it } from 'vitest';
import { BoundedCache } from '../src/bounded-cache.js';

it('evicts the least recently used entry and releases it', () => {
  const evicted: number[] = [];
  const cache = new BoundedCache<string, number>(2, (v) => evicted.push(v));
  cache.set('a', 1);
  cache.set('b', 2);
  expect(cache.get('a')).toBe(1); // 'b' is now the oldest
  cache.set('c', 3);
  expect(evicted).toEqual([2]);
  expect([cache.get('a'), cache.get('b'), cache.get('c'), cache.size]).toEqual([1, undefined, 3, 2]);
});
