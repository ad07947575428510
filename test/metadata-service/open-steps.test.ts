import { describe, expect, test } from 'vitest';
import type { Dag } from '../../src/metaflow/reader.ts';
import { findOpenSteps } from '../../src/metaflow/service/open-steps.ts';

/** start → (left, right) → join → end */
const splitDag: Dag = {
  start: 'start',
  end: 'end',
  steps: [
    { name: 'start', kind: 'split-static', next: ['left', 'right'] },
    { name: 'left', kind: 'linear', next: ['join'] },
    { name: 'right', kind: 'linear', next: ['join'] },
    { name: 'join', kind: 'join', next: ['end'] },
    { name: 'end', kind: 'end', next: [] },
  ],
};

describe('findOpenSteps', () => {
  test('both split branches open', () => {
    expect(findOpenSteps(splitDag, ['right', 'left', 'start'])).toEqual(['right', 'left']);
  });

  test('branches close when join starts', () => {
    expect(findOpenSteps(splitDag, ['join', 'right', 'left', 'start'])).toEqual(['join']);
  });

  test('step missing from DAG stays open', () => {
    expect(findOpenSteps(splitDag, ['extra', 'start'])).toEqual(['extra', 'start']);
  });

  test('unknown DAG opens newest step only', () => {
    expect(findOpenSteps(null, ['right', 'left', 'start'])).toEqual(['right']);
  });
});
