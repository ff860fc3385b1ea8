import { StatementBatcher } from './statement-batcher';

/** A run function whose batches the test ends by hand. */
function controlledRun() {
  const batches: { items: number[]; end: (err?: Error) => void }[] = [];
  const run = (items: number[]) =>
    new Promise<number[]>((resolve, reject) => {
      batches.push({ items, end: (err) => (err ? reject(err) : resolve(items.map((i) => i * 10))) });
    });
  return { batches, run };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('StatementBatcher', () => {
  it('puts the calls of one event-loop turn in one batch and answers each caller with its own result', async () => {
    const { batches, run } = controlledRun();
    const batcher = new StatementBatcher(run, { maxBatch: 100, maxConcurrent: 1 });
    const answers = Promise.all([1, 2, 3].map((i) => batcher.submit(i)));
    await turn();
    expect(batches.map((b) => b.items)).toEqual([[1, 2, 3]]);
    batches[0].end();
    expect(await answers).toEqual([10, 20, 30]);
  });

  it('runs at most maxConcurrent batches; what arrives meanwhile goes in the next one, at most maxBatch items', async () => {
    const { batches, run } = controlledRun();
    const batcher = new StatementBatcher(run, { maxBatch: 2, maxConcurrent: 1 });
    const first = batcher.submit(1);
    await turn();
    const later = [2, 3, 4].map((i) => batcher.submit(i));
    await turn();
    expect(batches.map((b) => b.items)).toEqual([[1]]);
    batches[0].end();
    expect(await first).toBe(10);
    await turn();
    expect(batches.map((b) => b.items)).toEqual([[1], [2, 3]]);
    batches[1].end();
    await turn();
    expect(batches.map((b) => b.items)).toEqual([[1], [2, 3], [4]]);
    batches[2].end();
    expect(await Promise.all(later)).toEqual([20, 30, 40]);
  });

  it('fails every caller of a failed batch, and only those', async () => {
    const { batches, run } = controlledRun();
    const batcher = new StatementBatcher(run, { maxBatch: 100, maxConcurrent: 2 });
    const failing = [batcher.submit(1), batcher.submit(2)];
    await turn();
    const passing = batcher.submit(3);
    await turn();
    expect(batches.map((b) => b.items)).toEqual([[1, 2], [3]]);
    batches[0].end(new Error('deadlock detected'));
    batches[1].end();
    await expect(Promise.all(failing)).rejects.toThrow('deadlock detected');
    await expect(failing[1]).rejects.toThrow('deadlock detected');
    expect(await passing).toBe(30);
  });
});
