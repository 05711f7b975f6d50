// Runs browser/app.ts in a real headless Chromium against a running Drop: bundles it with
// esbuild, serves it from DROP_BROWSER_ORIGIN (an origin listed in DROP_CORS_ORIGINS), and
// calls Envoy at DROP_ENVOY_URL from the page. Prints the scenario's result as JSON.
// `npm run test:browser`; tests/e2e/test_browser_client.py runs it in `make test`.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { build } from "esbuild";
import { chromium } from "playwright-core";

const envoyUrl = process.env.DROP_ENVOY_URL ?? "http://127.0.0.1:8080";
const origin = new URL(process.env.DROP_BROWSER_ORIGIN ?? "http://127.0.0.1:5173");
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";

const bundled = await build({
  entryPoints: [new URL("../../browser/app.ts", import.meta.url).pathname],
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  write: false,
});
const script = bundled.outputFiles[0]?.text ?? "";
const page = `<!doctype html><meta charset="utf-8"><title>Drop browser test</title>
<script type="module">${script.replace(/<\/script/g, "<\\/script")}</script>`;

const server = createServer((_, response) => {
  response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
  response.end(page);
});
await new Promise<void>((resolve) => server.listen(Number(origin.port), origin.hostname, resolve));

// The docs page (Swagger UI, served by Envoy on whatever port it has): "Try it out" on
// GET /api/auth/me, with the cookie session the scenario started.
async function tryItOutOnTheDocsPage(
  context: Awaited<ReturnType<typeof chromium.launchPersistentContext>>,
): Promise<{ status: string; body: string }> {
  const docs = await context.newPage();
  await docs.goto(`${envoyUrl}/api/docs`);
  const operation = docs.locator("#operations-AuthService-AuthService_GetMe");
  await operation.locator(".opblock-summary").first().click();
  await operation.locator("button.try-out__btn").click();
  await operation.locator("button.execute").click();
  const live = operation.locator(".live-responses-table .response");
  await live.first().waitFor({ timeout: 10000 });
  return {
    status: (await live.locator(".response-col_status").first().innerText()).trim(),
    body: await live.locator(".response-col_description pre").first().innerText(),
  };
}

const profile = mkdtempSync(join(tmpdir(), "drop-chromium-"));
// The machine's network is closed: Chromium must not reach for Google's services.
const browser = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
try {
  const tab = await browser.newPage();
  const errors: string[] = [];
  tab.on("pageerror", (error) => errors.push(String(error)));
  await tab.goto(origin.href);
  await tab.waitForFunction(() => "dropScenario" in globalThis, undefined, { timeout: 10000 });
  const result = await tab.evaluate(
    (baseUrl) =>
      (globalThis as unknown as { dropScenario(url: string): Promise<unknown> }).dropScenario(
        baseUrl,
      ),
    envoyUrl,
  );
  const cookies = await browser.cookies(envoyUrl);
  const tryItOut = await tryItOutOnTheDocsPage(browser);
  console.log(
    JSON.stringify({
      result,
      errors,
      sessionCookie: cookies.find((c) => c.name === "drop_token"),
      tryItOut,
    }),
  );
} finally {
  await browser.close();
  server.close();
  rmSync(profile, { recursive: true, force: true });
}
