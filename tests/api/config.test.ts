import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../server/config";

describe("configuration from the environment", () => {
  it("defaults to port 3000 and an SQLite file under ./data", () => {
    const config = loadConfig({}, "/srv/livedesk");
    expect(config.port).toBe(3000);
    expect(config.database).toEqual({
      kind: "sqlite",
      file: path.join("/srv/livedesk", "data", "livedesk.db"),
    });
    expect(config.demo).toBe(false);
  });

  it("reads sqlite: and postgres:// database URLs", () => {
    expect(loadConfig({ DATABASE_URL: "sqlite:/var/lib/desk.db" }).database).toEqual({
      kind: "sqlite",
      file: "/var/lib/desk.db",
    });
    expect(loadConfig({ DATABASE_URL: "postgres://u@h/db" }).database).toEqual({
      kind: "postgres",
      url: "postgres://u@h/db",
    });
  });

  it("names every bad variable", () => {
    expect(() =>
      loadConfig({ PORT: "eighty", LIVEDESK_ADMIN_PASSWORD: "short", LIVEDESK_DEMO: "maybe" }),
    ).toThrow(/PORT.*LIVEDESK_ADMIN_PASSWORD: must be 10–256 characters.*LIVEDESK_DEMO/);
    expect(() => loadConfig({ DATABASE_URL: "mysql://x" })).toThrow(
      /DATABASE_URL must start with sqlite: or postgres:\/\//,
    );
  });

  it("reads a WebSub hub, and refuses one that is not an http(s) address", () => {
    expect(loadConfig({}).websubHub).toBeUndefined();
    expect(loadConfig({ LIVEDESK_WEBSUB_HUB: "" }).websubHub).toBeUndefined();
    expect(loadConfig({ LIVEDESK_WEBSUB_HUB: "https://hub.example/" }).websubHub).toBe(
      "https://hub.example/",
    );
    expect(() => loadConfig({ LIVEDESK_WEBSUB_HUB: "ftp://hub.example/" })).toThrow(
      /LIVEDESK_WEBSUB_HUB: must be an http or https address/,
    );
  });

  it("reads the site's public address as an origin, and refuses one with a path or another scheme", () => {
    expect(loadConfig({}).publicUrl).toBeUndefined();
    expect(loadConfig({ LIVEDESK_PUBLIC_URL: "" }).publicUrl).toBeUndefined();
    expect(loadConfig({ LIVEDESK_PUBLIC_URL: "https://News.example/" }).publicUrl).toBe(
      "https://news.example",
    );
    expect(loadConfig({ LIVEDESK_PUBLIC_URL: "http://news.example:8080" }).publicUrl).toBe(
      "http://news.example:8080",
    );
    for (const bad of [
      "news.example",
      "ftp://news.example",
      "https://news.example/live",
      "https://news.example/?a=1",
    ]) {
      expect(() => loadConfig({ LIVEDESK_PUBLIC_URL: bad })).toThrow(
        /LIVEDESK_PUBLIC_URL: must be the site's http or https address without a path/,
      );
    }
  });

  it("reads the sites that may frame the embeds, and refuses what is no CSP source", () => {
    expect(
      loadConfig({ LIVEDESK_FRAME_ANCESTORS: "https://partner.example, https://*.news.example:8443 'self'" })
        .frameAncestors,
    ).toEqual(["https://partner.example", "https://*.news.example:8443", "'self'"]);
    for (const bad of [
      "https://partner.example;script-src",
      "https://partner.example/'x'",
      "'unsafe-inline'",
    ])
      expect(() => loadConfig({ LIVEDESK_FRAME_ANCESTORS: bad }), bad).toThrow(
        /LIVEDESK_FRAME_ANCESTORS: must be CSP sources/,
      );
  });
});
