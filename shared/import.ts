import { z } from "zod";
import { topicsSchema } from "./fields";
import { HEADLINE_MAX, HTTP_BODY_MAX_BYTES, SUMMARY_MAX } from "./limits";

/*
 * The plain-text import format, as a "Latest news" page reads when copied as text: a headline line,
 * a blank line, a summary paragraph, repeated, newest first. A lone first line followed by those
 * pairs is the page's title. Pure: text in, items out; the server publishes them.
 */

/** Most items one import may hold: a page of news, not an archive. */
export const IMPORT_ITEMS_MAX = 500;

/** Longest text one import may carry, in characters; the JSON body around it must fit the body limit. */
export const IMPORT_TEXT_MAX = HTTP_BODY_MAX_BYTES / 2;

/** One news block of the text: its headline, its summary and the line its headline is on. */
export interface PlainTextBlock {
  headline: string;
  summary: string;
  line: number;
}

/** What is wrong with the text, and where (`line` is null when it is about the whole text). */
export interface PlainTextProblem {
  line: number | null;
  message: string;
}

export type PlainTextParse =
  | { ok: true; title: string | null; blocks: PlainTextBlock[] }
  | { ok: false; problems: PlainTextProblem[] };

interface Paragraph {
  line: number;
  lines: string[];
}

// Control characters other than the tab (folded to a space like any whitespace) and line breaks.
const CONTROL_CHARS = /[^\P{Cc}\t\n]/u;

/** The paragraph's text with its whitespace (tabs among it) folded to single spaces. */
function paragraphText(paragraph: Paragraph): string {
  return paragraph.lines.join(" ").replace(/\s+/g, " ").trim();
}

function paragraphsOf(text: string, problems: PlainTextProblem[]): Paragraph[] {
  const paragraphs: Paragraph[] = [];
  let current: Paragraph | null = null;
  const lines = text
    .replace(/^\uFEFF/, "")
    .replace(/\r\n?/g, "\n")
    .split("\n");
  lines.forEach((line, i) => {
    if (CONTROL_CHARS.test(line)) {
      problems.push({ line: i + 1, message: "contains control characters" });
    }
    if (line.trim() === "") {
      current = null;
      return;
    }
    if (current === null) {
      current = { line: i + 1, lines: [] };
      paragraphs.push(current);
    }
    current.lines.push(line);
  });
  return paragraphs;
}

function lengthProblem(what: string, text: string, max: number): string | null {
  return text.length > max
    ? `the ${what} is ${text.length} characters long, at most ${max} are allowed`
    : null;
}

/**
 * Reads the plain-text format: paragraphs separated by blank lines, taken in pairs (headline,
 * summary), the first pair newest. With an odd number of paragraphs the first is the page's title
 * ("Latest news"), not an item. Each paragraph is one line. Every problem is reported with its
 * line, and then none of the text is taken.
 */
export function parsePlainText(text: string): PlainTextParse {
  if (text.length > IMPORT_TEXT_MAX) {
    return {
      ok: false,
      problems: [
        { line: null, message: `the text is ${text.length} characters long, at most ${IMPORT_TEXT_MAX}` },
      ],
    };
  }
  const problems: PlainTextProblem[] = [];
  const paragraphs = paragraphsOf(text, problems);
  if (paragraphs.length === 0) {
    return { ok: false, problems: [{ line: null, message: "the text is empty" }] };
  }
  // One line per paragraph is what lets a missing blank line show: two paragraphs run together
  // would otherwise shift every headline after them into a summary's place without a word.
  for (const paragraph of paragraphs) {
    if (paragraph.lines.length > 1) {
      problems.push({
        line: paragraph.line,
        message: `a headline or a summary is one line, but this paragraph runs over ${paragraph.lines.length} lines — is a blank line missing after line ${paragraph.line}?`,
      });
    }
  }
  const titled = paragraphs.length % 2 === 1;
  const [first] = paragraphs;
  const title = titled && first !== undefined ? paragraphText(first) : null;
  const pairs = titled ? paragraphs.slice(1) : paragraphs;
  if (pairs.length === 0) {
    problems.push({
      line: null,
      message:
        "there is a title but no news: write each item as a headline line, a blank line and its summary",
    });
  }
  if (pairs.length / 2 > IMPORT_ITEMS_MAX) {
    problems.push({
      line: null,
      message: `the text holds ${pairs.length / 2} items, at most ${IMPORT_ITEMS_MAX} can be imported at once`,
    });
  }
  const blocks: PlainTextBlock[] = [];
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    const head = pairs[i];
    const body = pairs[i + 1];
    if (head === undefined || body === undefined) continue;
    const headline = paragraphText(head);
    const summary = paragraphText(body);
    const headlineProblem = lengthProblem("headline", headline, HEADLINE_MAX);
    if (headlineProblem !== null) problems.push({ line: head.line, message: headlineProblem });
    const summaryProblem = lengthProblem("summary", summary, SUMMARY_MAX);
    if (summaryProblem !== null) problems.push({ line: body.line, message: summaryProblem });
    blocks.push({ headline, summary, line: head.line });
  }
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return problems.length > 0 ? { ok: false, problems } : { ok: true, title, blocks };
}

/** One problem in words, its line first: `line 7: the headline is …`. */
export function describeProblem(problem: PlainTextProblem): string {
  return problem.line === null ? problem.message : `line ${problem.line}: ${problem.message}`;
}

/** How many problems an answer lists: enough to fix a text in a round or two, not a wall of them. */
const PROBLEMS_LISTED = 10;

/** The problems in words, one after another, the first ten of them and how many more there are. */
export function describeProblems(problems: readonly PlainTextProblem[]): string {
  const listed = problems.slice(0, PROBLEMS_LISTED).map(describeProblem);
  const more = problems.length - listed.length;
  return [...listed, ...(more > 0 ? [`and ${more} more`] : [])].join("; ");
}

/** `text` as the end of a sentence: a full stop added unless it ends with one, or with a question mark. */
export function sentenceEnd(text: string): string {
  return /[.?!]$/.test(text) ? text : `${text}.`;
}

/** `POST /api/import`: the plain text and the topics every imported item carries. */
export const importRequestSchema = z.strictObject({
  text: z.string({ error: "must be the plain text to import" }),
  topics: topicsSchema,
});
export type ImportRequest = z.infer<typeof importRequestSchema>;

/** The answer of `POST /api/import`: how many items it created, and how many were there already. */
export const importResultSchema = z.object({
  created: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
});
export type ImportResult = z.infer<typeof importResultSchema>;
