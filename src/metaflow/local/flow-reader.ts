import { isValidMetaflowName } from '../names.ts';
import type { FlowInfo } from '../reader.ts';
import type { LocalContext } from './local-context.ts';
import { defaultReadConcurrency, mapConcurrently } from './map-concurrently.ts';
import { parseSelfRecord } from './records.ts';
import { compareCodePoints } from './run-reader.ts';
import { skipOutsideLinks } from './step-reader.ts';

/**
 * Lists the flows that have a `_meta/_self.json` and at least one run, sorted by name. The
 * client also leaves out flows without runs: in `Metaflow().flows` a flow is shown only when it
 * has a run in the namespace, even in `namespace(None)`.
 */
export async function listFlows(context: LocalContext): Promise<FlowInfo[]> {
  const names = (await context.files.listFolder([])) ?? [];
  const candidates = names.filter((name) => isValidMetaflowName('flow', name));
  const flows = await mapConcurrently(candidates, defaultReadConcurrency, (name) => skipOutsideLinks(context, name, () => readFlow(context, name)));
  return flows.filter((flow): flow is FlowInfo => flow !== null).sort((left, right) => compareCodePoints(left.name, right.name));
}

async function readFlow(context: LocalContext, name: string): Promise<FlowInfo | null> {
  const json = await context.files.readJson([name, '_meta', '_self.json']);
  if (json === null || !(await hasRun(context, name))) {
    return null;
  }
  return { name, createdAt: parseSelfRecord(json, `${name}/_meta/_self.json`).tsEpoch };
}

async function hasRun(context: LocalContext, flow: string): Promise<boolean> {
  for (const entry of (await context.files.listFolder([flow])) ?? []) {
    if (entry === '_meta' || entry === 'data' || !isValidMetaflowName('run', entry)) {
      continue;
    }
    const self = await skipOutsideLinks(context, `${flow}/${entry}`, () => context.files.status([flow, entry, '_meta', '_self.json']));
    if (self !== null) {
      return true;
    }
  }
  return false;
}
