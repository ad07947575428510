import { cp, mkdtemp, rm, truncate } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestModel } from 'xstate/graph';
import { getNextSnapshot, type AnyTransitionDefinition } from 'xstate';
import { listTransitions, type TransitionRecord } from '../../src/machines/list-transitions.ts';
import { parseMessage } from '../../src/machines/parse-message.ts';
import type { LookupRequest, RunCandidate, ThreadEvent } from '../../src/machines/thread-events.ts';
import { threadMachine } from '../../src/machines/thread-machine.ts';
import { persistThread, type ThreadSnapshot } from '../../src/machines/thread-snapshot.ts';
import { ProfileDirectory } from '../../src/conversation/profile-directory.ts';
import { silentLogger } from '../../src/logger.ts';
import { LocalDatastoreReader } from '../../src/metaflow/local/local-datastore-reader.ts';
import { metaflowLocalRoot, oraclePath } from '../support/fixture-paths.ts';
import { createThreadHarness, type DeliveredReply, type ThreadHarness } from '../support/thread-harness.ts';

/**
 * Model-based tests: xstate/graph walks the shipped thread machine, and every path drives the
 * real bot (machine, actions, local reader) on a copy of the fixture's HelloFlow in which two
 * artifact blobs are truncated, so that real lookups fail where the model expects them to.
 */

const unfinishedRun = '1796413131842466';
const finishedRun = '1796413130413220';
/** Its `history` blob is truncated: `data history` fails. */
const runWithDamagedHistory = '1796413129016528';
/** Its `label` blob is truncated: reading its parameters, so its summary and any export of the flow, fails. */
const runWithDamagedLabel = '1796413084563023';
const damagedBlobs = ['8ebbeb32991469c680713372bd2b9c4730ae70f2', '47411df90f6247c22867cc6b793986cf3ce68ae7'];

const messages = [
  'help',
  'help nosuch',
  'how to inspect',
  'inspect',
  `inspect HelloFlow/${unfinishedRun}`,
  `inspect HelloFlow/${finishedRun}`,
  `inspect HelloFlow/${runWithDamagedHistory}`,
  `inspect HelloFlow/${runWithDamagedLabel}`,
  'inspect HelloFlow/1',
  'inspect HelloFlow',
  '1',
  '12',
  'status',
  'params',
  'data',
  'data history',
  'logs',
  'logs train',
  'flows',
  'forget',
  'version',
  'export csv',
  'export csv run',
  'export csv HelloFlow',
  'export xml',
  'frobnicate',
  'hello',
  'profiles',
  'use profile pristine',
  'inspect flows from damaged',
  'use profile nope',
];

/** The message behind each parsed event, to send the real bot the text a user would type. */
const messageByEvent = new Map(messages.map((text) => [JSON.stringify(parseMessage(text)), text]));
const userEvents = messages.map((text) => parseMessage(text));

const oracle = JSON.parse(readFileSync(oraclePath, 'utf8')) as {
  flows: { HelloFlow: { run_ids_client_order: string[] } };
};
const newestCandidates: RunCandidate[] = oracle.flows.HelloFlow.run_ids_client_order
  .slice(0, 10)
  .map((runId) => ({ flow: 'HelloFlow', runId }));

/** What the real lookup must end with, from what the fixture holds. */
function expectedOutcome(request: LookupRequest, profile: string | null): ThreadEvent {
  const damaged = (profile ?? damagedProfile) === damagedProfile;
  const failed: ThreadEvent = damaged ? { type: 'lookup.failed', reason: 'error', detail: null } : { type: 'lookup.answered', runFinished: null };
  switch (request.kind) {
    case 'resolveRun': {
      const runspec = request.runspec;
      if (runspec.kind === 'runs') {
        return { type: 'lookup.candidatesFound', candidates: newestCandidates };
      }
      if (runspec.kind !== 'pathspec' || runspec.runId === '1') {
        return { type: 'lookup.noMatch' };
      }
      if (runspec.runId === runWithDamagedLabel && damaged) {
        return failed;
      }
      const finished = runspec.runId !== unfinishedRun;
      return { type: 'lookup.runSelected', run: { flow: 'HelloFlow', runId: runspec.runId, finished } };
    }
    case 'runSummary':
    case 'status':
    case 'finishedStatus':
      return { type: 'lookup.answered', runFinished: request.run.finished };
    case 'artifactValue':
      return request.run.runId === runWithDamagedHistory ? failed : { type: 'lookup.answered', runFinished: null };
    case 'exportRuns':
      // Every run's parameters go into the export, the damaged label among them.
      return failed;
    case 'useProfile':
      return request.profile === 'nope' ? { type: 'lookup.answered', runFinished: null } : { type: 'lookup.profileSelected', profile: request.profile };
    default:
      return { type: 'lookup.answered', runFinished: null };
  }
}

