/**
 * Reading Metaflow artifacts: Python pickles decoded into `PyValue` trees without running any
 * Python, and rendered the way Python's `repr` shows them.
 */
export type * from './python-value.ts';
export { decodePickle } from './decode-pickle.ts';
export { decodeArtifactBlob } from './decode-artifact-blob.ts';
export { renderRepr, type ReprOptions, type ReprResult } from './render-repr.ts';
export { pythonTypeName } from './python-type-name.ts';
export { toJsonValue } from './to-json-value.ts';
