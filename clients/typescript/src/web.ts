// The Drop client for browsers: gRPC-Web through Envoy (the page's origin must be listed in
// DROP_CORS_ORIGINS when it is not the API's own). The session is the httpOnly `drop_token`
// cookie that sign-in sets: fetch sends it along (`credentials: "include"`), scripts never see it.
import { createGrpcWebTransport } from "@connectrpc/connect-web";

import { createDropClientWith, credentialsInterceptor, type DropClient } from "./core.js";

export * from "./core.js";
export * from "./types.js";

export interface DropWebClientOptions {
  /** Envoy's address, e.g. http://127.0.0.1:8080 (gRPC-Web is served beside REST). */
  baseUrl: string;
  /** A bearer token instead of the cookie (e.g. a web view that received one). */
  token?: string;
}

export function createDropWebClient(options: DropWebClientOptions): DropClient {
  const credentials = credentialsInterceptor({ token: options.token });
  const transport = createGrpcWebTransport({
    baseUrl: options.baseUrl,
    interceptors: [credentials.interceptor],
    // Cross-origin calls carry the session cookie; Envoy allows it for listed origins only.
    fetch: (input, init) => globalThis.fetch(input, { ...init, credentials: "include" }),
  });
  return createDropClientWith(transport, credentials.setToken);
}
