import { compareTs } from './id-source.ts';

/** Application data attached to a message, as `chat.postMessage` takes it. */
export interface MessageMetadata {
  event_type: string;
  event_payload: Record<string, unknown>;
}

/** A file attached to a message, in the short form the server puts into message objects. */
export interface MessageFile {
  id: string;
  name: string;
  title: string;
  size: number;
}

/**
 * A stored message. Field names follow Slack's wire format, so a test can compare it
 * with what the Web API returns. `channel` is kept on every record for lookups.
 */
export interface SlackMessage {
  type: 'message';
  channel: string;
  ts: string;
  text: string;
  thread_ts?: string;
  user?: string;
  bot_id?: string;
  app_id?: string;
  subtype?: string;
  team?: string;
  blocks?: unknown[];
  metadata?: MessageMetadata;
  files?: MessageFile[];
  upload?: boolean;
  edited?: { user: string; ts: string };
}

/** A workspace member as `users.info` describes it. */
export interface UserProfile {
  id: string;
  name: string;
  realName: string;
  isBot: boolean;
  /** IANA time zone, such as `Europe/Amsterdam`. */
  tz: string;
}

/** A thread: the channel and the `ts` of its parent message. */
export interface ThreadRef {
  channel: string;
  ts: string;
}

/** A file that went through `files.getUploadURLExternal`, the upload URL and maybe `files.completeUploadExternal`. */
export interface UploadedFile {
  id: string;
  filename: string;
  /** Byte count that `files.getUploadURLExternal` declared. */
  length: number;
  /** The uploaded content; undefined until the upload URL received it. */
  bytes?: Buffer;
  title?: string;
  channel?: string;
  threadTs?: string;
  initialComment?: string;
  /** True once `files.completeUploadExternal` accepted the file. */
  completed: boolean;
}

/** One Web API request as the server handled it. `args` never contains the token. */
export interface ApiCallRecord {
  method: string;
  args: Record<string, unknown>;
  /** Milliseconds since the Unix epoch. */
  time: number;
  /** HTTP status of the response: 200, or 429 for a simulated rate limit. */
  status: number;
  ok: boolean;
  error?: string;
}

/** Where an event is in its delivery to the bot. */
export type EventState = 'queued' | 'in_flight' | 'acked' | 'abandoned';

/** One attempt to deliver an event, over Socket Mode or HTTP. */
export interface DeliveryAttempt {
  eventId: string;
  transport: 'socket' | 'http';
  /** 0 for the first delivery, then 1, 2, … for redeliveries. */
  retryAttempt: number;
  /** Empty on the first delivery; `timeout`, `http_timeout`, `http_error` or `connection_failed` on retries. */
  retryReason: string;
  envelopeId?: string;
  connectionId?: number;
  /** Milliseconds since the Unix epoch. */
  sentAt: number;
  outcome: 'pending' | 'acked' | 'timed_out' | 'failed';
  /** HTTP status of the bot's response (HTTP transport only). */
  status?: number;
  /** The `payload` the bot sent with its Socket Mode ack. */
  ackPayload?: unknown;
}

/** One Socket Mode connection; times are milliseconds since the Unix epoch. */
export interface SocketConnectionRecord {
  id: number;
  openedAt: number;
  closedAt?: number;
}

type ChangeListener = () => void;

/**
 * The server's state: messages per channel in `ts` order, uploaded files,
 * the Web API call log and the event deliveries. Getters return copies, and every
 * change notifies the listeners that the waiting helpers use.
 */
export class SlackStore {
  private readonly messagesByChannel = new Map<string, SlackMessage[]>();
  private readonly filesById = new Map<string, UploadedFile>();
  private readonly callLog: ApiCallRecord[] = [];
  private readonly attempts: DeliveryAttempt[] = [];
  private readonly eventStates = new Map<string, EventState>();
  private readonly usersById = new Map<string, UserProfile>();
  private readonly connections: SocketConnectionRecord[] = [];
  private readonly listeners = new Set<ChangeListener>();

  /** Inserts a message at its `ts` position in the channel. */
  addMessage(message: SlackMessage): void {
    const messages = this.messagesByChannel.get(message.channel) ?? [];
    const index = messages.findIndex((existing) => compareTs(existing.ts, message.ts) > 0);
    messages.splice(index === -1 ? messages.length : index, 0, structuredClone(message));
    this.messagesByChannel.set(message.channel, messages);
    this.notify();
  }

  /** Replaces the stored message with the same channel and `ts`; returns false when there is none. */
  replaceMessage(message: SlackMessage): boolean {
    const messages = this.messagesByChannel.get(message.channel) ?? [];
    const index = messages.findIndex((existing) => existing.ts === message.ts);
    if (index === -1) {
      return false;
    }
    messages[index] = structuredClone(message);
    this.notify();
    return true;
  }

