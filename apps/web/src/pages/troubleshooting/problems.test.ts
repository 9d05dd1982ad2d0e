import { describe, expect, it } from 'vitest';

import { filterProblems, type ProblemText } from './problems.js';

const problems: ProblemText[] = [
  {
    id: 'cuda_oom',
    title: 'Out of video memory',
    symptom: 'CUDA out of memory / OutOfMemoryError',
    meaning: 'This step needs more video memory than the GPU has left.',
    remedy: 'Set the batch size to 1.',
  },
  {
    id: 'missing_module',
    title: 'A Python module is missing',
    symptom: "ModuleNotFoundError: No module named 'bitsandbytes'",
    meaning: 'The engine lacks a package.',
    remedy: 'Install it.',
  },
];

describe('filterProblems', () => {
  it('keeps everything for an empty query', () => {
    expect(filterProblems(problems, '  ').map((p) => p.id)).toEqual(['cuda_oom', 'missing_module']);
  });

  it('matches every word of a pasted log line, ignoring case and punctuation', () => {
    expect(filterProblems(problems, 'no module NAMED').map((p) => p.id)).toEqual(['missing_module']);
    expect(filterProblems(problems, 'OutOfMemoryError').map((p) => p.id)).toEqual(['cuda_oom']);
    expect(filterProblems(problems, 'module memory').map((p) => p.id)).toEqual([]);
  });

  it('finds the entry for a whole pasted log line', () => {
    const line = 'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 20.00 MiB';
    expect(filterProblems(problems, line).map((p) => p.id)).toEqual(['cuda_oom']);
    const missing = "ModuleNotFoundError: No module named 'bitsandbytes'";
    expect(filterProblems(problems, missing).map((p) => p.id)).toEqual(['missing_module']);
  });

  it('finds by explanation and fix too', () => {
    expect(filterProblems(problems, 'batch').map((p) => p.id)).toEqual(['cuda_oom']);
    expect(filterProblems(problems, 'gpu memory').map((p) => p.id)).toEqual(['cuda_oom']);
  });
});
