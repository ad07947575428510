import type { PyValue } from '../pickle/index.ts';
import { readArtifactRecord } from './artifact-records.ts';
import { type LocalContext, type TaskPath, taskPathspec } from './local-context.ts';
import { readNewestMetadata } from './task-metadata.ts';
import type { TaskMetaListing } from './task-meta-listing.ts';

/**
 * Returns the task's position in its innermost foreach, or `null` outside a foreach.
 *
 * The client reads the last frame of the `_foreach_stack` artifact, which exists only once an
 * attempt ended. Metaflow (2.12 and later) also records `foreach-execution-path` metadata
 * (`outer:3,inner:0`, one `step:index` per frame) when the task starts, so that is read
 * first: it gives the same index and also covers running tasks.
 */
export async function readForeachIndex(
  context: LocalContext,
  path: TaskPath,
  listing: TaskMetaListing,
  artifactAttempt: number | null,
): Promise<number | null> {
  const executionPath = await readNewestMetadata(context, path, listing, 'foreach-execution-path');
  if (typeof executionPath?.value === 'string') {
    const index = Number(executionPath.value.split(',').at(-1)?.split(':').at(-1));
    if (Number.isInteger(index)) {
      return index;
    }
  }

  if (artifactAttempt === null || !listing.artifactsByAttempt.get(artifactAttempt)?.has('_foreach_stack')) {
    return null;
  }
  const record = await readArtifactRecord(context, path, artifactAttempt, '_foreach_stack');
  const stack = await context.blobs.decode(path.flow, record.sha, `Artifact _foreach_stack of task ${taskPathspec(path)}`);
  return innermostFrameIndex(stack);
}

/**
 * Reads `index` from the last `ForeachFrame(step, var, num_splits, index, value)` of a decoded
 * `_foreach_stack`. The frame is a named tuple of a class that Metaflow registers in
 * `__main__`, so it decodes as an opaque object whose fourth argument is the index.
 */
function innermostFrameIndex(stack: PyValue): number | null {
  if (stack.kind !== 'list' || stack.items.length === 0) {
    return null;
  }
  const index = frameFields(stack.items.at(-1))[3];
  return index?.kind === 'int' ? Number(index.value) : null;
}

function frameFields(frame: PyValue | undefined): PyValue[] {
  if (frame?.kind === 'object') {
    return frame.args;
  }
  if (frame?.kind === 'tuple') {
    return frame.items;
  }
  return [];
}
