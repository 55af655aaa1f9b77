import { describe, expect, it } from "vitest";
import { embedSnippet, parseEmbedOptions } from "../../shared/embeds";

describe("embed options", () => {
  it("read topics, limit, theme and compact, with defaults", () => {
    expect(parseEmbedOptions("ticker", "?topic=world&topic=world-cup&limit=5&theme=dark&compact=1")).toEqual({
      options: { kind: "ticker", topics: ["world", "world-cup"], limit: 5, theme: "dark", compact: true },
    });
    expect(parseEmbedOptions("feed", "")).toEqual({
      options: { kind: "feed", topics: [], limit: 10, theme: "auto", compact: false },
    });
  });

  it("name every bad option", () => {
    const parsed = parseEmbedOptions("feed", "?topic=World&limit=0&theme=pink&compact=yes");
    expect("problems" in parsed && parsed.problems.map((problem) => problem.field)).toEqual([
      "topic",
      "limit",
      "theme",
      "compact",
    ]);
    for (const limit of ["51", "-1", "1.5", "ten"])
      expect(parseEmbedOptions("feed", `?limit=${limit}`), limit).toHaveProperty("problems");
  });
});

describe("the embed snippet", () => {
  it("is the loader's div with a plain link to the same embed, and the loader", () => {
    const snippet = embedSnippet("https://desk.example", {
      kind: "feed",
      topics: ["world", "sport"],
      limit: 5,
      theme: "dark",
      compact: true,
    });
    expect(snippet).toBe(
      [
        '<div data-livedesk="feed" data-topic="world sport" data-limit="5" data-theme="dark" data-compact>' +
          '<a href="https://desk.example/embed/feed?topic=world&amp;topic=sport&amp;limit=5&amp;theme=dark&amp;compact=1">News on livedesk</a></div>',
        '<script src="https://desk.example/embed.js" async></script>',
      ].join("\n"),
    );
  });
});