/** Lists the events the real bot can meet in a state: any message, and in a lookup state its one outcome. */
function feasibleEvents(snapshot: ThreadSnapshot): ThreadEvent[] {
  const pending = snapshot.context.pending;
  return pending ? [expectedOutcome(pending, snapshot.context.profile), ...userEvents] : userEvents;
}

/**
 * createTestModel adds a bare `{ type }` event for every event the state accepts that the
 * events function did not supply (`lookup.failed` without a reason, say). The real bot
 * cannot meet those, so they are dropped.
 */
function isFeasible(snapshot: ThreadSnapshot, event: ThreadEvent): boolean {
  const serialized = JSON.stringify(event);
  return feasibleEvents(snapshot).some((candidate) => JSON.stringify(candidate) === serialized);
}

/** What a user reads after each action, so that every transition's reply is checked. */
const replyByAction: Record<string, RegExp> = {
  replyIntro: /Hi, I'm \*Metaflow Bot\*/,
  replyHelp: /answers questions about Metaflow runs/,
  replyUnknownHelpTopic: /^There is no command `nosuch`\.\n[^]*answers questions about Metaflow runs/,
  replyNeedRun: /No run is set in this thread/,
  replyVersion: /^Metaflow Bot 0\.0\.0-test$/m,
  replyFallbackHelp: /Say `help` to see every command/,
  replyInvalidInput: /Say `export csv` or `export json`/,
  replyChoiceOutOfRange: /There is no run number 12 in the last list/,
  replyBusy: /I am still looking up/,
  replyLookupLost: /I could not finish looking up .*: reading Metaflow failed/,
  replyForgotten: /Forgot `HelloFlow\/\d+`|nothing to forget/,
};

