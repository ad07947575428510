import { isJsonObject, optionalJson, optionalString, type ApiArgs } from './api-args.ts';
import { SlackApiError } from './slack-api-error.ts';
import type { MessageMetadata } from './slack-store.ts';

/** Longest `text` that `chat.postMessage` and `chat.update` accept, in characters. */
export const maxTextLength = 40_000;

/** Most blocks one message may carry. */
export const maxBlockCount = 50;

/** The content fields of a message as `chat.postMessage` and `chat.update` take them. */
export interface MessageContent {
  text?: string;
  blocks?: unknown[];
  metadata?: MessageMetadata;
}

/**
 * Reads and checks `text`, `blocks` and `metadata`, failing with the error codes Slack
 * uses: `no_text`, `msg_too_long`, `invalid_blocks`, `invalid_metadata_format` and
 * `invalid_metadata_schema`.
 */
export function readMessageContent(args: ApiArgs): MessageContent {
  const text = optionalString(args, 'text');
  const blocks = readBlocks(args);
  const metadata = readMetadata(args);

  if ((text === undefined || text === '') && blocks === undefined) {
    throw new SlackApiError('no_text');
  }
  // NOTE: counts UTF-16 code units; Slack's documentation says "characters" without
  // saying how it counts them, so text full of emoji may hit the limit at another length.
  if (text !== undefined && text.length > maxTextLength) {
    throw new SlackApiError('msg_too_long');
  }
  return { text, blocks, metadata };
}

function readBlocks(args: ApiArgs): unknown[] | undefined {
  const blocks = optionalJson(args, 'blocks', 'invalid_blocks');
  if (blocks === undefined) {
    return undefined;
  }
  if (!Array.isArray(blocks)) {
    throw new SlackApiError('invalid_blocks', ['[ERROR] must be an array [json-pointer:/blocks]']);
  }
  if (blocks.length > maxBlockCount) {
    throw new SlackApiError('invalid_blocks', [
      `[ERROR] no more than ${maxBlockCount} items allowed [json-pointer:/blocks]`,
    ]);
  }
  const badIndex = blocks.findIndex((block) => !isJsonObject(block) || typeof block['type'] !== 'string');
  if (badIndex !== -1) {
    throw new SlackApiError('invalid_blocks', [`[ERROR] missing required field: type [json-pointer:/blocks/${badIndex}]`]);
  }
  return blocks;
}

function readMetadata(args: ApiArgs): MessageMetadata | undefined {
  const metadata = optionalJson(args, 'metadata', 'invalid_metadata_format');
  if (metadata === undefined) {
    return undefined;
  }
  if (!isJsonObject(metadata)) {
    throw new SlackApiError('invalid_metadata_format', ['[ERROR] metadata must be a JSON object']);
  }

  const eventType = metadata['event_type'];
  const eventPayload = metadata['event_payload'];
  if (typeof eventType !== 'string' || eventType === '') {
    throw new SlackApiError('invalid_metadata_schema', ['[ERROR] event_type must be a non-empty string']);
  }
  if (!isJsonObject(eventPayload)) {
    throw new SlackApiError('invalid_metadata_schema', ['[ERROR] event_payload must be a JSON object']);
  }
  const badField = Object.entries(eventPayload).find(([, value]) => !isPayloadValue(value));
  if (badField) {
    throw new SlackApiError('invalid_metadata_schema', [`[ERROR] event_payload.${badField[0]} is not a string, number, boolean, flat object or list of flat objects`]);
  }
  return { event_type: eventType, event_payload: eventPayload };
}

/**
 * Checks a value against the shape `@slack/types` declares for `event_payload`: a scalar, an
 * object of scalars, or a list of such objects (lists of scalars pass too, since Slack's
 * examples use them). No `null`, and nothing nested deeper: Slack documents no limit beyond
 * that type, so the server keeps to it.
 */
function isPayloadValue(value: unknown): boolean {
  const isScalar = (item: unknown): boolean => typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean';
  const isFlatObject = (item: unknown): boolean => isJsonObject(item) && Object.values(item).every(isScalar);
  return isScalar(value) || isFlatObject(value) || (Array.isArray(value) && value.every((item) => isScalar(item) || isFlatObject(item)));
}
