/**
 * Differential test: compares what `LocalDatastoreReader` returns for every object of the
 * fixture datastore with `oracle.json`, what the official Python client (Metaflow 2.19.38)
 * returned for the same objects. Where the reader knowingly returns something else, the test
 * states the difference and its reason case by case.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.ts';
import { LocalDatastoreReader } from '../../src/metaflow/local/local-datastore-reader.ts';
import type { LogStream, TaskInfo } from '../../src/metaflow/reader.ts';
import { metaflowLocalRoot } from '../support/fixture-paths.ts';
import { canonicalTieOrder, epochFromIso, loadOracle, type OracleFlow, type OracleLog, type OracleRun, type OracleTask } from './oracle.ts';

const oracle = loadOracle();
const reader = new LocalDatastoreReader({ root: metaflowLocalRoot, logger: silentLogger });

/** The client renders with this many characters at most (`generator.repr_limit`). */
const reprLimit = 500;
/** Lines in the oracle's log head and tail (`generator.log_lines`). */
const logLines = 50;
/** Where the fixture's Metaflow source was installed; it appears in logged tracebacks. */
const metaflowSourcePath = '/srv/mf/';

const graphKinds: Record<string, string> = {
  start: 'start',
  linear: 'linear',
  'split-static': 'split-static',
  'split-foreach': 'foreach',
  join: 'join',
  end: 'end',
};

function runOrder(flow: OracleFlow, ids: readonly string[]): string[] {
  return canonicalTieOrder(ids, (id) => flow.runs[id]?.created_at_epoch_ms ?? Number.NaN);
}

