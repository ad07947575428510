import { MetaflowError } from '../errors.ts';
import { type LocalContext, type TaskPath, taskPathspec, taskSegments } from './local-context.ts';
import { parseMetadataRecord, type MetadataRecord } from './records.ts';
import { newestMetadataFile, type TaskMetaListing } from './task-meta-listing.ts';

/** Reads the newest event of a metadata field, or returns `null` when the field was never written. */
export async function readNewestMetadata(context: LocalContext, path: TaskPath, listing: TaskMetaListing, field: string): Promise<MetadataRecord | null> {
  const file = newestMetadataFile(listing, field);
  return file === undefined ? null : readMetadataFile(context, path, file);
}

/** Reads one `sysmeta_*.json` file that the `_meta` listing showed. */
export async function readMetadataFile(context: LocalContext, path: TaskPath, file: string): Promise<MetadataRecord> {
  const where = `${taskPathspec(path)}/_meta/${file}`;
  const json = await context.files.readJson([...taskSegments(path), '_meta', file]);
  if (json === null) {
    throw new MetaflowError('corrupt_data', `${where} disappeared while the task was being read.`);
  }
  return parseMetadataRecord(json, where);
}

