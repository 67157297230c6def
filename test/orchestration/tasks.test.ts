import { describe, expect, it } from '@jest/globals';
import { batchesOf } from '../../lib/orchestration/tasks.js';

describe('batchesOf', () => {
  it.each([
    [[], 20, []],
    [['a'], 20, [['a']]],
    [['a', 'b', 'c', 'd', 'e'], 2, [['a', 'b'], ['c', 'd'], ['e']]],
    [['a', 'b'], 1, [['a'], ['b']]],
  ])('splits %j into batches of %i, in order: %j', (names, size, batches) => {
    // Act
    const split = batchesOf(names, size);
    // Assess
    expect(split).toEqual(batches);
  });
});
