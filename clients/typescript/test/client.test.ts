// Runs against a live Drop server: DROP_GRPC_URL (the tests of `make test` start one).
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";

import { Code } from "@connectrpc/connect";

import { createDropClient, DropApiError } from "../src/index.js";

const baseUrl = process.env.DROP_GRPC_URL ?? "http://127.0.0.1:50051";
const targets = [baseUrl, process.env.DROP_ENVOY_URL].filter((t): t is string => Boolean(t));

function newUser() {
  return {
    email: `ts.${randomUUID().slice(0, 12)}@example.no`,
    password: "Secret123",
    firstName: "Selma",
    lastName: "Hadžić",
    dateOfBirth: "1992-06-30",
  };
}

for (const target of targets) {
  test(`register, log in with a mobile token and read me (${target})`, async () => {
    const client = createDropClient({ baseUrl: target });
    const user = newUser();
    const registered = await client.auth.register(user);
    assert.match(registered.data?.id ?? "", /^usr_[0-9a-f]{16}$/);
    assert.equal(registered.data?.kycStatus, "pending");
    assert.ok(registered.data?.token);

    // Through Envoy, sign-in is limited per IP and other suites share 127.0.0.1: log in on
    // the workers' port only, and use the token from sign-up through Envoy.
    let token = registered.data?.token;
    if (target === baseUrl) {
      const login = await client.auth.login({ email: user.email, password: user.password });
      assert.ok(login.data?.token);
      assert.ok(login.data?.expiresAt);
      token = login.data?.token;
    }
    client.setToken(token);

    const me = await client.auth.getMe({});
    assert.equal(me.data?.email, user.email);
    assert.equal(me.data?.lastName, "Hadžić");
    assert.equal(me.data?.role, "user");
    assert.deepEqual(me.data?.bankAccounts, []);
  });

  test(`a bad registration is a typed DropApiError with field violations (${target})`, async () => {
    const client = createDropClient({ baseUrl: target });
    const error = await client.auth.register({ ...newUser(), email: "not-an-email" }).catch((e: unknown) => e);
    assert.ok(error instanceof DropApiError);
    assert.equal(error.code, "validation_error");
    assert.equal(error.httpStatus, 422);
    assert.equal(error.grpcCode, Code.InvalidArgument);
    assert.deepEqual(
      error.fieldViolations.map((v) => v.field),
      ["email"],
    );
  });

  test(`calls without a session are unauthorized (${target})`, async () => {
    const client = createDropClient({ baseUrl: target });
    const error = await client.auth.getMe({}).catch((e: unknown) => e);
    assert.ok(error instanceof DropApiError);
    assert.equal(error.code, "unauthorized");
    assert.equal(error.httpStatus, 401);
    assert.equal(error.grpcCode, Code.Unauthenticated);
  });
}

test("money: link a bank account, add a recipient and ask what a remittance costs", async () => {
  const client = createDropClient({ baseUrl });
  const registered = await client.auth.register(newUser());
  client.setToken(registered.data?.token);
  const linked = await client.bankAccounts.linkBankAccounts({ bankName: "Nordea" });
  assert.equal(linked.data?.accounts[0]?.bankName, "Nordea");
  const recipient = await client.recipients.createRecipient({
    name: "Anna Kowalska",
    country: "PL",
    currency: "PLN",
    bankAccount: "PL61109010140000071219812874",
  });
  const quote = await client.transactions.createDisclosure({ type: "remittance", amount: 1000, recipientId: recipient.data?.id });
  assert.equal(quote.data?.fee, 5);
  assert.equal(quote.data?.receiveCurrency, "PLN");
  assert.equal(quote.data?.estimatedDelivery, "1-2 business days");
  const kyc = await client.transactions.sendRemittance({ recipientId: recipient.data?.id, amount: 1000 }).catch((e: unknown) => e);
  assert.ok(kyc instanceof DropApiError);
  assert.equal(kyc.code, "kyc_required");
});

test("health answers ok", async () => {
  const health = await createDropClient({ baseUrl }).health.getHealth({});
  assert.equal(health.data?.status, "ok");
  assert.equal(health.data?.checks?.db?.status, "pass");
});

// Live events are served through Envoy (the streams process), not on the workers' port.
const envoyUrl = process.env.DROP_ENVOY_URL;
if (envoyUrl !== undefined) {
  test("live events: a server stream opens with a heartbeat; errors are DropApiErrors", async () => {
    const client = createDropClient({ baseUrl: envoyUrl });
    const registered = await client.auth.register(newUser());
    client.setToken(registered.data?.token);
    const abort = new AbortController();
    for await (const event of client.events.streamEvents({}, { signal: abort.signal })) {
      assert.equal(event.type, "heartbeat");
      assert.equal(event.version, "1");
      break;
    }
    abort.abort();

    const bad = async () => {
      for await (const _ of client.events.streamEvents({ after: "yesterday" })) {
        assert.fail("no event expected");
      }
    };
    const error = await bad().catch((e: unknown) => e);
    assert.ok(error instanceof DropApiError);
    assert.equal(error.code, "validation_error");
    assert.equal(error.httpStatus, 422);
    assert.deepEqual(error.fieldViolations.map((v) => v.field), ["after"]);

    const anonymous = createDropClient({ baseUrl: envoyUrl });
    const unauthorized = await (async () => {
      for await (const _ of anonymous.events.streamEvents({})) {
        assert.fail("no event expected");
      }
    })().catch((e: unknown) => e);
    assert.ok(unauthorized instanceof DropApiError);
    assert.equal(unauthorized.code, "unauthorized");
    assert.equal(unauthorized.grpcCode, Code.Unauthenticated);
  });
}
