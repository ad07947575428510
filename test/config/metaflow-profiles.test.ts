import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.ts';
import { listMetaflowProfiles } from '../../src/config/list-metaflow-profiles.ts';
import { serviceRequestHeaders } from '../../src/config/metaflow-settings.ts';
import { readMetaflowProfile } from '../../src/config/read-metaflow-profile.ts';
import { makeTempFolder, type TempFolder } from './temp-folder.ts';

const authKey = 'mfkey-0123456789abcdefghijklmnop';

/** A profile as `metaflow configure aws` writes it: sorted keys, four-space indent. */
const awsProfile = JSON.stringify(
  {
    METAFLOW_BATCH_JOB_QUEUE: 'arn:aws:batch:us-west-2:123456789012:job-queue/metaflow',
    METAFLOW_DATASTORE_SYSROOT_S3: 's3://metaflow-bucket/metaflow',
    METAFLOW_DATATOOLS_S3ROOT: 's3://metaflow-bucket/data',
    METAFLOW_DEFAULT_DATASTORE: 's3',
    METAFLOW_DEFAULT_METADATA: 'service',
    METAFLOW_ECS_S3_ACCESS_IAM_ROLE: 'arn:aws:iam::123456789012:role/metaflow-batch',
    METAFLOW_SERVICE_AUTH_KEY: authKey,
    METAFLOW_SERVICE_INTERNAL_URL: 'http://127.0.0.1:8081/',
    METAFLOW_SERVICE_URL: 'http://127.0.0.1:8080/',
  },
  null,
  4,
);

/** A profile for a local datastore with the metadata service. */
const localServiceProfile = JSON.stringify(
  {
    METAFLOW_DATASTORE_SYSROOT_LOCAL: '/data/metaflow',
    METAFLOW_DEFAULT_DATASTORE: 'local',
    METAFLOW_DEFAULT_METADATA: 'service',
    METAFLOW_SERVICE_HEADERS: '{"X-Team": "forecasting"}',
    METAFLOW_SERVICE_URL: 'http://127.0.0.1:8080',
  },
  null,
  4,
);

let home: TempFolder;

beforeEach(async () => {
  home = await makeTempFolder();
});

afterEach(async () => {
  await home.remove();
});

async function readError(promise: Promise<unknown>): Promise<ConfigError> {
  const error: unknown = await promise.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  if (!(error instanceof ConfigError)) {
    throw new Error(`expected a ConfigError, got ${String(error)}`);
  }
  return error;
}

