import path from 'node:path';
import type { MetaflowSettings } from '../../config/index.ts';
import { serviceRequestHeaders } from '../../config/index.ts';
import type { Logger } from '../../logger.ts';
import type { BlobStore } from '../blob-store.ts';
import { LocalBlobStore } from '../local-blob-store.ts';
import { localDatastoreFolder } from '../local/datastore-folder.ts';
import { createS3BlobStore } from '../s3/s3-blob-store.ts';
import { MetadataServiceClient } from './service-client.ts';
import { ServiceReader } from './service-reader.ts';

/** A reader for a profile, or the sentence that says why the profile cannot be read. */
export type OpenedServiceReader = { reader: ServiceReader; problem: null } | { reader: null; problem: string };

/**
 * Opens a `ServiceReader` for a profile with `METAFLOW_DEFAULT_METADATA=service`: the service
 * at `METAFLOW_SERVICE_URL` with Metaflow's headers, and the datastore the profile names
 * (`METAFLOW_DATASTORE_SYSROOT_LOCAL`, resolved against `cwd`, or `METAFLOW_DATASTORE_SYSROOT_S3`
 * with `METAFLOW_S3_ENDPOINT_URL`). S3 credentials come from the AWS SDK's default chain.
 */
export function openServiceReader(settings: MetaflowSettings, cwd: string, logger: Logger): OpenedServiceReader {
  if (settings.serviceUrl === null) {
    return { reader: null, problem: 'it reads run metadata from the metadata service but sets no METAFLOW_SERVICE_URL.' };
  }
  const blobs = openBlobStore(settings, cwd, logger);
  if (typeof blobs === 'string') {
    return { reader: null, problem: blobs };
  }
  const client = new MetadataServiceClient({ baseUrl: settings.serviceUrl, headers: serviceRequestHeaders(settings), logger });
  return { reader: new ServiceReader({ client, blobs, logger }), problem: null };
}

function openBlobStore(settings: MetaflowSettings, cwd: string, logger: Logger): BlobStore | string {
  if (settings.defaultDatastore === 's3') {
    if (settings.datastoreSysrootS3 === null) {
      return 'its datastore is S3 but it sets no METAFLOW_DATASTORE_SYSROOT_S3.';
    }
    try {
      return createS3BlobStore({ root: settings.datastoreSysrootS3, logger, ...(settings.s3EndpointUrl === null ? {} : { endpoint: settings.s3EndpointUrl }) });
    } catch (error) {
      return `its METAFLOW_DATASTORE_SYSROOT_S3 cannot be used: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  if (settings.datastoreSysrootLocal === null) {
    return 'its datastore is local but it sets no METAFLOW_DATASTORE_SYSROOT_LOCAL, where artifacts and logs are.';
  }
  return new LocalBlobStore(path.join(path.resolve(cwd, settings.datastoreSysrootLocal), localDatastoreFolder));
}
