/** Median and range of repeated measurements. */
export interface Stats {
  median: number;
  min: number;
  max: number;
  samples: number;
}

/** Summarizes measurements; the median of an even count is the mean of the middle two. */
export function summarize(samples: readonly number[]): Stats {
  if (samples.length === 0) {
    throw new RangeError('summarize needs at least one sample.');
  }
  const sorted = [...samples].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  return { median, min: sorted[0] as number, max: sorted.at(-1) as number, samples: sorted.length };
}
