// The Drop client for Node: gRPC over HTTP/2 (Connect for Node), to the workers or to Envoy.
// Browsers use "@drop/client/web" (gRPC-Web through Envoy) instead.
import { createGrpcTransport } from "@connectrpc/connect-node";

import { createDropClientWith, credentialsInterceptor, type DropClient } from "./core.js";

export * from "./core.js";
export * from "./types.js";

export interface DropClientOptions {
  /** gRPC address, e.g. http://127.0.0.1:50051 (workers) or http://127.0.0.1:8080 (Envoy). */
  baseUrl: string;
  /** A session token from register/login/refresh (sent as `authorization: Bearer`). */
  token?: string;
  /** An API key for machine callers (sent as `x-api-key`). */
  apiKey?: string;
}

export function createDropClient(options: DropClientOptions): DropClient {
  // Ask for tokens in answers rather than cookies: this is not a browser.
  const credentials = credentialsInterceptor({ ...options, client: "mobile" });
  const transport = createGrpcTransport({
    baseUrl: options.baseUrl,
    interceptors: [credentials.interceptor],
  });
  return createDropClientWith(transport, credentials.setToken);
}
