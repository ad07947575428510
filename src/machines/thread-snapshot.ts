import { Ajv2020 } from 'ajv/dist/2020.js';
import type { SnapshotFrom } from 'xstate';
import schemaJson from '../../docs/schema/thread-snapshot.schema.json' with { type: 'json' };
import type { ThreadContext } from './thread-context.ts';
import { threadMachine, type ThreadMachine } from './thread-machine.ts';

/** The version written into every snapshot; a reader rejects newer ones. */
export const threadSnapshotVersion = 1;

export type ThreadStateName = 'new' | 'ready.noRunSet' | 'ready.runSet' | 'resolvingRun' | 'lookingUp';

/**
 * A thread's state as stored in Slack: the state's name and the context, in a format of our
 * own rather than XState's internal snapshot, so that an XState upgrade cannot break threads.
 * Described by `docs/schema/thread-snapshot.schema.json`.
 */
export interface PersistedThread {
  version: typeof threadSnapshotVersion;
  state: ThreadStateName;
  context: ThreadContext;
  /**
   * Counts the snapshots a host stored in one thread, so that the newest wins even when an
   * older message was edited later. `persistThread` leaves it out; the Slack app sets it.
   */
  revision?: number;
}

export type ThreadSnapshot = SnapshotFrom<ThreadMachine>;

/** Reason a stored snapshot was not restored. Each gets a log line and a note in the thread. */
export type RestoreFailure = 'invalid' | 'newerVersion' | 'olderVersion';

export type RestoreResult =
  | { ok: true; snapshot: ThreadSnapshot; persisted: PersistedThread }
  | { ok: false; failure: RestoreFailure; message: string };

const ajv = new Ajv2020({ allErrors: false, strict: true });
const validate = ajv.compile<PersistedThread>(schemaJson);

/** Turns a live snapshot into what the bot stores in Slack. */
export function persistThread(snapshot: ThreadSnapshot): PersistedThread {
  return { version: threadSnapshotVersion, state: stateName(snapshot), context: snapshot.context };
}

/**
 * Checks a stored snapshot against its schema and turns it back into a machine snapshot. It
 * never trusts the input: anything that does not validate is refused with a reason.
 */
export function restoreThread(value: unknown): RestoreResult {
  const version = typeof value === 'object' && value !== null ? (value as { version?: unknown }).version : undefined;
  if (typeof version === 'number' && version > threadSnapshotVersion) {
    return { ok: false, failure: 'newerVersion', message: `snapshot version ${version} is newer than ${threadSnapshotVersion}` };
  }
  if (typeof version === 'number' && version < threadSnapshotVersion) {
    return { ok: false, failure: 'olderVersion', message: `snapshot version ${version} is older than ${threadSnapshotVersion}` };
  }
  if (!validate(value)) {
    const [first] = validate.errors ?? [];
    const where = first ? `${first.instancePath || '/'} ${first.message ?? ''}` : 'unknown problem';
    return { ok: false, failure: 'invalid', message: `snapshot does not match its schema: ${where}` };
  }

  const stateValue = value.state.includes('.') ? { ready: value.state.split('.')[1] ?? 'noRunSet' } : value.state;
  const snapshot = threadMachine.resolveState({ value: stateValue, context: value.context });
  return { ok: true, snapshot, persisted: value };
}

function stateName(snapshot: ThreadSnapshot): ThreadStateName {
  if (snapshot.matches({ ready: 'runSet' })) {
    return 'ready.runSet';
  }
  if (snapshot.matches({ ready: 'noRunSet' })) {
    return 'ready.noRunSet';
  }
  if (snapshot.matches('resolvingRun')) {
    return 'resolvingRun';
  }
  if (snapshot.matches('lookingUp')) {
    return 'lookingUp';
  }
  return 'new';
}
