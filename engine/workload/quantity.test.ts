import { describe, expect, it } from 'vitest';
import { acceleratorCount } from './quantity.js';

describe('accelerator quantities', () => {
  it.each<[unknown, number]>([
    [1, 1],
    [4, 4],
    ['2', 2],
    [' 8 ', 8],
    ['+3', 3],
    [0, 0],
    ['0', 0],
    ['0m', 0],
    [-1, 0],
    [Number.NaN, 0],
    [0.5, 1],
    ['500m', 1],
    ['1Ki', 1],
    [null, 0],
    [{}, 0],
  ])('%j counts as %d', (quantity, expected) => {
    expect(acceleratorCount(quantity)).toBe(expected);
  });
});
