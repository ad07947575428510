import { randomUUID } from 'node:crypto';

/**
 * Issues the identifiers Slack would: message timestamps, event ids, file ids and
 * envelope ids. Timestamps are unique and strictly increasing within one server.
 */
export class IdSource {
  /** Last issued message timestamp, in microseconds since the Unix epoch. */
  private lastTsMicros = 0;
  private eventCounter = 0;
  private fileCounter = 0;

  /** Returns a new message timestamp such as `1767225600.000123`: seconds, a dot, six digits of microseconds. */
  nextTs(): string {
    const nowMicros = Date.now() * 1000;
    this.lastTsMicros = Math.max(nowMicros, this.lastTsMicros + 1);
    return formatTs(this.lastTsMicros);
  }

  /** Returns a new Events API event id such as `Ev000000001`. */
  nextEventId(): string {
    this.eventCounter += 1;
    return `Ev${this.eventCounter.toString(36).toUpperCase().padStart(9, '0')}`;
  }

  /** Returns a new file id such as `F000000001`. */
  nextFileId(): string {
    this.fileCounter += 1;
    return `F${this.fileCounter.toString(36).toUpperCase().padStart(9, '0')}`;
  }

  /** Returns a new Socket Mode envelope id; Slack uses UUIDs for these. */
  nextEnvelopeId(): string {
    return randomUUID();
  }
}

function formatTs(micros: number): string {
  const seconds = Math.floor(micros / 1_000_000);
  const fraction = String(micros % 1_000_000).padStart(6, '0');
  return `${seconds}.${fraction}`;
}

/** Compares two Slack timestamps numerically, so that `9.000000` sorts before `10.000000`. */
export function compareTs(left: string, right: string): number {
  return tsToMicros(left) - tsToMicros(right);
}

function tsToMicros(ts: string): number {
  const [seconds = '0', fraction = ''] = ts.split('.');
  return Number(seconds) * 1_000_000 + Number(fraction.padEnd(6, '0').slice(0, 6));
}
