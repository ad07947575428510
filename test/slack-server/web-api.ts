import type { Logger } from '../../src/logger.ts';
import type { ApiArgs } from './api-args.ts';
import type { FaultSwitches } from './fault-switches.ts';
import type { MethodSpec, MethodTable, TokenKind } from './method-spec.ts';
import { SlackApiError } from './slack-api-error.ts';
import type { SlackIdentity } from './slack-identity.ts';
import type { SlackStore } from './slack-store.ts';

/** What the HTTP layer writes back for one Web API call. */
export interface WebApiResponse {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/** What the dispatcher needs besides the method table. */
export interface WebApiDependencies {
  store: SlackStore;
  identity: SlackIdentity;
  faults: FaultSwitches;
  logger: Logger;
}

/**
 * Dispatches Web API calls in the order Slack checks them: unknown method, then simulated
 * rate limit, then token check, then simulated failure, then the method itself. Every
 * call lands in the store's call log, without its token.
 */
export class WebApi {
  constructor(
    private readonly methods: MethodTable,
    private readonly dependencies: WebApiDependencies,
  ) {}

  /** Handles one call; `headerToken` is the token of an `Authorization: Bearer` header, if any. */
  async handle(method: string, args: ApiArgs, headerToken: string | undefined): Promise<WebApiResponse> {
    const { token: argToken, ...argsWithoutToken } = args;
    const token = headerToken ?? (typeof argToken === 'string' ? argToken : undefined);
    const response = await this.respond(method, argsWithoutToken, token);

    const ok = response.body['ok'] === true;
    const error = typeof response.body['error'] === 'string' ? response.body['error'] : undefined;
    this.dependencies.store.recordCall({ method, args: argsWithoutToken, time: Date.now(), status: response.status, ok, error });
    return response;
  }

  /** Rejects and logs a call whose body could not be parsed, such as malformed JSON. */
  rejectMalformed(method: string, error: SlackApiError): WebApiResponse {
    this.dependencies.store.recordCall({ method, args: {}, time: Date.now(), status: 200, ok: false, error: error.code });
    return failure(error.code, error.responseMessages);
  }

  private async respond(method: string, args: ApiArgs, token: string | undefined): Promise<WebApiResponse> {
    const { faults } = this.dependencies;
    const spec: MethodSpec | undefined = Object.hasOwn(this.methods, method) ? this.methods[method] : undefined;
    if (!spec) {
      return failure('unknown_method');
    }

    const retryAfterSeconds = faults.takeRateLimit(method);
    if (retryAfterSeconds !== undefined) {
      return {
        status: 429,
        headers: { 'retry-after': String(retryAfterSeconds) },
        body: { ok: false, error: 'ratelimited' },
      };
    }

    const tokenError = this.checkToken(token, spec.token);
    if (tokenError !== undefined) {
      return failure(tokenError);
    }
    const simulatedError = faults.takeFailure(method);
    if (simulatedError !== undefined) {
      return failure(simulatedError);
    }
    return this.run(method, spec, args);
  }

  private checkToken(token: string | undefined, expected: TokenKind): string | undefined {
    const { identity } = this.dependencies;
    if (token === undefined || token === '') {
      return 'not_authed';
    }
    const kind: TokenKind | undefined =
      token === identity.botToken ? 'bot' : token === identity.appToken ? 'app' : undefined;
    if (kind === undefined) {
      return 'invalid_auth';
    }
    return kind === expected ? undefined : 'not_allowed_token_type';
  }

  private async run(method: string, spec: MethodSpec, args: ApiArgs): Promise<WebApiResponse> {
    try {
      const result = await spec.handle(args);
      return { status: 200, headers: {}, body: { ok: true, ...result } };
    } catch (error) {
      if (error instanceof SlackApiError) {
        return failure(error.code, error.responseMessages);
      }
      // A throw that is not a SlackApiError is a bug in this server, so it responds with 500
      // and the WebClient raises instead of treating it as an ordinary Slack error.
      this.dependencies.logger.error('Web API method failed', { method, error });
      return { status: 500, headers: {}, body: { ok: false, error: 'internal_error' } };
    }
  }
}

function failure(error: string, messages: string[] = []): WebApiResponse {
  const body: Record<string, unknown> = { ok: false, error };
  if (messages.length > 0) {
    body['response_metadata'] = { messages };
  }
  return { status: 200, headers: {}, body };
}
