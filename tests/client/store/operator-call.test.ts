import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiError, noContent, operatorCall } from "../../../client/src/admin/api";
import { createDeskStore, type DeskStore } from "../../../client/src/store";
import { topicSchema } from "../../../shared/item";
import { sessionSchema } from "../../../shared/requests";
import { startTestServer, type TestServer } from "../../helpers/server";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  await server.livedesk.auth.createOperator("chief", "chief-password-1", "admin");
});
afterAll(async () => {
  await server.close();
});

/** Logs in as a browser would: the cookie the browser keeps, and a store holding the session. */
async function loggedIn(): Promise<{ cookie: string; store: DeskStore }> {
  const response = await fetch(`${server.url}/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "chief", password: "chief-password-1" }),
  });
  expect(response.status).toBe(200);
  const answer = sessionSchema.parse(await response.json());
  const store = createDeskStore();
  store.getState().setSession({ ...answer.operator, csrfToken: answer.csrfToken });
  return { cookie: (response.headers.get("set-cookie") ?? "").split(";")[0] ?? "", store };
}

// The browser sends the session cookie by itself; here the test passes it along.
describe("the panel's calls, as the operator whose session the store holds", () => {
  it("send the CSRF token of the store's session", async () => {
    const { cookie, store } = await loggedIn();
    const topic = await operatorCall(
      store,
      "POST",
      `${server.url}/api/topics`,
      topicSchema,
      {
        slug: "weather",
        name: "Weather",
      },
      { cookie },
    );
    expect(topic).toEqual({ slug: "weather", name: "Weather" });
  });

  it("are refused with another store's token, and that session stays logged in", async () => {
    const { cookie } = await loggedIn();
    const { store: other } = await loggedIn();
    const call = operatorCall(
      other,
      "POST",
      `${server.url}/api/topics`,
      topicSchema,
      {
        slug: "science",
        name: "Science",
      },
      { cookie },
    );
    await expect(call).rejects.toMatchObject({ status: 403 });
    expect(other.getState().sessionState).toBe("active");
  });

  it("mark the store's session expired when the server no longer knows it, so the panel asks to log in", async () => {
    const { cookie, store } = await loggedIn();
    await operatorCall(store, "DELETE", `${server.url}/api/session`, noContent, undefined, { cookie });
    const bystander = createDeskStore();
    bystander.getState().setSession({ username: "chief", role: "admin", csrfToken: "other-tab" });

    const call = operatorCall(store, "GET", `${server.url}/api/tokens`, noContent, undefined, { cookie });
    await expect(call).rejects.toBeInstanceOf(ApiError);
    await expect(call).rejects.toMatchObject({ status: 401 });
    expect(store.getState()).toMatchObject({ session: null, sessionState: "expired" });
    expect(bystander.getState().sessionState).toBe("active");
  });
});
