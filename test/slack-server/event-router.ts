import type { Logger } from '../../src/logger.ts';
import { HttpEventSender, type HttpSenderOptions, type HttpTarget } from './http-event-sender.ts';
import type { SlackStore } from './slack-store.ts';
import type { SocketModeHub } from './socket-mode-hub.ts';

/** Sends each event over Socket Mode, or over HTTP once a test chose an HTTP target. */
export class EventRouter {
  private httpSender: HttpEventSender | undefined;

  constructor(
    private readonly hub: SocketModeHub,
    private readonly dependencies: { store: SlackStore; logger: Logger },
    private readonly httpOptions: HttpSenderOptions,
  ) {}

  /** Hands an `event_callback` body to the current transport. */
  deliver(eventId: string, body: Record<string, unknown>): void {
    if (this.httpSender) {
      this.httpSender.deliver(eventId, body);
    } else {
      this.hub.enqueue(eventId, body);
    }
  }

  /** Switches to HTTP delivery; events already queued for Socket Mode stay there. */
  useHttp(target: HttpTarget): void {
    void this.httpSender?.close();
    this.httpSender = new HttpEventSender(target, this.dependencies, this.httpOptions);
  }

  /** Switches back to Socket Mode delivery. */
  useSocketMode(): void {
    void this.httpSender?.close();
    this.httpSender = undefined;
  }

  /** Returns the HTTP sender, or throws when no HTTP target was chosen. */
  requireHttpSender(): HttpEventSender {
    if (!this.httpSender) {
      throw new Error('No HTTP target: call deliverOverHttp(url, signingSecret) first.');
    }
    return this.httpSender;
  }

  /** Stops HTTP deliveries under way; the hub is closed by its owner. */
  async close(): Promise<void> {
    await this.httpSender?.close();
  }
}