describe('readMetaflowProfile', () => {
  it('reads config.json as default', async () => {
    await home.write('config.json', localServiceProfile);

    const profile = await readMetaflowProfile(home.path, 'default', {});

    expect(profile.path).toBe(path.join(home.path, 'config.json'));
    expect(profile.fileFound).toBe(true);
    expect(profile.settings.defaultMetadata).toBe('service');
    expect(profile.settings.defaultDatastore).toBe('local');
    expect(profile.settings.datastoreSysrootLocal).toBe('/data/metaflow');
    expect(profile.settings.serviceUrl).toBe('http://127.0.0.1:8080');
    expect(profile.settings.serviceHeaders).toEqual({ 'X-Team': 'forecasting' });
    expect(profile.sources.serviceUrl).toBe('file');
    expect(profile.sources.serviceAuthKey).toBe('default');
  });

  it('reads a named profile', async () => {
    await home.write('config_aws.json', awsProfile);

    const profile = await readMetaflowProfile(home.path, 'aws', {});

    expect(profile.name).toBe('aws');
    expect(profile.path).toBe(path.join(home.path, 'config_aws.json'));
    expect(profile.settings.defaultDatastore).toBe('s3');
    expect(profile.settings.datastoreSysrootS3).toBe('s3://metaflow-bucket/metaflow');
    expect(profile.settings.serviceAuthKey).toBe(authKey);
    expect(profile.settings.datastoreSysrootLocal).toBeNull();
  });

  it('uses Metaflow defaults without config.json', async () => {
    const profile = await readMetaflowProfile(home.path, 'default', {});

    expect(profile.fileFound).toBe(false);
    expect(profile.settings).toEqual({
      defaultMetadata: 'local',
      defaultDatastore: 'local',
      datastoreSysrootLocal: null,
      datastoreSysrootS3: null,
      s3EndpointUrl: null,
      serviceUrl: null,
      serviceAuthKey: null,
      serviceHeaders: {},
    });
    expect(Object.values(profile.sources).every((source) => source === 'default')).toBe(true);
  });

  it('lets env override the file', async () => {
    await home.write('config_aws.json', awsProfile);
    const env = { METAFLOW_SERVICE_URL: 'http://127.0.0.1:9090/', METAFLOW_SERVICE_HEADERS: '{"X-Env": "yes"}' };

    const profile = await readMetaflowProfile(home.path, 'aws', env);

    expect(profile.settings.serviceUrl).toBe('http://127.0.0.1:9090/');
    expect(profile.sources.serviceUrl).toBe('env');
    expect(profile.settings.serviceHeaders).toEqual({ 'X-Env': 'yes' });
    expect(profile.settings.serviceAuthKey).toBe(authKey);
    expect(profile.sources.serviceAuthKey).toBe('file');
  });

  it('takes empty env strings as set', async () => {
    await home.write('config.json', localServiceProfile);

    const profile = await readMetaflowProfile(home.path, 'default', { METAFLOW_DATASTORE_SYSROOT_LOCAL: '' });

    expect(profile.settings.datastoreSysrootLocal).toBeNull();
    expect(profile.sources.datastoreSysrootLocal).toBe('env');
  });

  it('treats null file values as absent', async () => {
    await home.write('config.json', '{"METAFLOW_DEFAULT_METADATA": null}');

    const profile = await readMetaflowProfile(home.path, 'default', {});

    expect(profile.settings.defaultMetadata).toBe('local');
    expect(profile.sources.defaultMetadata).toBe('default');
  });

  it('accepts headers as a JSON object', async () => {
    await home.write('config.json', '{"METAFLOW_SERVICE_HEADERS": {"X-Team": "ml"}}');

    const profile = await readMetaflowProfile(home.path, 'default', {});

    expect(profile.settings.serviceHeaders).toEqual({ 'X-Team': 'ml' });
  });

  it('expands a tilde home', async () => {
    await home.write('mf/config_dev.json', '{}');

    const profile = await readMetaflowProfile('~/mf', 'dev', { HOME: home.path });

    expect(profile.path).toBe(path.join(home.path, 'mf', 'config_dev.json'));
  });
});

