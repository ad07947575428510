/** The Metaflow metadata service backend: an HTTP client and a `MetaflowReader` over it. */
export { MetadataServiceClient, maxPageSize, type MetadataServiceClientOptions } from './service-client.ts';
export { ServiceReader, type ServiceReaderOptions } from './service-reader.ts';
