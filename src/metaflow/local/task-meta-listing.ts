/**
 * The names in a task's `_meta` folder, sorted into what they record. The local metadata
 * provider writes `_self.json`, `sysmeta_<field>_<ms>.json` per metadata event and
 * `<attempt>_artifact_<name>.json` per artifact of a finished attempt. The names alone show
 * which attempts finished and which artifacts exist, without opening the files.
 */
export interface TaskMetaListing {
  hasSelf: boolean;
  /** Metadata file names by field, oldest first (by the milliseconds in the name). */
  metadataFiles: Map<string, string[]>;
  /** Artifact names (private ones included) by the attempt that wrote them. */
  artifactsByAttempt: Map<number, Set<string>>;
  /** Newest milliseconds in a metadata file name, or `null` when there are none. */
  newestMetadataMs: number | null;
}

const metadataNamePattern = /^sysmeta_(.+)_(\d+)\.json$/;
const artifactNamePattern = /^(\d+)_artifact_(.+)\.json$/;

/** Sorts the names of a `_meta` folder; names Metaflow does not write (temporary files) are ignored. */
export function parseTaskMetaListing(names: readonly string[]): TaskMetaListing {
  const listing: TaskMetaListing = {
    hasSelf: false,
    metadataFiles: new Map(),
    artifactsByAttempt: new Map(),
    newestMetadataMs: null,
  };
  const metadataMs = new Map<string, number>();

  for (const name of names) {
    if (name === '_self.json') {
      listing.hasSelf = true;
      continue;
    }

    const metadata = metadataNamePattern.exec(name);
    if (metadata) {
      const [, field = '', ms = '0'] = metadata;
      metadataMs.set(name, Number(ms));
      listing.metadataFiles.set(field, [...(listing.metadataFiles.get(field) ?? []), name]);
      listing.newestMetadataMs = Math.max(listing.newestMetadataMs ?? 0, Number(ms));
      continue;
    }

    const artifact = artifactNamePattern.exec(name);
    if (artifact) {
      const [, attempt = '0', artifactName = ''] = artifact;
      const names = listing.artifactsByAttempt.get(Number(attempt)) ?? new Set<string>();
      names.add(artifactName);
      listing.artifactsByAttempt.set(Number(attempt), names);
    }
  }

  for (const files of listing.metadataFiles.values()) {
    files.sort((left, right) => (metadataMs.get(left) ?? 0) - (metadataMs.get(right) ?? 0) || (left < right ? -1 : 1));
  }
  return listing;
}

/** Returns the newest metadata file name of a field, or `undefined` when the field was never written. */
export function newestMetadataFile(listing: TaskMetaListing, field: string): string | undefined {
  return listing.metadataFiles.get(field)?.at(-1);
}