describe('readMetaflowProfile errors', () => {
  it('rejects a missing named profile', async () => {
    const error = await readError(readMetaflowProfile(home.path, 'prod', {}));

    expect(error.code).toBe('profile_not_found');
    expect(error.message).toContain('no config_prod.json in');
  });

  it('rejects a profile in a missing home', async () => {
    const error = await readError(readMetaflowProfile(path.join(home.path, 'absent'), 'prod', {}));

    expect(error.code).toBe('profile_not_found');
  });

  it('rejects unsafe profile names before reading', async () => {
    await home.write('config_..json', '{}');

    for (const name of ['../etc/passwd', 'a/b', 'a\\b', '..', '', 'prod name', 'x'.repeat(129)]) {
      const error = await readError(readMetaflowProfile(home.path, name, {}));

      expect(error.code).toBe('invalid_profile_name');
    }
  });

  it('rejects invalid JSON with the reason', async () => {
    await home.write('config_broken.json', `{"METAFLOW_SERVICE_AUTH_KEY": ${authKey}}`);

    const error = await readError(readMetaflowProfile(home.path, 'broken', {}));

    expect(error.code).toBe('invalid_file');
    expect(error.message).toContain('is not valid JSON');
    expect(error.message).not.toContain(authKey);
    expect(error.message).not.toContain(authKey.slice(0, 10));
  });

  it('rejects a JSON list', async () => {
    await home.write('config_list.json', '["METAFLOW_DEFAULT_METADATA"]');

    const error = await readError(readMetaflowProfile(home.path, 'list', {}));

    expect(error.code).toBe('invalid_file');
    expect(error.message).toContain('JSON object');
  });

  it('rejects an unsupported datastore', async () => {
    await home.write('config_gcp.json', '{"METAFLOW_DEFAULT_DATASTORE": "gs"}');

    const error = await readError(readMetaflowProfile(home.path, 'gcp', {}));

    expect(error.code).toBe('invalid_value');
    expect(error.field).toBe('METAFLOW_DEFAULT_DATASTORE');
    expect(error.message).toContain('"gs"');
    expect(error.message).toContain('in config_gcp.json');
  });

  it('rejects a bad env value', async () => {
    const error = await readError(readMetaflowProfile(home.path, 'default', { METAFLOW_DEFAULT_METADATA: 'mongo' }));

    expect(error.field).toBe('METAFLOW_DEFAULT_METADATA');
    expect(error.message).toContain('from the environment');
  });

  it('rejects a non-http service URL', async () => {
    const error = await readError(readMetaflowProfile(home.path, 'default', { METAFLOW_SERVICE_URL: 'ftp://127.0.0.1' }));

    expect(error.field).toBe('METAFLOW_SERVICE_URL');
  });

  it('rejects a service URL with credentials', async () => {
    const password = 's3cretpassw0rd';
    const urls = [`http://user:${password}@127.0.0.1:18080`, `http:user:${password}@127.0.0.1:18080`, `http://${password}@127.0.0.1:18080/api`];

    for (const url of urls) {
      const error = await readError(readMetaflowProfile(home.path, 'default', { METAFLOW_SERVICE_URL: url }));

      expect(error.code).toBe('invalid_value');
      expect(error.field).toBe('METAFLOW_SERVICE_URL');
      expect(error.message).toContain('user name or password');
      expect(error.message).toContain('METAFLOW_SERVICE_AUTH_KEY');
      expect(error.message).toContain('METAFLOW_SERVICE_HEADERS');
      expect(error.message).not.toContain(password);
    }
  });

  it('rejects an S3 endpoint with credentials', async () => {
    const env = { METAFLOW_S3_ENDPOINT_URL: 'http://minio:s3cretpassw0rd@127.0.0.1:9000' };

    const error = await readError(readMetaflowProfile(home.path, 'default', env));

    expect(error.field).toBe('METAFLOW_S3_ENDPOINT_URL');
    expect(error.message).toContain('"http://…@127.0.0.1:9000"');
    expect(error.message).toContain('AWS_ACCESS_KEY_ID');
    expect(error.message).not.toContain('s3cretpassw0rd');
  });

  it('quotes a credential URL without them', async () => {
    await home.write('config_leaky.json', JSON.stringify({ METAFLOW_SERVICE_URL: 'https://ada:s3cretpassw0rd@127.0.0.1:18080/api' }));

    const error = await readError(readMetaflowProfile(home.path, 'leaky', {}));

    expect(error.message).toContain('"https://…@127.0.0.1:18080/api"');
    expect(error.message).toContain('in config_leaky.json');
    expect(error.message).not.toContain('ada');
  });

  it('rejects an S3 root without s3://', async () => {
    await home.write('config.json', '{"METAFLOW_DATASTORE_SYSROOT_S3": "metaflow-bucket/metaflow"}');

    const error = await readError(readMetaflowProfile(home.path, 'default', {}));

    expect(error.field).toBe('METAFLOW_DATASTORE_SYSROOT_S3');
  });

  it('rejects headers that are not an object', async () => {
    for (const headers of ['not json', '["X-Team"]', '{"X-Retries": 3}', '']) {
      const error = await readError(readMetaflowProfile(home.path, 'default', { METAFLOW_SERVICE_HEADERS: headers }));

      expect(error.field).toBe('METAFLOW_SERVICE_HEADERS');
    }
  });

  it('rejects header names that are not tokens', async () => {
    const names = ['Bad Header', 'X-A:', 'Authorization: Bearer secret-token', 'X(A)', 'X-Ä', '', 'X\nY'];

    for (const name of names) {
      const error = await readError(readMetaflowProfile(home.path, 'default', { METAFLOW_SERVICE_HEADERS: JSON.stringify({ [name]: 'x' }) }));

      expect(error.field).toBe('METAFLOW_SERVICE_HEADERS');
      expect(error.message).toContain('header name');
      expect(error.message).not.toContain('secret-token');
    }
  });

  it('rejects connection headers', async () => {
    for (const name of ['Keep-Alive', 'transfer-encoding', 'Upgrade', 'Expect', 'Connection', 'Content-Length']) {
      const error = await readError(readMetaflowProfile(home.path, 'default', { METAFLOW_SERVICE_HEADERS: JSON.stringify({ [name]: 'x' }) }));

      expect(error.message).toContain('describes the HTTP connection');
    }
  });

  it('names the first bad name character', async () => {
    const error = await readError(readMetaflowProfile(home.path, 'default', { METAFLOW_SERVICE_HEADERS: '{"Bad Header": "x"}' }));

    expect(error.message).toContain('header name "Bad…" contains a space at position 4');
  });

  it('accepts every token character in names', async () => {
    const name = "X-a0!#$%&'*+.^_`|~";

    const profile = await readMetaflowProfile(home.path, 'default', { METAFLOW_SERVICE_HEADERS: JSON.stringify({ [name]: 'x' }) });

    expect(profile.settings.serviceHeaders).toEqual({ [name]: 'x' });
  });

  it('rejects CR, LF and NUL in values', async () => {
    const cases = [
      { value: 'first\nsecond-secret', described: 'a line feed (U+000A)' },
      { value: 'first\rsecond-secret', described: 'a carriage return (U+000D)' },
      { value: 'first\u0000second-secret', described: 'a NUL character (U+0000)' },
    ];

    for (const { value, described } of cases) {
      const error = await readError(readMetaflowProfile(home.path, 'default', { METAFLOW_SERVICE_HEADERS: JSON.stringify({ 'X-A': value }) }));

      expect(error.field).toBe('METAFLOW_SERVICE_HEADERS');
      expect(error.message).toContain(`the value of header "X-A" contains ${described}`);
      expect(error.message).not.toContain('secret');
      expect(error.message).not.toContain('first');
    }
  });

  it('rejects values fetch cannot send', async () => {
    await home.write('config.json', JSON.stringify({ METAFLOW_SERVICE_HEADERS: { 'X-Price': '10 €' } }));

    const error = await readError(readMetaflowProfile(home.path, 'default', {}));

    expect(error.message).toContain('the value of header "X-Price" contains the character U+20AC');
    expect(error.message).not.toContain('10 ');
  });

  it('accepts tabs and Latin-1 in values', async () => {
    const headers = { 'X-Team': 'forecasting\tbatch', 'X-Name': 'Zoë', 'X-Empty': '' };

    const profile = await readMetaflowProfile(home.path, 'default', { METAFLOW_SERVICE_HEADERS: JSON.stringify(headers) });

    expect(profile.settings.serviceHeaders).toEqual(headers);
  });

  it('rejects a number where a string belongs', async () => {
    await home.write('config.json', '{"METAFLOW_SERVICE_URL": 8080}');

    const error = await readError(readMetaflowProfile(home.path, 'default', {}));

    expect(error.message).toContain('expected a string, found number');
  });

  it('masks bad header text', async () => {
    const headers = `Authorization: Bearer ${authKey}`;

    const error = await readError(readMetaflowProfile(home.path, 'default', { METAFLOW_SERVICE_HEADERS: headers }));

    expect(error.message).not.toContain(authKey);
    expect(error.message).toContain('…mnop');
  });

  it('requires a URL for the service', async () => {
    await home.write('config.json', '{"METAFLOW_DEFAULT_METADATA": "service"}');

    const error = await readError(readMetaflowProfile(home.path, 'default', {}));

    expect(error.code).toBe('missing_setting');
    expect(error.field).toBe('METAFLOW_SERVICE_URL');
  });

  it('requires an S3 root for s3', async () => {
    const error = await readError(readMetaflowProfile(home.path, 'default', { METAFLOW_DEFAULT_DATASTORE: 's3' }));

    expect(error.code).toBe('missing_setting');
    expect(error.field).toBe('METAFLOW_DATASTORE_SYSROOT_S3');
  });
});

