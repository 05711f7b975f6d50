// The transport-independent part of the Drop client: the typed services, credentials as
// metadata, and gRPC errors turned into DropApiError with the contract's error code, HTTP
// status and field violations (from google.rpc.ErrorInfo / BadRequest). index.ts (Node, gRPC)
// and web.ts (browsers, gRPC-Web) give it a transport.
import {
  Code,
  ConnectError,
  createClient,
  type Client,
  type Interceptor,
  type Transport,
} from "@connectrpc/connect";

import { AdminService } from "./gen/drop/v1/admin_pb.js";
import { AuthService } from "./gen/drop/v1/auth_pb.js";
import { BankAccountService } from "./gen/drop/v1/bank_accounts_pb.js";
import { CardService } from "./gen/drop/v1/cards_pb.js";
import { ComplaintService } from "./gen/drop/v1/complaints_pb.js";
import { EventService } from "./gen/drop/v1/events_pb.js";
import { HealthService } from "./gen/drop/v1/health_pb.js";
import { MerchantService } from "./gen/drop/v1/merchants_pb.js";
import { NotificationService } from "./gen/drop/v1/notifications_pb.js";
import { PrivacyService } from "./gen/drop/v1/privacy_pb.js";
import { RateService } from "./gen/drop/v1/rates_pb.js";
import { RecipientService } from "./gen/drop/v1/recipients_pb.js";
import { SettingsService } from "./gen/drop/v1/settings_pb.js";
import { TransactionService } from "./gen/drop/v1/transactions_pb.js";
import { WebhookService } from "./gen/drop/v1/webhooks_pb.js";
import { BadRequestSchema, ErrorInfoSchema } from "./gen/google/rpc/error_details_pb.js";


/** The error codes of the Drop contract. */
export type DropErrorCode =
  | "bad_request"
  | "no_bank_account"
  | "unauthorized"
  | "insufficient_balance"
  | "forbidden"
  | "kyc_required"
  | "not_found"
  | "conflict"
  | "gone"
  | "validation_error"
  | "rate_limited"
  | "internal_error"
  | "service_unavailable";

export interface FieldViolation {
  field: string;
  message: string;
}

export class DropApiError extends Error {
  constructor(
    readonly code: DropErrorCode,
    message: string,
    readonly httpStatus: number,
    readonly grpcCode: Code,
    readonly fieldViolations: FieldViolation[],
  ) {
    super(message);
    this.name = "DropApiError";
  }
}

/** Turns a ConnectError from a Drop server into a DropApiError; anything else is returned as is. */
export function toDropApiError(error: unknown): unknown {
  if (!(error instanceof ConnectError)) {
    return error;
  }
  const [info] = error.findDetails(ErrorInfoSchema);
  if (info === undefined) {
    return error;
  }
  const violations = error
    .findDetails(BadRequestSchema)
    .flatMap((bad) => bad.fieldViolations.map((v) => ({ field: v.field, message: v.description })));
  return new DropApiError(
    info.reason.toLowerCase() as DropErrorCode,
    error.rawMessage,
    Number(info.metadata["http_status"] ?? 0),
    error.code,
    violations,
  );
}

async function* mapStreamErrors<T>(stream: AsyncIterable<T>): AsyncGenerator<T> {
  try {
    yield* stream;
  } catch (error: unknown) {
    throw toDropApiError(error);
  }
}

// Connect wraps anything an interceptor throws back into a ConnectError, so the mapping to
// DropApiError happens around each method of the client instead.
function withDropErrors<T extends object>(client: T): T {
  return new Proxy(client, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== "function") {
        return value;
      }
      return (...args: unknown[]) => {
        const result = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (result instanceof Promise) {
          return result.catch((error: unknown) => {
            throw toDropApiError(error);
          });
        }
        // A server stream (events.streamEvents): an async iterable whose errors are mapped too.
        return mapStreamErrors(result as AsyncIterable<unknown>);
      };
    },
  });
}

export interface DropCredentials {
  /** A session token from register/login/refresh (sent as `authorization: Bearer`). */
  token?: string;
  /** An API key for machine callers (sent as `x-api-key`). */
  apiKey?: string;
  /**
   * `mobile` asks sign-in answers for `token`/`expiresAt` instead of a cookie (Node's default);
   * browsers leave it out and keep the httpOnly `drop_token` cookie.
   */
  client?: "mobile";
}

export interface DropClient {
  auth: Client<typeof AuthService>;
  admin: Client<typeof AdminService>;
  health: Client<typeof HealthService>;
  bankAccounts: Client<typeof BankAccountService>;
  rates: Client<typeof RateService>;
  recipients: Client<typeof RecipientService>;
  transactions: Client<typeof TransactionService>;
  merchants: Client<typeof MerchantService>;
  notifications: Client<typeof NotificationService>;
  settings: Client<typeof SettingsService>;
  privacy: Client<typeof PrivacyService>;
  complaints: Client<typeof ComplaintService>;
  cards: Client<typeof CardService>;
  webhooks: Client<typeof WebhookService>;
  /** Live events: `for await (const event of drop.events.streamEvents({}))`. */
  events: Client<typeof EventService>;
  /** Use this session token from now on (after login, refresh or logout). */
  setToken(token: string | undefined): void;
}

/** The metadata every call carries: the credentials, read at call time (setToken). */
export function credentialsInterceptor(credentials: DropCredentials): {
  interceptor: Interceptor;
  setToken(token: string | undefined): void;
} {
  let token = credentials.token;
  const interceptor: Interceptor = (next) => async (request) => {
    if (credentials.client !== undefined) {
      request.header.set("x-drop-client", credentials.client);
    }
    if (token !== undefined) {
      request.header.set("authorization", `Bearer ${token}`);
    }
    if (credentials.apiKey !== undefined) {
      request.header.set("x-api-key", credentials.apiKey);
    }
    return next(request);
  };
  return {
    interceptor,
    setToken(next) {
      token = next;
    },
  };
}

/** Every Drop service over one transport, with DropApiError for failures. */
export function createDropClientWith(
  transport: Transport,
  setToken: (token: string | undefined) => void = () => undefined,
): DropClient {
  return {
    auth: withDropErrors(createClient(AuthService, transport)),
    admin: withDropErrors(createClient(AdminService, transport)),
    health: withDropErrors(createClient(HealthService, transport)),
    bankAccounts: withDropErrors(createClient(BankAccountService, transport)),
    rates: withDropErrors(createClient(RateService, transport)),
    recipients: withDropErrors(createClient(RecipientService, transport)),
    transactions: withDropErrors(createClient(TransactionService, transport)),
    merchants: withDropErrors(createClient(MerchantService, transport)),
    notifications: withDropErrors(createClient(NotificationService, transport)),
    settings: withDropErrors(createClient(SettingsService, transport)),
    privacy: withDropErrors(createClient(PrivacyService, transport)),
    complaints: withDropErrors(createClient(ComplaintService, transport)),
    cards: withDropErrors(createClient(CardService, transport)),
    webhooks: withDropErrors(createClient(WebhookService, transport)),
    events: withDropErrors(createClient(EventService, transport)),
    setToken,
  };
}
