import { describe, expect, it } from 'vitest';
import { compileGlob, GlobList } from './glob.js';

describe('globs', () => {
  it('matches * across any run of characters, slashes included', () => {
    const glob = compileGlob('registry.example.com/*');
    expect(glob.regex.test('registry.example.com/risk/scorer:1.2')).toBe(true);
    expect(glob.regex.test('registry.example.com')).toBe(false);
  });

  it('takes every other character literally', () => {
    const glob = compileGlob('a.b+c?(d)[e]$^|\\');
    expect(glob.regex.test('a.b+c?(d)[e]$^|\\')).toBe(true);
    expect(glob.regex.test('aXb+c?(d)[e]$^|\\')).toBe(false);
  });

  it('anchors both ends', () => {
    expect(compileGlob('nvidia.com/gpu').regex.test('nvidia.com/gpu-shared')).toBe(false);
    expect(compileGlob('aws.amazon.com/neuron*').regex.test('aws.amazon.com/neuroncore')).toBe(
      true,
    );
  });

  it('reports which pattern of a list matched first', () => {
    const list = new GlobList(['*ollama*', '*vllm*', '*vllm*']);
    expect(list.patterns).toEqual(['*ollama*', '*vllm*']);
    expect(list.firstMatch('vllm/vllm-openai:latest')).toBe('*vllm*');
    expect(list.matches('nginx')).toBe(false);
  });
});