describe('listMetaflowProfiles', () => {
  it('lists default and named profiles', async () => {
    await home.write('config.json', localServiceProfile);
    await home.write('config_aws.json', awsProfile);
    await home.write('config_dev.json', '{}');
    await home.write('notes.txt', 'not a profile');
    await home.write('config_aws.json.bak', awsProfile);

    const entries = await listMetaflowProfiles(home.path);

    expect(entries.map((entry) => entry.name)).toEqual(['default', 'aws', 'dev']);
    expect(entries.every((entry) => entry.usable)).toBe(true);
  });

  it('lists default for a missing home', async () => {
    const entries = await listMetaflowProfiles(path.join(home.path, 'absent'));

    expect(entries).toHaveLength(1);
    expect(entries[0]?.name).toBe('default');
    expect(entries[0]?.usable).toBe(true);
  });

  it('reports invalid JSON as unusable', async () => {
    await home.write('config_broken.json', '{"METAFLOW_DEFAULT_METADATA": "local",}');
    await home.write('config_good.json', '{}');

    const entries = await listMetaflowProfiles(home.path);
    const broken = entries.find((entry) => entry.name === 'broken');

    expect(broken?.usable).toBe(false);
    expect(broken && !broken.usable ? broken.reason : '').toContain('is not valid JSON');
    expect(broken && !broken.usable ? broken.reason : '').toContain('line 1');
    expect(entries.find((entry) => entry.name === 'good')?.usable).toBe(true);
  });

  it('reports unselectable file names', async () => {
    await home.write('config_bad name.json', '{}');
    await home.write('config_default.json', '{}');

    const entries = await listMetaflowProfiles(home.path);
    const badName = entries.find((entry) => entry.name === 'bad name');
    const shadowed = entries.find((entry) => entry.path.endsWith('config_default.json'));

    expect(badName?.usable).toBe(false);
    expect(badName && !badName.usable ? badName.error.code : '').toBe('invalid_profile_name');
    expect(shadowed?.usable).toBe(false);
    expect(entries[0]?.path).toBe(path.join(home.path, 'config.json'));
  });

  it('applies env to each profile', async () => {
    await home.write('config_dev.json', '{}');

    const entries = await listMetaflowProfiles(home.path, { METAFLOW_DEFAULT_DATASTORE: 's3' });

    expect(entries.map((entry) => entry.usable)).toEqual([false, false]);
  });

  it('lists a credential URL without them', async () => {
    await home.write('config_leaky.json', JSON.stringify({ METAFLOW_DEFAULT_METADATA: 'service', METAFLOW_SERVICE_URL: 'http://user:s3cretpassw0rd@127.0.0.1:18080' }));

    const entries = await listMetaflowProfiles(home.path);
    const leaky = entries.find((entry) => entry.name === 'leaky');

    expect(leaky?.usable).toBe(false);
    expect(leaky?.usable === false ? leaky.reason : '').toContain('"http://…@127.0.0.1:18080"');
    expect(JSON.stringify(entries)).not.toContain('s3cretpassw0rd');
  });

  it('rejects a home that is a file', async () => {
    const filePath = await home.write('not-a-folder', '');

    const error = await readError(listMetaflowProfiles(filePath));

    expect(error.code).toBe('unreadable_file');
  });
});

describe('serviceRequestHeaders', () => {
  it('adds the auth key as x-api-key', async () => {
    await home.write('config_aws.json', awsProfile);
    const profile = await readMetaflowProfile(home.path, 'aws', { METAFLOW_SERVICE_HEADERS: '{"x-api-key": "old", "X-Team": "ml"}' });

    expect(serviceRequestHeaders(profile.settings)).toEqual({ 'x-api-key': authKey, 'X-Team': 'ml' });
  });

  it('replaces x-api-key in any case', async () => {
    await home.write('config_aws.json', awsProfile);
    const profile = await readMetaflowProfile(home.path, 'aws', { METAFLOW_SERVICE_HEADERS: '{"X-Api-Key": "old"}' });

    expect(serviceRequestHeaders(profile.settings)).toEqual({ 'x-api-key': authKey });
  });
});
