import { describe, expect, it } from "vitest";
import { cut, parseWire, plainText, WIRE_ENTRIES_MAX, WireError } from "../../server/wires/parse";
import { SUMMARY_MAX } from "../../shared/limits";
import { atom, entries, jsonFeed, rdf, rss } from "./feeds";

const one = [
  {
    id: "urn:1",
    title: "Ceasefire holds",
    html: "<p>Talks <b>resume</b> &amp; continue</p>",
    link: "https://agency.example/1",
    date: "2026-03-01T10:00:00.000Z",
  },
];

describe("parseWire", () => {
  it.each([
    ["RSS 2.0", rss(one)],
    ["RSS 1.0 (RDF)", rdf(one)],
    ["Atom", atom(one)],
    ["JSON Feed", jsonFeed(one)],
  ])("reads %s into plain-text entries with link, time and guid", (_format, text) => {
    const [entry, ...rest] = parseWire(text).entries;
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({
      guid: "urn:1",
      headline: "Ceasefire holds",
      summary: "Talks resume & continue",
      url: "https://agency.example/1",
      publishedAt: "2026-03-01T10:00:00.000Z",
    });
  });

  it("falls back from guid to link, then to a hash of title and date", () => {
    const noGuid = parseWire(rss(one, { guid: false })).entries[0];
    expect(noGuid?.guid).toBe("https://agency.example/1");
    const bare = [{ id: "x", title: "No link", date: "2026-03-01T10:00:00.000Z" }];
    const hashed = parseWire(rss(bare, { guid: false })).entries[0];
    expect(hashed?.guid).toMatch(/^hash:/);
    const again = parseWire(rss(bare, { guid: false })).entries[0];
    expect(again?.guid).toBe(hashed?.guid);
    const otherDate = parseWire(
      rss([{ id: "x", title: "No link", date: "2026-03-02T10:00:00.000Z" }], { guid: false }),
    );
    expect(otherDate.entries[0]?.guid).not.toBe(hashed?.guid);
  });

  it("changes the content hash when the text changes upstream, not otherwise", () => {
    const before = parseWire(rss(one)).entries[0];
    const same = parseWire(rss(one)).entries[0];
    const edited = parseWire(rss([{ ...one[0], id: "urn:1", title: "Ceasefire holds, officials say" }]))
      .entries[0];
    expect(same?.contentHash).toBe(before?.contentHash);
    expect(edited?.contentHash).not.toBe(before?.contentHash);
  });

  it("reads RSS ttl in seconds", () => {
    expect(parseWire(rss(one, { ttl: 15 })).ttlSeconds).toBe(900);
    expect(parseWire(rss(one)).ttlSeconds).toBeNull();
  });

  it("refuses a document that declares entities, with words an admin understands", () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;">]>
<rss version="2.0"><channel><title>&b;</title><item><title>&b;</title></item></channel></rss>`;
    expect(() => parseWire(bomb)).toThrow(WireError);
    expect(() => parseWire(bomb)).toThrow(/entities/);
    const external = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><item><title>&x;</title></item></channel></rss>`;
    expect(() => parseWire(external)).toThrow(/entities/);
  });

  it("reads an entry that merely talks about entities", () => {
    const doc = `<?xml version="1.0"?><rss version="2.0"><channel><item><title>XML explained</title>
<description><![CDATA[<p>Never trust <code><!ENTITY x "y"></code> in a feed.</p>]]></description></item></channel></rss>`;
    // The summary is HTML, where a declaration is no text; what matters is that the entry is read.
    expect(parseWire(doc).entries[0]).toMatchObject({
      headline: "XML explained",
      summary: "Never trust in a feed.",
    });
  });

  it("refuses an HTML page and anything that is not a feed", () => {
    expect(() => parseWire("<!DOCTYPE html><html><body><h1>News</h1></body></html>")).toThrow(/HTML page/);
    expect(() => parseWire("just words")).toThrow(/not an RSS, Atom or JSON feed/);
    expect(() => parseWire('{"hello": "world"}')).toThrow(WireError);
  });

  it(`refuses a feed with more than ${WIRE_ENTRIES_MAX} entries`, () => {
    expect(() => parseWire(rss(entries(10_000)))).toThrow(/10000 entries/);
  });

  it("drops entries without a headline and keeps the first of two with one guid", () => {
    const doc = rss([
      { id: "a", title: "First" },
      { id: "b", title: "   " },
      { id: "a", title: "Again" },
    ]);
    expect(parseWire(doc).entries.map((e) => e.headline)).toEqual(["First"]);
  });

  it("keeps only http and https links", () => {
    const doc = rss([{ id: "a", title: "T", link: "javascript:alert(1)" }]);
    expect(parseWire(doc).entries[0]?.url).toBeNull();
  });
});

describe("plainText", () => {
  it("drops markup and scripts, decodes entities and folds whitespace", () => {
    expect(
      plainText(`<div>Hello&nbsp;<script>alert("x")</script><style>p{}</style>
        <a href="https://x.example">world</a> &lt;tag&gt; &#x1F525;<img src=x onerror=alert(1)>\n\n  end</div>`),
    ).toBe("Hello world <tag> 🔥 end");
  });

  it("removes control characters and bidirectional overrides", () => {
    expect(plainText("a\u0007b\u202Ec\u0000d")).toBe("a bc d");
  });

  it("cuts at the limit with an ellipsis", () => {
    const long = "word ".repeat(2000);
    const summary = cut(plainText(long), SUMMARY_MAX);
    expect(Array.from(summary)).toHaveLength(SUMMARY_MAX);
    expect(summary.endsWith("…")).toBe(true);
    expect(cut("short", 10)).toBe("short");
  });
});
