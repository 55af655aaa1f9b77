import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { describeProblems, IMPORT_ITEMS_MAX, type PlainTextParse, parsePlainText } from "../../shared/import";
import { HEADLINE_MAX } from "../../shared/limits";

/* The plain-text import format (shared/import.ts), read from the seed's copy and from small texts. */

const seed = fs.readFileSync(path.resolve(import.meta.dirname, "..", "fixtures", "latest-news.txt"), "utf8");

function blocksOf(parse: PlainTextParse) {
  if (!parse.ok) throw new Error(`expected the text to parse: ${JSON.stringify(parse.problems)}`);
  return parse.blocks;
}

function problemsOf(parse: PlainTextParse) {
  if (parse.ok) throw new Error("expected the text to be refused");
  return parse.problems;
}

describe("the plain-text import format", () => {
  it("reads the seed as its title and 20 items, the first block first", () => {
    const parse = parsePlainText(seed);
    expect(parse.ok && parse.title).toBe("Latest news");
    const blocks = blocksOf(parse);
    expect(blocks).toHaveLength(20);
    expect(blocks[0]).toEqual({
      headline:
        "Artsakh is a de facto independent territory with viable and strong democratic governing structures. Member of Spanish Parliament John Inarritu",
      summary:
        "On September 27, Azerbaijan launched active hostilities along the Artsakh-Azerbaijani line of contact and in the direction of peaceful settlements of Artsakh.",
      line: 3,
    });
    expect(blocks[1]?.headline).toBe("Russian airstrikes kill Turkish-backed rebels in Syria");
    expect(blocks.at(-1)?.headline).toBe(
      "Armenians block Spain-France highway, demand Madrid to recognize Artsakh independence",
    );
    expect(blocks.at(-1)?.summary).toMatch(/^The highway linking Spain with France is blocked/);
  });

  it("takes pairs without a title as items, whatever the line endings and spacing", () => {
    const text = "\uFEFF  First  headline \r\n\r\nFirst\tsummary.\r\n\r\n\r\n\nSecond\n \nSecond summary\n";
    const parse = parsePlainText(text);
    expect(parse.ok && parse.title).toBe(null);
    expect(blocksOf(parse)).toEqual([
      { headline: "First headline", summary: "First summary.", line: 1 },
      { headline: "Second", summary: "Second summary", line: 7 },
    ]);
  });

  it("refuses an empty text, and a title without news", () => {
    expect(problemsOf(parsePlainText(" \n\n\t\n"))).toEqual([{ line: null, message: "the text is empty" }]);
    expect(problemsOf(parsePlainText("Latest news\n"))[0]?.message).toMatch(/a title but no news/);
  });

  it("names the line where a blank line is missing, instead of shifting headlines into summaries", () => {
    const text =
      "Latest news\n\nHeadline one\n\nSummary one\n\nHeadline two\nSummary two right below\n\nHeadline three\n\nSummary three";
    expect(problemsOf(parsePlainText(text))).toEqual([
      {
        line: 7,
        message:
          "a headline or a summary is one line, but this paragraph runs over 2 lines — is a blank line missing after line 7?",
      },
    ]);
  });

  it("names the line of a headline that is too long, and of control characters", () => {
    const long = "x".repeat(HEADLINE_MAX + 1);
    const problems = problemsOf(
      parsePlainText(`Fine\n\nFine summary\n\n${long}\n\nSummary\u0007 with a bell`),
    );
    expect(problems).toEqual([
      {
        line: 5,
        message: `the headline is ${HEADLINE_MAX + 1} characters long, at most ${HEADLINE_MAX} are allowed`,
      },
      { line: 7, message: "contains control characters" },
    ]);
  });

  it("lists the first ten problems in words and counts the rest", () => {
    const text = Array.from({ length: 12 }, (_, i) => `Headline ${i}\nrun on`).join("\n\n");
    const problems = problemsOf(parsePlainText(text));
    expect(problems).toHaveLength(12);
    const words = describeProblems(problems);
    expect(words.split("; ")).toHaveLength(11);
    expect(words).toMatch(/^line 1: a headline or a summary is one line, .*; line 4: /);
    expect(words).toMatch(/; and 2 more$/);
  });

  it("refuses more items than one import may hold", () => {
    const text = Array.from({ length: IMPORT_ITEMS_MAX + 1 }, (_, i) => `Headline ${i}\n\nSummary ${i}`).join(
      "\n\n",
    );
    expect(problemsOf(parsePlainText(text))).toEqual([
      {
        line: null,
        message: `the text holds ${IMPORT_ITEMS_MAX + 1} items, at most ${IMPORT_ITEMS_MAX} can be imported at once`,
      },
    ]);
  });

  it("reads back any page written in the format: its title and every block, in order", () => {
    // A line of words: no control characters, no whitespace at its ends or doubled inside.
    const word = fc.stringMatching(/^[^\p{Cc}\s]{1,12}$/u);
    const line = (max: number) =>
      fc
        .array(word, { minLength: 1, maxLength: 8 })
        .map((words) => words.join(" ").slice(0, max).trim())
        .filter((text) => text !== "");
    const block = fc.record({ headline: line(HEADLINE_MAX), summary: line(400) });
    const page = fc.record({
      title: fc.option(line(80), { nil: null }),
      blocks: fc.array(block, { minLength: 1, maxLength: 30 }),
      gap: fc.constantFrom("\n\n", "\n\n\n", "\r\n\r\n", "\n \t\n"),
    });
    fc.assert(
      fc.property(page, ({ title, blocks, gap }) => {
        const paragraphs = [
          ...(title === null ? [] : [title]),
          ...blocks.flatMap((b) => [b.headline, b.summary]),
        ];
        const parse = parsePlainText(paragraphs.join(gap));
        expect(parse.ok && parse.title).toBe(title);
        expect(blocksOf(parse).map(({ headline, summary }) => ({ headline, summary }))).toEqual(blocks);
      }),
    );
  });

  it("answers any text with items or problems, never throws, and takes nothing with a control character", () => {
    const nasty = fc.oneof(
      fc.string(),
      fc.string({ unit: "binary" }),
      fc
        .array(
          fc.constantFrom("a", "B c", "\n", "\n\n", "\r", "\t", "\u0000", "\uD800", "\u2028", "\u202E", " "),
          { maxLength: 40 },
        )
        .map((parts) => parts.join("")),
    );
    fc.assert(
      fc.property(nasty, (text) => {
        const parse = parsePlainText(text);
        if (!parse.ok) {
          expect(parse.problems.length).toBeGreaterThan(0);
          return;
        }
        for (const block of parse.blocks) {
          expect(block.headline).not.toBe("");
          expect(block.headline + block.summary).not.toMatch(/\p{Cc}/u);
        }
      }),
      { numRuns: 500 },
    );
  });
});