  /** Returns a copy of the message, or undefined. */
  findMessage(channel: string, ts: string): SlackMessage | undefined {
    const message = this.messagesByChannel.get(channel)?.find((existing) => existing.ts === ts);
    return message && structuredClone(message);
  }

  /** Returns every message of the channel, replies included, oldest first. */
  channelMessages(channel: string): SlackMessage[] {
    return structuredClone(this.messagesByChannel.get(channel) ?? []);
  }

  /** Returns the parent and its replies, oldest first; empty when the parent does not exist. */
  threadMessages(thread: ThreadRef): SlackMessage[] {
    const messages = this.messagesByChannel.get(thread.channel) ?? [];
    return structuredClone(messages.filter((message) => message.ts === thread.ts || message.thread_ts === thread.ts));
  }

  /** Returns the messages of every channel, each channel oldest first. */
  allMessages(): SlackMessage[] {
    return [...this.messagesByChannel.keys()].flatMap((channel) => this.channelMessages(channel));
  }

  /** Adds a workspace member, or replaces the one with the same id. */
  saveUser(user: UserProfile): void {
    this.usersById.set(user.id, { ...user });
  }

  /** Returns a copy of the member, or undefined. */
  findUser(id: string): UserProfile | undefined {
    const user = this.usersById.get(id);
    return user && { ...user };
  }

  /** Adds or replaces an uploaded file record. */
  saveFile(file: UploadedFile): void {
    this.filesById.set(file.id, copyFile(file));
    this.notify();
  }

  /** Returns a copy of the file record, or undefined. */
  findFile(id: string): UploadedFile | undefined {
    const file = this.filesById.get(id);
    return file && copyFile(file);
  }

  /** Returns every file record in the order the uploads began. */
  files(): UploadedFile[] {
    return [...this.filesById.values()].map(copyFile);
  }

  /** Appends a Web API call to the log. */
  recordCall(call: ApiCallRecord): void {
    this.callLog.push(structuredClone(call));
    this.notify();
  }

  /** Returns the Web API call log, oldest first, optionally only the calls of one method. */
  calls(method?: string): ApiCallRecord[] {
    const selected = method === undefined ? this.callLog : this.callLog.filter((call) => call.method === method);
    return structuredClone(selected);
  }

  /** Sets the delivery state of an event. */
  setEventState(eventId: string, state: EventState): void {
    this.eventStates.set(eventId, state);
    this.notify();
  }

  /** Returns the delivery state of an event, or undefined for an unknown event id. */
  eventState(eventId: string): EventState | undefined {
    return this.eventStates.get(eventId);
  }

  /** Appends a delivery attempt; later changes go through `updateAttempt`. */
  recordAttempt(attempt: DeliveryAttempt): void {
    this.attempts.push({ ...attempt });
    this.notify();
  }

  /** Changes the fields of the attempt with the same event id and retry attempt number. */
  updateAttempt(eventId: string, retryAttempt: number, change: Partial<DeliveryAttempt>): void {
    const attempt = this.attempts.find((entry) => entry.eventId === eventId && entry.retryAttempt === retryAttempt);
    if (attempt) {
      Object.assign(attempt, change);
      this.notify();
    }
  }

  /** Returns the delivery attempts, oldest first, optionally only those of one event. */
  deliveryAttempts(eventId?: string): DeliveryAttempt[] {
    const selected = eventId === undefined ? this.attempts : this.attempts.filter((entry) => entry.eventId === eventId);
    return selected.map((entry) => ({ ...entry }));
  }

  /** Records that Socket Mode connection `id` opened. */
  recordConnectionOpened(id: number): void {
    this.connections.push({ id, openedAt: Date.now() });
    this.notify();
  }

  /** Records that Socket Mode connection `id` closed. */
  recordConnectionClosed(id: number): void {
    const connection = this.connections.find((entry) => entry.id === id);
    if (connection) {
      connection.closedAt = Date.now();
      this.notify();
    }
  }

  /** Returns every Socket Mode connection ever opened, oldest first. */
  socketConnections(): SocketConnectionRecord[] {
    return this.connections.map((entry) => ({ ...entry }));
  }

  /** Calls `listener` after every change; returns the function that removes it. */
  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const listener of [...this.listeners]) {
      listener();
    }
  }
}

/** Copies a file record; `structuredClone` would turn the Buffer into a plain Uint8Array. */
function copyFile(file: UploadedFile): UploadedFile {
  return { ...file, bytes: file.bytes && Buffer.from(file.bytes) };
}
