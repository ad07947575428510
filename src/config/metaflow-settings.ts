/**
 * The Metaflow settings the bot uses. They are read the way `from_conf` in Metaflow's
 * `metaflow_config_funcs.py` reads them: the `METAFLOW_<NAME>` environment variable when it
 * is set, even to an empty string. Else the key of the same name in the profile's JSON
 * file, else Metaflow's default.
 */
export interface MetaflowSettings {
  /** `METAFLOW_DEFAULT_METADATA`: where run metadata lives. */
  defaultMetadata: 'local' | 'service';
  /** `METAFLOW_DEFAULT_DATASTORE`: where artifacts and logs live. */
  defaultDatastore: 'local' | 's3';
  /** `METAFLOW_DATASTORE_SYSROOT_LOCAL`: folder that contains `.metaflow`, as written. */
  datastoreSysrootLocal: string | null;
  /** `METAFLOW_DATASTORE_SYSROOT_S3`: `s3://bucket/prefix` of the S3 datastore. */
  datastoreSysrootS3: string | null;
  /** `METAFLOW_S3_ENDPOINT_URL`: endpoint of an S3-compatible store; `null` lets the AWS SDK choose. */
  s3EndpointUrl: string | null;
  /** `METAFLOW_SERVICE_URL`: base URL of the Metaflow metadata service. */
  serviceUrl: string | null;
  /** `METAFLOW_SERVICE_AUTH_KEY`: sent to the service as the `x-api-key` header. */
  serviceAuthKey: string | null;
  /** `METAFLOW_SERVICE_HEADERS`: extra HTTP headers for the service, a JSON object of strings. */
  serviceHeaders: Record<string, string>;
}

/** Origin of a Metaflow setting's value. */
export type MetaflowSettingSource = 'env' | 'file' | 'default';

/** One setting: its `METAFLOW_*` name, Metaflow's default, and how to check a value. */
export interface MetaflowSettingSpec<K extends keyof MetaflowSettings = keyof MetaflowSettings> {
  field: K;
  name: string;
  defaultValue: MetaflowSettings[K];
  secret: boolean;
  /** Returns the typed value, or throws an `Error` whose message completes "… is invalid: ". */
  parse(raw: unknown): MetaflowSettings[K];
}

/** The settings table, in the order `config show` lists them. */
export const metaflowSettingSpecs: readonly MetaflowSettingSpec[] = [
  spec('defaultMetadata', 'METAFLOW_DEFAULT_METADATA', 'local', false, (raw) => parseChoice(raw, ['local', 'service'], 'the bot reads only local metadata and the metadata service')),
  spec('defaultDatastore', 'METAFLOW_DEFAULT_DATASTORE', 'local', false, (raw) => parseChoice(raw, ['local', 's3'], 'the bot reads only the local and s3 datastores')),
  spec('datastoreSysrootLocal', 'METAFLOW_DATASTORE_SYSROOT_LOCAL', null, false, parseOptionalString),
  spec('datastoreSysrootS3', 'METAFLOW_DATASTORE_SYSROOT_S3', null, false, parseS3Root),
  spec('s3EndpointUrl', 'METAFLOW_S3_ENDPOINT_URL', null, false, parseEndpointUrl),
  spec('serviceUrl', 'METAFLOW_SERVICE_URL', null, false, parseServiceUrl),
  spec('serviceAuthKey', 'METAFLOW_SERVICE_AUTH_KEY', null, true, parseOptionalString),
  spec('serviceHeaders', 'METAFLOW_SERVICE_HEADERS', {}, true, parseHeaders),
];

/**
 * Returns the headers to send to the metadata service: `METAFLOW_SERVICE_HEADERS` plus
 * `x-api-key` from `METAFLOW_SERVICE_AUTH_KEY`, which wins over a header of that name,
 * as in Metaflow.
 */
export function serviceRequestHeaders(settings: MetaflowSettings): Record<string, string> {
  const headers = { ...settings.serviceHeaders };
  if (settings.serviceAuthKey !== null) {
    // Header names are case-insensitive, so `X-Api-Key` would be sent as well and joined with a comma.
    for (const name of Object.keys(headers).filter((key) => key.toLowerCase() === 'x-api-key')) {
      delete headers[name];
    }
    headers['x-api-key'] = settings.serviceAuthKey;
  }
  return headers;
}

/** Builds a table entry. The cast erases `K`, so that one array can contain every setting. */
function spec<K extends keyof MetaflowSettings>(
  field: K,
  name: string,
  defaultValue: MetaflowSettings[K],
  secret: boolean,
  parse: (raw: unknown) => MetaflowSettings[K],
): MetaflowSettingSpec {
  return { field, name, defaultValue, secret, parse } as unknown as MetaflowSettingSpec;
}

function parseChoice<T extends string>(raw: unknown, choices: readonly T[], limitation: string): T {
  const value = requireString(raw);
  const choice = choices.find((candidate) => candidate === value);
  if (choice === undefined) {
    throw new Error(`expected ${choices.join(' or ')}, because ${limitation}`);
  }
  return choice;
}

/**
 * Parses an optional string and takes an empty one as not set.
 * NOTE: Metaflow would use an empty string as it is: an empty auth key is still sent as `x-api-key`.
 */
function parseOptionalString(raw: unknown): string | null {
  const value = requireString(raw);
  return value === '' ? null : value;
}

