/**
 * A runspec: how a user names the run (or runs) to inspect.
 *
 * - `HelloFlow/1796413072186822`: one run by its pathspec.
 * - `HelloFlow`, `alice's HelloFlow`: the runs of a flow, optionally of one user.
 * - `the latest run of HelloFlow`, `alice's latest run of HelloFlow`,
 *   `the latest successful run of HelloFlow`: one run, the newest that matches.
 *
 * Each form may end with `tagged <tag>` (repeatable) to keep runs that carry every tag.
 */
export type Runspec =
  | { kind: 'pathspec'; flow: string; runId: string }
  | { kind: 'runs'; flow: string; user: string | null; tags: string[] }
  | { kind: 'latest'; flow: string; user: string | null; tags: string[]; successful: boolean };

/** Why a runspec could not be parsed, as a sentence for the thread. */
export interface RunspecError {
  error: string;
}

/** Longest flow name, run id, user or tag accepted, in characters; Metaflow's are far shorter. */
export const maxRunspecPartLength = 200;
/** Most `tagged` filters in one runspec. */
export const maxRunspecTags = 20;

const taggedPattern = /\s+tagged\s+(\S+)\s*$/i;
const latestPattern = /^(?:(?<owner>\S+?)(?:'s|’s)\s+|the\s+)?latest\s+(?<successful>successful\s+)?run\s+of\s+(?<flow>\S+)$/i;
const ownedFlowPattern = /^(?<owner>\S+?)(?:'s|’s)\s+(?<flow>\S+)$/i;
const pathspecPattern = /^(?<flow>[^/\s]+)\/(?<runId>[^/\s]+)$/;
const flowPattern = /^(?<flow>[^/\s]+)$/;

/**
 * Parses the text after `inspect` (or `export csv`) into a runspec. Flow names, run ids, users
 * and tags are returned as written: the reader validates them against Metaflow's naming rules
 * before they touch any file.
 */
export function parseRunspec(text: string): Runspec | RunspecError {
  const runspec = matchRunspec(text);
  if ('error' in runspec) {
    return runspec;
  }
  const parts = [runspec.flow, 'runId' in runspec ? runspec.runId : '', 'user' in runspec ? (runspec.user ?? '') : ''];
  const tags = 'tags' in runspec ? runspec.tags : [];
  if ([...parts, ...tags].some((part) => part.length > maxRunspecPartLength)) {
    return { error: `A name in that runspec is longer than ${maxRunspecPartLength} characters.` };
  }
  if (tags.length > maxRunspecTags) {
    return { error: `A runspec can have at most ${maxRunspecTags} tags.` };
  }
  return runspec;
}

function matchRunspec(text: string): Runspec | RunspecError {
  let rest = text.trim();
  const tags: string[] = [];

  for (let match = taggedPattern.exec(rest); match; match = taggedPattern.exec(rest)) {
    tags.unshift(match[1] ?? '');
    rest = rest.slice(0, match.index).trim();
  }

  const latest = latestPattern.exec(rest)?.groups;
  if (latest?.['flow']) {
    return {
      kind: 'latest',
      flow: latest['flow'],
      user: latest['owner'] ?? null,
      tags,
      successful: Boolean(latest['successful']),
    };
  }

  const owned = ownedFlowPattern.exec(rest)?.groups;
  if (owned?.['flow'] && owned['owner']) {
    return { kind: 'runs', flow: owned['flow'], user: owned['owner'], tags };
  }

  const pathspec = pathspecPattern.exec(rest)?.groups;
  if (pathspec?.['flow'] && pathspec['runId']) {
    if (tags.length > 0) {
      return { error: 'A run given by its pathspec cannot be filtered by tag.' };
    }
    return { kind: 'pathspec', flow: pathspec['flow'], runId: pathspec['runId'] };
  }

  const flow = flowPattern.exec(rest)?.groups;
  if (flow?.['flow']) {
    return { kind: 'runs', flow: flow['flow'], user: null, tags };
  }

  return { error: 'That is not a runspec I know.' };
}

export function isRunspecError(value: Runspec | RunspecError): value is RunspecError {
  return 'error' in value;
}

/** Formats a runspec back into the words a user would type. */
export function formatRunspec(runspec: Runspec): string {
  const tagged = 'tags' in runspec ? runspec.tags.map((tag) => ` tagged ${tag}`).join('') : '';
  switch (runspec.kind) {
    case 'pathspec':
      return `${runspec.flow}/${runspec.runId}`;
    case 'runs':
      return `${runspec.user ? `${runspec.user}'s ` : ''}${runspec.flow}${tagged}`;
    case 'latest': {
      const owner = runspec.user ? `${runspec.user}'s` : 'the';
      const successful = runspec.successful ? 'successful ' : '';
      return `${owner} latest ${successful}run of ${runspec.flow}${tagged}`;
    }
    default:
      return runspec satisfies never;
  }
}