function codePointLength(text: string): number {
  return [...text].length;
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Returns the elements of a simple set repr such as `{'banana', 'apple'}`, sorted. */
function setElements(repr: string): string[] {
  return repr.slice(1, -1).split(', ').sort();
}

describe('listFlows', () => {
  it('returns oracle flow names', async () => {
    const flows = await reader.listFlows();
    expect(flows.map((flow) => flow.name)).toEqual(oracle.flow_names);
  });

  it('returns flow creation times', async () => {
    for (const flow of await reader.listFlows()) {
      expect(flow.createdAt, flow.name).toBe(oracle.flows[flow.name]?.created_at_epoch_ms);
    }
  });
});

describe.each(oracle.flow_names)('flow %s', (flowName) => {
  const flow = oracle.flows[flowName] as OracleFlow;

  it('lists runs in client order', async () => {
    const runs = await reader.listRuns(flowName);
    expect(runOrder(flow, runs.map((run) => run.id))).toEqual(runOrder(flow, flow.run_ids_client_order));
  });

  it('limits run list', async () => {
    const runs = await reader.listRuns(flowName, { limit: 2 });
    expect(runs.map((run) => run.id)).toEqual(runOrder(flow, flow.run_ids_client_order).slice(0, 2));
  });

  it('finds latest run', async () => {
    expect((await reader.latestRun(flowName))?.id ?? null).toBe(flow.latest_run);
  });

  it('finds latest successful run', async () => {
    expect((await reader.latestSuccessfulRun(flowName))?.id ?? null).toBe(flow.latest_successful_run);
  });

  it('filters runs by user tag', async () => {
    for (const [tag, expected] of Object.entries(flow.runs_by_user_tag)) {
      const runs = await reader.listRuns(flowName, { tags: [tag] });
      expect(runOrder(flow, runs.map((run) => run.id)), tag).toEqual(runOrder(flow, expected));
    }
  });

  it('filters runs by two tags', async () => {
    const expected = flow.runs_by_tags_prod_and_experiment_1;
    const runs = await reader.listRuns(flowName, { tags: ['prod', 'experiment_1'] });
    expect(runOrder(flow, runs.map((run) => run.id))).toEqual(runOrder(flow, expected ?? []));
  });

  it('filters runs like namespace queries', async () => {
    for (const [namespace, expected] of Object.entries(flow.namespace_queries)) {
      const runs = await reader.listRuns(flowName, { user: namespace.replace(/^user:/, '') });
      // The client raises MetaflowNamespaceMismatch for a flow without runs in the namespace.
      const expectedIds = Array.isArray(expected) ? expected : [];
      expect(runOrder(flow, runs.map((run) => run.id)), namespace).toEqual(runOrder(flow, expectedIds));
    }
  });

  it('reports users from system tags', async () => {
    const runs = await reader.listRuns(flowName);
    for (const [user, expected] of Object.entries(flow.run_ids_by_user_system_tag)) {
      const ids = runs.filter((run) => run.user === user).map((run) => run.id);
      expect(runOrder(flow, ids), user).toEqual(runOrder(flow, expected));
    }
  });

  it('reads DAG from graph info', async () => {
    const dag = await reader.getDag(flowName, flow.graph_info_from_run);
    const graphSteps = Object.entries(flow.graph_info.steps);
    expect(dag.start).toBe(flow.graph_info.start_step);
    expect(dag.end).toBe(flow.graph_info.end_step);
    expect(dag.steps.map((step) => step.name)).toEqual(graphSteps.map(([name]) => name));
    expect(dag.steps.map((step) => step.kind)).toEqual(graphSteps.map(([, step]) => graphKinds[step.type]));
    expect(dag.steps.map((step) => step.next)).toEqual(graphSteps.map(([, step]) => step.next));
    expect(dag.steps.map((step) => step.foreachArtifact)).toEqual(graphSteps.map(([, step]) => step.foreach_artifact));
  });

  describe.each(Object.keys(flow.runs))('run %s', (runId) => {
    const run = flow.runs[runId] as OracleRun;

    it('matches run fields', async () => {
      const info = await reader.getRun(flowName, runId);
      expect(info.pathspec).toBe(`${flowName}/${runId}`);
      expect(info.user).toBe(run.user);
      expect(info.userTags).toEqual([...run.user_tags].sort());
      expect(info.systemTags).toEqual([...run.system_tags].sort());
      expect(info.createdAt).toBe(run.created_at_epoch_ms);
      expect(info.finished).toBe(run.finished);
      expect(info.successful).toBe(run.successful);
      expect(info.finishedAt).toBe(run.finished_at_epoch_ms ?? null);
      expect(info.endStep).toBe(flow.graph_info.end_step);
    });

    it('lists run like getRun', async () => {
      const listed = (await reader.listRuns(flowName)).find((candidate) => candidate.id === runId);
      expect(listed).toEqual(await reader.getRun(flowName, runId));
    });

    it('matches parameters', async () => {
      const parameters = await reader.getParameters(flowName, runId);
      expect(parameters.map((parameter) => parameter.name)).toEqual(run.parameters.names);
      for (const parameter of parameters) {
        expect(parameter.repr, parameter.name).toBe(run.parameters.values[parameter.name]?.repr);
        expect(parameter.type, parameter.name).toBe(run.parameters.values[parameter.name]?.type);
      }
    });

    it('lists steps in client order', async () => {
      const steps = await reader.listSteps(flowName, runId);
      const createdAt = (name: string): number => run.steps.find((step) => step.name === name)?.created_at_epoch_ms ?? Number.NaN;
      expect(canonicalTieOrder(steps.map((step) => step.name), createdAt)).toEqual(canonicalTieOrder(run.step_names_client_order, createdAt));
      for (const step of steps) {
        const expected = run.steps.find((candidate) => candidate.name === step.name);
        expect(step.createdAt, step.name).toBe(expected?.created_at_epoch_ms);
        expect(step.finishedAt, step.name).toBe(epochFromIso(expected?.finished_at ?? null));
      }
    });

    it('lists tasks in client order', async () => {
      for (const step of run.steps) {
        const tasks = await reader.listTasks(flowName, runId, step.name);
        const createdAt = (id: string): number => step.tasks.find((task) => task.id === id)?.created_at_epoch_ms ?? Number.NaN;
        const ids = canonicalTieOrder(tasks.map((task) => task.id), createdAt);
        expect(ids, step.name).toEqual(canonicalTieOrder(step.task_ids_client_order, createdAt));
      }
    });

    it('matches task fields', async () => {
      for (const expected of run.steps.flatMap((step) => step.tasks)) {
        const [, , step = '', taskId = ''] = expected.pathspec.split('/');
        expectTaskFields(await reader.getTask(flowName, runId, step, taskId), expected);
      }
    });

    it('matches artifact list', async () => {
      for (const expected of run.steps.flatMap((step) => step.tasks)) {
        const [, , step = '', taskId = ''] = expected.pathspec.split('/');
        const artifacts = await reader.listArtifacts(flowName, runId, step, taskId);
        expect(artifacts.map((artifact) => artifact.name), expected.pathspec).toEqual(expected.artifact_names);
        for (const artifact of artifacts) {
          const oracleArtifact = expected.artifacts.find((candidate) => candidate.name === artifact.name);
          const label = `${expected.pathspec}/${artifact.name}`;
          expect(artifact.type, label).toBe(oracleArtifact?.type_qualname);
          expect(artifact.size, label).toBe(oracleArtifact?.size);
          expect(artifact.sha, label).toBe(oracleArtifact?.sha);
          expect(artifact.attempt, label).toBe(expected.current_attempt);
        }
      }
    });

    it('matches artifact values', async () => {
      for (const expected of run.steps.flatMap((step) => step.tasks)) {
        const [, , step = '', taskId = ''] = expected.pathspec.split('/');
        for (const oracleArtifact of expected.artifacts) {
          const label = `${expected.pathspec}/${oracleArtifact.name}`;
          const value = await reader.readArtifact(flowName, runId, step, taskId, oracleArtifact.name, { maxReprLength: reprLimit });
          expect(value.reprLength, label).toBe(oracleArtifact.repr_len);
          expect(value.truncated, label).toBe(oracleArtifact.repr_truncated);
          expect(value.decoded, label).toBe(true);
          if (label.endsWith('/set_strings')) {
            // Known difference: a set of strings is shown in the order the writing process
            // pickled it, while the client shows the order of its own string hashes, which
            // PYTHONHASHSEED decides. The elements must still match.
            expect(setElements(value.repr), label).toEqual(setElements(oracleArtifact.repr));
          } else {
            expect(value.repr, label).toBe(oracleArtifact.repr);
          }
        }
      }
    });

    it('matches exception text', async () => {
      for (const expected of run.steps.flatMap((step) => step.tasks).filter((task) => task.exception_repr !== null)) {
        const [, , step = '', taskId = ''] = expected.pathspec.split('/');
        const value = await reader.readArtifact(flowName, runId, step, taskId, '_exception', { maxReprLength: reprLimit });
        expect(value.repr, expected.pathspec).toBe(expected.exception_repr);
      }
    });

    it.each(['stdout', 'stderr'] as const)('matches %s', async (stream) => {
      for (const expected of run.steps.flatMap((step) => step.tasks)) {
        await expectLog(flowName, runId, expected, stream);
      }
    });
  });
});

function expectTaskFields(task: TaskInfo, expected: OracleTask): void {
  const label = expected.pathspec;
  expect(task.pathspec, label).toBe(expected.pathspec);
  expect(task.createdAt, label).toBe(expected.created_at_epoch_ms);
  expect(task.finished, label).toBe(expected.finished);
  expect(task.successful, label).toBe(expected.successful);
  expect(task.finishedAt, label).toBe(expected.finished_at_epoch_ms ?? null);
  expect(task.currentAttempt, label).toBe(expected.current_attempt);
  expect(task.foreachIndex, label).toBe(expected.index);
  expect(task.attempts.map((attempt) => attempt.attempt), label).toEqual(Array.from({ length: expected.current_attempt + 1 }, (_, index) => index));
  expect(task.attempts.at(-1)?.finished, label).toBe(expected.finished);
  expect(task.attempts.at(-1)?.finishedAt, label).toBe(expected.finished_at_epoch_ms ?? null);
}

async function expectLog(flowName: string, runId: string, task: OracleTask, stream: LogStream): Promise<void> {
  const expected: OracleLog = task[stream];
  const [, , step = '', taskId = ''] = task.pathspec.split('/');
  const label = `${task.pathspec} ${stream}`;
  const whole = await reader.readLog(flowName, runId, step, taskId, stream);
  const tail = await reader.readLog(flowName, runId, step, taskId, stream, { tailLines: logLines });
  expect(whole.sizeBytes, label).toBe(expected.size);
  expect(whole.attempt, label).toBe(task.current_attempt);

  if (expected.loglines_error !== undefined) {
    // Known difference: the client raises UnicodeDecodeError on this log (LogFlow's `junk`
    // step prints the bytes ff fe c3 28), and the reader replaces the bad bytes with U+FFFD.
    expect(expected.loglines_error, label).toContain("can't decode byte 0xff");
    expect(whole.lines.some((line) => line.text.includes('\uFFFD')), label).toBe(true);
    return;
  }

  const texts = whole.lines.map((line) => line.text);
  const joined = texts.map((text) => `${text}\n`).join('');
  expect(whole.totalLines, label).toBe(expected.line_count);
  expect(texts.slice(0, logLines), label).toEqual(expected.head);
  expect(tail.lines.map((line) => line.text), label).toEqual(expected.tail);
  expect(tail.totalLines, label).toBe(expected.line_count);
  expect(codePointLength(joined), label).toBe(expected.text_len);
  if (joined.includes(metaflowSourcePath)) {
    // Known difference in the oracle, not in the reader: for logs that show Metaflow's source
    // path, `text_sha256` does not match the oracle's own lines either (checked below), which
    // suggests it was taken before the fixture rewrote that path. Lines and length are
    // compared above.
    const oracleText = (expected.head ?? []).map((text) => `${text}\n`).join('');
    if ((expected.line_count ?? 0) <= logLines) {
      expect(sha256(oracleText), label).not.toBe(expected.text_sha256);
    }
  } else {
    expect(sha256(joined), label).toBe(expected.text_sha256);
  }
  expect(whole.truncatedByMetaflow, label).toBe(texts.at(-1) === '[TRUNCATED - MAXIMUM LOG FILE SIZE REACHED]');
}
