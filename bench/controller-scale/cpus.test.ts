import { describe, expect, it } from 'vitest';
import { splitCpus } from './cpus.js';

describe('splitCpus', () => {
  it('gives the operator the CPUs named, and the rest to the others', () => {
    expect(splitCpus('1', 2)).toEqual({ operator: [1], others: [0] });
    expect(splitCpus('0,2', 4)).toEqual({ operator: [0, 2], others: [1, 3] });
    expect(splitCpus('1-2', 4)).toEqual({ operator: [1, 2], others: [0, 3] });
    expect(splitCpus('3, 1', 4)).toEqual({ operator: [1, 3], others: [0, 2] });
  });

  it('refuses a list that names no CPU there, or leaves none', () => {
    expect(() => splitCpus('2', 2)).toThrow(/"2" is not a CPU or range of 0-1/);
    expect(() => splitCpus('a', 2)).toThrow(/"a"/);
    expect(() => splitCpus('1-0', 2)).toThrow(/"1-0"/);
    expect(() => splitCpus('', 2)).toThrow(/""/);
    expect(() => splitCpus('0-1', 2)).toThrow(/leaves no CPU/);
  });
});
