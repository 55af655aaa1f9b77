import { describe, expect, it } from "vitest";
import { adviceFor, adviceFromServer, lockoutMessage, namesOf } from "../../client/src/admin/advice";
import { clashesOf, mergeOnTop } from "../../client/src/admin/Conflict";
import { idempotencyKeyOf, itemBodyOf, newDraft } from "../../client/src/admin/draft";
import type { ItemFieldValues } from "../../client/src/admin/ItemFields";
import { sourcesOf, sourcesText } from "../../client/src/admin/ItemFields";

const fields: ItemFieldValues = {
  headline: "Storm nears",
  summary: "Winds rise.",
  url: "",
  topics: ["world"],
  breaking: false,
  pinned: false,
  urgency: 5,
  verification: "",
  keyEvent: false,
  sources: "",
  image: null,
};

describe("the signals fields", () => {
  it("read the Sources box one source a line, name | role | link, and write it back the same", () => {
    const text = "Coast guard | official | https://example.org/cg\nAFP\n\nWitness | eyewitness";
    const sources = sourcesOf(text);
    expect(sources).toEqual([
      { name: "Coast guard", role: "official", uri: "https://example.org/cg" },
      { name: "AFP" },
      { name: "Witness", role: "eyewitness" },
    ]);
    expect(sourcesOf(sourcesText(sources))).toEqual(sources);
  });

  it("send the urgency, verification, key event and parsed sources, and advise on a bad source link", () => {
    const body = itemBodyOf({ ...fields, urgency: 1, breaking: true, sources: "AFP | agency" });
    expect(body).toMatchObject({ urgency: 1, breaking: true, sources: [{ name: "AFP", role: "agency" }] });
    expect(adviceFor({ ...fields, sources: "AFP | agency | javascript:alert(1)" })).toHaveProperty("sources");
    expect(adviceFor({ ...fields, urgency: 1, breaking: true })).toEqual({});
  });
});

describe("the composer's Idempotency-Key", () => {
  it("stays for the same content, changes with the content, and starts anew with a new draft", () => {
    const draft = { ...newDraft(), ...fields };
    expect(idempotencyKeyOf({ ...draft })).toBe(idempotencyKeyOf(draft));
    expect(idempotencyKeyOf({ ...draft, headline: "Storm nears the coast" })).not.toBe(
      idempotencyKeyOf(draft),
    );
    expect(idempotencyKeyOf({ ...draft, topics: ["world", "sport"] })).not.toBe(idempotencyKeyOf(draft));
    expect(idempotencyKeyOf({ ...newDraft(), ...fields })).not.toBe(idempotencyKeyOf(draft));
  });

  it("keeps a key still waiting for its answer, whatever the draft says by then", () => {
    const draft = { ...newDraft(), ...fields, unanswered: "earlier-key" };
    expect(idempotencyKeyOf({ ...draft, headline: "Storm nears the coast" })).toBe("earlier-key");
  });
});

describe("applying my changes on top of theirs", () => {
  const base = fields;
  const mine = {
    ...base,
    headline: "Storm hits the coast",
    summary: "Winds reach 120 km/h.",
    breaking: true,
  };
  const theirs = {
    ...base,
    headline: "Storm makes landfall",
    summary: "Winds reach 120 km/h.",
    pinned: true,
  };

  it("marks only the fields both changed to different values", () => {
    expect(clashesOf(base, mine, theirs)).toEqual(["headline"]);
  });

  it("keeps theirs, adds mine where they did not clash, and follows the choice where they did", () => {
    expect(mergeOnTop(base, mine, theirs, { headline: "theirs" })).toEqual({
      ...theirs,
      breaking: true,
    });
    expect(mergeOnTop(base, mine, theirs, { headline: "mine" })).toEqual({
      ...theirs,
      headline: "Storm hits the coast",
      breaking: true,
    });
  });

  it("treats a picture as one field: the same picture is no clash, a different alt text is", () => {
    const picture = { id: "abc123", width: 1200, height: 800, alt: "Flooded street", credit: "" };
    const both = { ...base, image: picture };
    expect(clashesOf(base, both, { ...base, image: { ...picture } })).toEqual([]);
    expect(clashesOf(base, both, { ...base, image: { ...picture, alt: "A flooded street" } })).toEqual([
      "image",
    ]);
    expect(mergeOnTop(base, both, theirs, {})).toEqual({ ...theirs, image: picture });
  });
});

describe("plain words", () => {
  it("says what to do about each bad field", () => {
    expect(adviceFor({ ...fields, headline: " ", url: "example.org", topics: [] })).toEqual({
      headline: "Write a headline.",
      url: "Enter a full web address starting with https:// or http://, or leave the link empty.",
      topics: "Choose at least one topic.",
    });
    expect(adviceFor({ ...fields, topics: Array.from({ length: 11 }, (_, i) => `t${i}`) })).toEqual({
      topics: "Choose at most 10 topics.",
    });
    expect(adviceFor(fields)).toEqual({});
  });

  it("names the alt text when a picture has none, by the server's words too, and sends no size", () => {
    const picture = { id: "abc123", width: 1200, height: 800, alt: " ", credit: "" };
    const advice = adviceFor({ ...fields, image: picture });
    expect(advice).toEqual({
      "image.alt": "Write the alt text: what the picture shows, for readers who cannot see it.",
    });
    expect(namesOf(advice)).toBe("the alt text");
    expect(adviceFromServer({ "image.alt": "is required when an image is set" })).toEqual(advice);
    expect(adviceFromServer({ "image.id": "names no uploaded image" })).toEqual({
      "image.id": "The server no longer has this picture: remove it and upload it again.",
    });
    const body = itemBodyOf({ ...fields, image: { ...picture, alt: "Flooded street", credit: "AFP" } });
    expect(body.image).toEqual({ id: "abc123", alt: "Flooded street", credit: "AFP" });
    expect(itemBodyOf({ ...fields, image: { ...picture, alt: "Flooded street" } }).image).toEqual({
      id: "abc123",
      alt: "Flooded street",
    });
    expect(itemBodyOf(fields).image).toBeNull();
  });

  it("says how long a login lockout lasts and until when", () => {
    const now = new Date(2026, 10, 26, 16, 30, 0);
    expect(lockoutMessage(900, now)).toBe(
      "Too many failed logins: logging in is locked for 15 minutes. Try again at 16:45.",
    );
    expect(lockoutMessage(61, now)).toMatch(/locked for 2 minutes\. Try again at 16:31\./);
    expect(lockoutMessage(1, now)).toMatch(/locked for 1 second\./);
    expect(lockoutMessage(undefined, now)).toBe(
      "Too many failed logins: wait a few minutes, then try again.",
    );
  });
});
