import { describe, expect, it } from 'vitest';
import { KeyedQueue } from '../../src/slack/keyed-queue.ts';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe('KeyedQueue', () => {
  it('runs tasks of one key in order', async () => {
    const queue = new KeyedQueue();
    const order: string[] = [];
    const gate = deferred();
    const first = queue.run('t1', async () => {
      await gate.promise;
      order.push('first');
    });
    const second = queue.run('t1', async () => {
      order.push('second');
    });
    gate.resolve();
    await Promise.all([first, second]);
    expect(order).toEqual(['first', 'second']);
  });

  it('runs tasks of other keys in parallel', async () => {
    const queue = new KeyedQueue();
    const gate = deferred();
    const blocked = queue.run('t1', () => gate.promise);
    await queue.run('t2', async () => undefined);
    expect(queue.isBusy('t1')).toBe(true);
    gate.resolve();
    await blocked;
  });

  it('goes on after a failed task', async () => {
    const queue = new KeyedQueue();
    const failed = queue.run('t1', async () => {
      throw new Error('lookup failed');
    });
    const next = queue.run('t1', async () => 'ran');
    await expect(failed).rejects.toThrow('lookup failed');
    await expect(next).resolves.toBe('ran');
  });

  it('reports a key idle after its last task', async () => {
    const idle: string[] = [];
    const queue = new KeyedQueue((key) => idle.push(key));
    await queue.run('t1', async () => undefined);
    await queue.drain();
    expect(idle).toEqual(['t1']);
    expect(queue.size).toBe(0);
  });
});
