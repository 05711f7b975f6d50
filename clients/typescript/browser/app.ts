// The page script of the browser test (bundled by esbuild, run in headless Chromium by run.ts):
// what a web app on another origin does with "@drop/client/web". It signs in with the httpOnly
// cookie, reads the session over gRPC-Web and REST, and pays the demo café by QR code.
import { createDropWebClient, DropApiError } from "../src/web.js";

export interface ScenarioResult {
  anonymousError: string;
  tokenInAnswer: boolean;
  cookieVisibleToScript: boolean;
  email: string;
  restEmail: string;
  rateLimitHeaderVisible: boolean;
  ratesCacheControl: string | null;
  payment: { id: string; status: string; amount: number; merchantId: string };
  replayedId: string;
}

async function scenario(baseUrl: string): Promise<ScenarioResult> {
  const drop = createDropWebClient({ baseUrl });
  const anonymous = await drop.auth.getMe({}).catch((error: unknown) => error);
  const anonymousError = anonymous instanceof DropApiError ? anonymous.code : String(anonymous);

  const login = await drop.auth.login({ email: "demo@drop.no", password: "DemoPass123" });
  const me = await drop.auth.getMe({});
  // The same cookie signs REST calls in; Envoy exposes the rate-limit headers to the page.
  const rest = await fetch(`${baseUrl}/api/auth/me`, { credentials: "include" });
  const restBody = (await rest.json()) as { data: { email: string } };
  const rates = await fetch(`${baseUrl}/api/rates`);

  const paid = await drop.transactions.listTransactions({ type: "qr_payment", limit: 1 });
  const earlier = await drop.transactions.getTransaction({ id: paid.data[0]?.id ?? "" });
  const merchantId = earlier.data?.merchantId ?? "";
  const key = crypto.randomUUID();
  const request = { merchantId, amount: 45 };
  const payment = await drop.transactions.payMerchant(request, {
    headers: { "idempotency-key": key },
  });
  const replay = await drop.transactions.payMerchant(request, {
    headers: { "idempotency-key": key },
  });
  return {
    anonymousError,
    tokenInAnswer: Boolean(login.data?.token),
    cookieVisibleToScript: (globalThis as { document?: { cookie: string } }).document?.cookie.includes(
      "drop_token",
    ) ?? false,
    email: me.data?.email ?? "",
    restEmail: restBody.data.email,
    rateLimitHeaderVisible: rates.headers.get("x-ratelimit-limit") !== null,
    ratesCacheControl: rates.headers.get("cache-control"),
    payment: {
      id: payment.data?.id ?? "",
      status: payment.data?.status ?? "",
      amount: payment.data?.amount ?? 0,
      merchantId: payment.data?.merchantId ?? "",
    },
    replayedId: replay.data?.id ?? "",
  };
}

(globalThis as { dropScenario?: typeof scenario }).dropScenario = scenario;
