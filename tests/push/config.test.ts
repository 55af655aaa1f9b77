import { describe, expect, it } from "vitest";
import webpush from "web-push";
import { loadConfig } from "../../server/config";
import { pushKeySchema } from "../../shared/push";
import { call } from "../helpers/http";
import { startTestServer } from "../helpers/server";

describe("push configuration", () => {
  it("takes a VAPID key pair and subject from the environment", () => {
    const keys = webpush.generateVAPIDKeys();
    const config = loadConfig({
      LIVEDESK_VAPID_PUBLIC_KEY: keys.publicKey,
      LIVEDESK_VAPID_PRIVATE_KEY: keys.privateKey,
      LIVEDESK_VAPID_SUBJECT: "mailto:desk@example.com",
    });
    expect(config.push).toEqual({
      vapid: keys,
      subject: "mailto:desk@example.com",
      insecureEndpoints: false,
    });
  });

  it("leaves the key pair to the storage when none is set, and accepts insecure endpoints only when asked", () => {
    expect(loadConfig({}).push).toEqual({ vapid: undefined, subject: undefined, insecureEndpoints: false });
    expect(loadConfig({ LIVEDESK_PUSH_INSECURE_ENDPOINTS: "1" }).push.insecureEndpoints).toBe(true);
  });

  it("names a bad key, a missing half of the pair and a bad subject", () => {
    const keys = webpush.generateVAPIDKeys();
    expect(() =>
      loadConfig({ LIVEDESK_VAPID_PUBLIC_KEY: "abc", LIVEDESK_VAPID_PRIVATE_KEY: keys.privateKey }),
    ).toThrow(/LIVEDESK_VAPID_PUBLIC_KEY: must be an uncompressed P-256 public key/);
    expect(() => loadConfig({ LIVEDESK_VAPID_PUBLIC_KEY: keys.publicKey })).toThrow(
      /LIVEDESK_VAPID_PUBLIC_KEY and LIVEDESK_VAPID_PRIVATE_KEY are set together/,
    );
    expect(() => loadConfig({ LIVEDESK_VAPID_SUBJECT: "desk@example.com" })).toThrow(
      /LIVEDESK_VAPID_SUBJECT: must be a mailto: address or an https: URL/,
    );
  });

  it("signs with the configured key pair rather than one of its own", async () => {
    const keys = webpush.generateVAPIDKeys();
    const server = await startTestServer({
      push: loadConfig({
        LIVEDESK_VAPID_PUBLIC_KEY: keys.publicKey,
        LIVEDESK_VAPID_PRIVATE_KEY: keys.privateKey,
      }).push,
    });
    try {
      const answer = await call(server.url, "GET", "/api/push/key");
      expect(pushKeySchema.parse(answer.body).publicKey).toBe(keys.publicKey);
    } finally {
      await server.close();
    }
  });
});
