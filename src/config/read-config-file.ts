import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { ConfigError } from './config-error.ts';
import { describeJsonSyntaxError } from './describe-json-syntax-error.ts';

/**
 * Reads a config file: JSON when the name ends in `.json`, YAML otherwise. An empty YAML
 * file counts as no settings. Throws a `ConfigError` when the file cannot be read, does
 * not parse, or does not contain a mapping at the top.
 */
export async function readConfigFile(filePath: string): Promise<Record<string, unknown>> {
  const text = await readText(filePath);
  const data = path.extname(filePath).toLowerCase() === '.json' ? parseJson(text, filePath) : parseYaml(text, filePath);

  if (data === null || data === undefined) {
    return {};
  }
  if (typeof data !== 'object' || Array.isArray(data)) {
    const found = Array.isArray(data) ? 'a list' : `the value ${JSON.stringify(data)}`;
    throw new ConfigError('invalid_file', filePath, `Config file ${filePath} contains ${found}; expected a mapping of settings, such as "botName: Metaflow Bot".`);
  }
  return data as Record<string, unknown>;
}

async function readText(filePath: string): Promise<string> {
  try {
    return await readFile(filePath, 'utf8');
  } catch (error) {
    const reason = describeReadError(error);
    throw new ConfigError('unreadable_file', filePath, `Cannot read config file ${filePath}: ${reason}.`, { cause: error });
  }
}

function describeReadError(error: unknown): string {
  const code = error instanceof Error && 'code' in error ? error.code : undefined;
  switch (code) {
    case 'ENOENT':
      return 'the file does not exist';
    case 'EISDIR':
      return 'it is a folder';
    case 'EACCES':
      return 'permission denied';
    default:
      return String(error);
  }
}

function parseJson(text: string, filePath: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = describeJsonSyntaxError(error, text);
    throw new ConfigError('invalid_file', filePath, `Config file ${filePath} is not valid JSON: ${detail}.`);
  }
}

function parseYaml(text: string, filePath: string): unknown {
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const [first] = document.errors;
  if (first) {
    const firstLine = first.message.split('\n')[0] ?? first.message;
    throw new ConfigError('invalid_file', filePath, `Config file ${filePath} is not valid YAML: ${firstLine}`, { cause: first });
  }
  return document.toJS();
}