function parseS3Root(raw: unknown): string | null {
  const value = parseOptionalString(raw);
  if (value !== null && !/^s3:\/\/[^/]+/.test(value)) {
    throw new Error('expected an S3 URL such as s3://my-bucket/metaflow');
  }
  return value;
}

function parseEndpointUrl(raw: unknown): string | null {
  const value = parseOptionalString(raw);
  if (value !== null && !/^https?:\/\/[^/]/.test(value)) {
    throw new Error('expected an http or https URL such as http://127.0.0.1:9000');
  }
  if (value !== null && /^https?:\/\/[^/?#]*@/.test(value)) {
    throw new Error(
      'the URL contains a user name or password, but S3 requests are signed with AWS credentials instead. ' +
        'Remove them from the URL and give the credentials to the AWS SDK, for example as AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
    );
  }
  return value;
}

function parseServiceUrl(raw: unknown): string | null {
  const value = parseOptionalString(raw);
  if (value === null) {
    return null;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error('expected an http or https URL such as https://metaflow.example.com/api');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error('expected an http or https URL such as https://metaflow.example.com/api');
  }
  // fetch (Node 20's undici) rejects every request to a URL with a user name or password, so
  // such a URL would only fail later, once per lookup.
  if (url.username !== '' || url.password !== '') {
    throw new Error(
      'the URL contains a user name or password, which requests cannot carry. ' +
        'Remove them from the URL and set METAFLOW_SERVICE_AUTH_KEY (sent as the x-api-key header) or METAFLOW_SERVICE_HEADERS (such as {"Authorization": "Basic …"}) instead',
    );
  }
  return value;
}

/** Metaflow takes a JSON object from the file as it is, and parses a string as JSON. */
/** Headers that describe the connection, which fetch sets itself and refuses from a caller. */
const connectionHeaderNames = new Set(['connection', 'content-length', 'expect', 'keep-alive', 'transfer-encoding', 'upgrade']);

function parseHeaders(raw: unknown): Record<string, string> {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new Error('expected a JSON object such as {"Authorization": "Bearer …"}, but the text is not valid JSON');
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error('expected a JSON object of header names to string values');
  }
  const entries = Object.entries(value);
  for (const [name, headerValue] of entries) {
    checkHeaderName(name);
    if (connectionHeaderNames.has(name.toLowerCase())) {
      throw new Error(`header ${JSON.stringify(name)} describes the HTTP connection, which the bot manages itself. Remove it`);
    }
    if (typeof headerValue !== 'string') {
      throw new Error(`expected string header values, but header ${JSON.stringify(name)} is not a string`);
    }
    checkHeaderValue(name, headerValue);
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

/** An HTTP field name: one or more `tchar` of RFC 9110, section 5.6.2. */
const headerNamePattern = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Maximum number of characters of an invalid header name that an error message quotes. */
const maxQuotedNameLength = 40;

/** Characters that RFC 9110 forbids in a field value: CR, LF and NUL. */
const forbiddenValueCharacter = /[\r\n\0]/;

/** Highest code point that fetch sends in a header value, which must be a byte string. */
const maxHeaderCodePoint = 0xff;

/**
 * Throws unless `name` is an HTTP token. The message quotes the name only up to its first
 * invalid character, because a name such as `Authorization: Bearer …` can contain a secret after it.
 */
function checkHeaderName(name: string): void {
  if (headerNamePattern.test(name)) {
    return;
  }
  const characters = [...name];
  const index = characters.findIndex((character) => !headerNamePattern.test(character));
  if (index === -1) {
    throw new Error("a header name is empty. A header name is one or more letters, digits or !#$%&'*+-.^_`|~");
  }
  const prefix = JSON.stringify(`${characters.slice(0, Math.min(index, maxQuotedNameLength)).join('')}…`);
  const character = describeCharacter(characters[index] ?? '');
  throw new Error(
    `header name ${prefix} contains ${character} at position ${index + 1}, but a header name may contain only letters, digits and !#$%&'*+-.^_\`|~. Fix or remove the header`,
  );
}

/** Throws when a header value contains a character that HTTP or fetch cannot send. The message never quotes the value. */
function checkHeaderValue(name: string, headerValue: string): void {
  for (const character of headerValue) {
    if (forbiddenValueCharacter.test(character)) {
      throw new Error(`the value of header ${JSON.stringify(name)} contains ${describeCharacter(character)}, which HTTP forbids in header values. Remove it`);
    }
    if ((character.codePointAt(0) ?? 0) > maxHeaderCodePoint) {
      const problem = `contains ${describeCharacter(character)}, but fetch sends only characters up to U+00FF in header values`;
      throw new Error(`the value of header ${JSON.stringify(name)} ${problem}. Percent-encode or remove it`);
    }
  }
}

/** Names a character for an error message: by name or code point when it cannot be shown, else quoted. */
function describeCharacter(character: string): string {
  const codePoint = character.codePointAt(0) ?? 0;
  const hex = `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
  switch (character) {
    case ' ':
      return 'a space';
    case '\r':
      return `a carriage return (${hex})`;
    case '\n':
      return `a line feed (${hex})`;
    case '\0':
      return `a NUL character (${hex})`;
    default:
      return codePoint < 0x21 || codePoint > 0x7e ? `the character ${hex}` : `the character ${JSON.stringify(character)}`;
  }
}

function requireString(raw: unknown): string {
  if (typeof raw !== 'string') {
    throw new Error(`expected a string, found ${Array.isArray(raw) ? 'a list' : typeof raw}`);
  }
  return raw;
}
