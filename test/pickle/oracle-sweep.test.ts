import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { decodeArtifactBlob, pythonTypeName, renderRepr, type PyValue } from '../../src/metaflow/pickle/index.ts';
import { metaflowLocalRoot } from '../support/fixture-paths.ts';
import { oracleArtifacts, readBlob, type OracleArtifact } from './oracle-artifacts.ts';

const artifacts = oracleArtifacts();
const flows = [...new Set(artifacts.map((artifact) => artifact.flow))];

/**
 * Artifacts whose repr knowingly differs from what the Python client printed. Each is
 * `set_strings` in one ArtifactFlow task: a set of strings is ordered by string hashes, which
 * Python seeds per process, so the pickle keeps the writing process's order. The type and the
 * repr length still match.
 */
const knownDifferences = [
  'ArtifactFlow/1796413164385022/end/3/set_strings',
  'ArtifactFlow/1796413164385022/inspect/2/set_strings',
  'ArtifactFlow/1796413164385022/start/1/set_strings',
];

const decodedBySha = new Map<string, PyValue>();

function decode(artifact: OracleArtifact): PyValue {
  const cached = decodedBySha.get(artifact.sha);
  if (cached !== undefined) return cached;
  const value = decodeArtifactBlob(readBlob(artifact.flow, artifact.sha));
  decodedBySha.set(artifact.sha, value);
  return value;
}

/** Returns `pathspec/name` for each artifact whose repr text, length or truncation differs from the oracle. */
function reprMismatches(flowArtifacts: OracleArtifact[]): string[] {
  return flowArtifacts
    .filter((artifact) => {
      const value = decode(artifact);
      const rendered = renderRepr(value, { maxLength: 500 });
      return rendered.text !== artifact.repr || rendered.length !== artifact.repr_len || rendered.truncated !== artifact.repr_truncated;
    })
    .map((artifact) => `${artifact.pathspec}/${artifact.name}`)
    .sort();
}

function typeMismatches(flowArtifacts: OracleArtifact[]): string[] {
  return flowArtifacts
    .filter((artifact) => pythonTypeName(decode(artifact)) !== artifact.type_qualname)
    .map((artifact) => `${artifact.pathspec}/${artifact.name}: ${pythonTypeName(decode(artifact))}`);
}

describe('oracle sweep', () => {
  test('oracle lists 1507 artifacts', () => {
    expect(artifacts.length).toBe(1507);
  });

  test.each(flows)('%s reprs match Python', (flow) => {
    const mismatches = reprMismatches(artifacts.filter((artifact) => artifact.flow === flow));
    expect(mismatches).toEqual(knownDifferences.filter((pathspec) => pathspec.startsWith(`${flow}/`)));
  });

  test.each(flows)('%s types match Python', (flow) => {
    expect(typeMismatches(artifacts.filter((artifact) => artifact.flow === flow))).toEqual([]);
  });

  test('exception wrappers render tracebacks', () => {
    const wrappers = artifacts.filter((artifact) => artifact.type_qualname === 'metaflow.exception.MetaflowExceptionWrapper');
    expect(wrappers.length).toBe(5);
    for (const wrapper of wrappers) {
      expect(renderRepr(decode(wrapper)).text).toMatch(/^Traceback \(most recent call last\):\n/);
    }
  });
});

describe('datastore sweep', () => {
  const blobs = readdirSync(path.join(metaflowLocalRoot, '.metaflow')).flatMap((flow) =>
    readdirSync(path.join(metaflowLocalRoot, '.metaflow', flow, 'data')).flatMap((prefix) =>
      readdirSync(path.join(metaflowLocalRoot, '.metaflow', flow, 'data', prefix))
        .filter((name) => !name.endsWith('_meta'))
        .map((sha) => ({ flow, sha })),
    ),
  );

  test('every blob decodes', () => {
    const failures: string[] = [];
    for (const { flow, sha } of blobs) {
      try {
        decodeArtifactBlob(readBlob(flow, sha));
      } catch (error) {
        failures.push(`${flow}/${sha}: ${String(error)}`);
      }
    }
    expect(blobs.length).toBe(312);
    expect(failures).toEqual([]);
  });

  test('foreach stack keeps frame fields', () => {
    const taskDir = path.join(metaflowLocalRoot, '.metaflow', 'ForeachFlow', '1796413132892874', 'shard', '2');
    const dataJson = JSON.parse(readFileSync(path.join(taskDir, '0.data.json'), 'utf8')) as { objects: Record<string, string> };
    const stack = decodeArtifactBlob(readBlob('ForeachFlow', dataJson.objects['_foreach_stack'] ?? ''));
    const frame = stack.kind === 'list' ? stack.items[0] : undefined;

    expect(frame?.kind === 'object' ? `${frame.module}.${frame.qualname}` : frame?.kind).toBe('__main__.ForeachFrame');
    expect(frame?.kind === 'object' ? frame.args.slice(0, 4) : []).toEqual([
      { kind: 'str', value: 'shard' },
      { kind: 'str', value: 'shards' },
      { kind: 'int', value: 25n },
      { kind: 'int', value: 0n },
    ]);
    expect(renderRepr(stack).text).toBe('[<__main__.ForeachFrame object, not shown>]');
  });
});