const replyByLookup: Record<LookupRequest['kind'], RegExp> = {
  resolveRun: /This thread now inspects|Reply with a number to inspect|There is no run `HelloFlow\/1`/,
  runSummary: /This thread now inspects/,
  howToInspect: /How to inspect a run/,
  status: /steps done/,
  finishedStatus: /finished already/,
  params: /Parameters of `HelloFlow/,
  artifactList: /Artifacts of/,
  artifactValue: /\*`history`\* of|has no artifact `history`/,
  logIndex: /Steps of `HelloFlow/,
  logTail: /stdout of `HelloFlow|wrote nothing to stdout/,
  flows: /\*Flows\*/,
  exportRuns: /HelloFlow/,
  exportRunTasks: /HelloFlow/,
  profiles: /\*Metaflow profiles\*/,
  useProfile: /This thread now reads the Metaflow profile|There is no Metaflow profile `nope`/,
};

/** The thread's default profile reads the damaged copy; `pristine` reads the fixture as it is. */
const damagedProfile = 'damaged';
let datastoreRoot = '';
let profiles: ProfileDirectory;
/** Every transition of the shipped machine, by its definition object, which the actor reports when taken. */
const transitionsById = new Map<AnyTransitionDefinition, TransitionRecord>(
  listTransitions(threadMachine).map((record) => [record.definition, record]),
);
const takenTransitionIds = new Set<string>();

beforeAll(async () => {
  datastoreRoot = await mkdtemp(path.join(os.tmpdir(), 'metaflowbot-model-'));
  const flowFolder = path.join(datastoreRoot, '.metaflow', 'HelloFlow');
  await cp(path.join(metaflowLocalRoot, '.metaflow', 'HelloFlow'), flowFolder, { recursive: true });
  for (const sha of damagedBlobs) {
    await truncate(path.join(flowFolder, 'data', sha.slice(0, 2), sha), 12);
  }
  profiles = new ProfileDirectory(
    [
      { name: damagedProfile, reader: new LocalDatastoreReader({ root: datastoreRoot, logger: silentLogger }) },
      { name: 'pristine', reader: new LocalDatastoreReader({ root: metaflowLocalRoot, logger: silentLogger }) },
    ],
    damagedProfile,
    undefined,
  );
});

afterAll(async () => {
  await rm(datastoreRoot, { recursive: true, force: true });
});

/** For every transition, the shortest path that ends by taking it. */
function pathsCoveringEveryTransition() {
  const model = createTestModel(threadMachine, {
    events: feasibleEvents,
    filterEvents: isFeasible,
    // States are distinguished by value and context only, not by the event that led there.
    serializeTransition: () => '',
  });
  const statePaths = model.getShortestPaths({ allowDuplicatePaths: true });
  const chosen = new Map<string, { path: (typeof statePaths)[number]; event: ThreadEvent }>();

  for (const statePath of statePaths) {
    for (const event of feasibleEvents(statePath.state)) {
      for (const definition of threadMachine.getTransitionData(statePath.state, event)) {
        const id = transitionsById.get(definition)?.id ?? 'unknown';
        const known = chosen.get(id);
        if (!known || known.path.steps.length > statePath.steps.length) {
          chosen.set(id, { path: statePath, event });
        }
      }
    }
  }
  return [...chosen.entries()].sort(([a], [b]) => a.localeCompare(b));
}

async function performStep(harness: ThreadHarness, event: ThreadEvent, before: ThreadSnapshot): Promise<DeliveredReply[]> {
  const from = harness.replies.length;
  if (event.type.startsWith('lookup.')) {
    await harness.session.settled();
  } else {
    const text = messageByEvent.get(JSON.stringify(event));
    if (text === undefined) {
      throw new Error(`No message parses to ${JSON.stringify(event)}`);
    }
    if (before.context.pending) {
      // The model sends this while the lookup runs; the real lookup must still be running.
      expect(harness.session.state.context.pending).not.toBeNull();
    }
    await harness.session.send(parseMessage(text));
  }
  return harness.replies.slice(from);
}

function checkReplies(taken: AnyTransitionDefinition[], replies: DeliveredReply[], pendingBefore: LookupRequest | null): void {
  const text = replies.map((reply) => reply.text).join('\n');
  for (const definition of taken) {
    const record = transitionsById.get(definition);
    if (record?.event.startsWith('lookup.') && pendingBefore && record.event !== 'lookup.failed') {
      expect(text, `reply to ${pendingBefore.kind}`).toMatch(replyByLookup[pendingBefore.kind]);
    }
    for (const action of record?.actions ?? []) {
      const expected = replyByAction[action];
      if (expected) {
        expect(text, `reply of ${action}`).toMatch(expected);
      }
    }
  }
}

describe('thread machine, model-based', () => {
  const cases = pathsCoveringEveryTransition();

  it.each(cases)('takes %s on the real bot', async (_id, { path: statePath, event: lastEvent }) => {
    const harness = createThreadHarness({ reader: profiles.find(damagedProfile)?.reader ?? undefined, profiles });
    const steps = [...statePath.steps.slice(1), { event: lastEvent, state: null }];
    let before = statePath.steps[0]?.state ?? threadMachine.resolveState({ value: 'new', context: { run: null, candidates: [], pending: null, profile: null } });

    for (const step of steps) {
      const takenFrom = harness.transitions.length;
      const replies = await performStep(harness, step.event, before);
      const taken = harness.transitions.slice(takenFrom);
      checkReplies(taken, replies, before.context.pending);
      for (const definition of taken) {
        takenTransitionIds.add(transitionsById.get(definition)?.id ?? 'unknown');
      }

      const expected = step.state ?? getNextSnapshot(threadMachine, before, step.event);
      expect(harness.session.state).toEqual(persistThread(expected));
      before = expected;
    }
    await harness.session.settled();
    harness.session.stop();
  });

  it('covers every transition of the machine', () => {
    const all = listTransitions(threadMachine).map((record) => record.id);
    const missing = all.filter((id) => !takenTransitionIds.has(id));
    expect(missing).toEqual([]);
    expect(takenTransitionIds.has('unknown')).toBe(false);
  });
});
