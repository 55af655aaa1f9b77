import type { z } from "zod";
import {
  HEADLINE_MAX,
  IMAGE_ALT_MAX,
  IMAGE_CREDIT_MAX,
  NOTE_MAX,
  PASSWORD_MAX,
  PASSWORD_MIN,
  SUMMARY_MAX,
  TOKEN_NAME_MAX,
  TOPIC_NAME_MAX,
  TOPIC_SLUG_MAX,
  TOPICS_MAX,
  USERNAME_MAX,
  USERNAME_MIN,
} from "../../../shared/limits";
import { createItemSchema } from "../../../shared/requests";
import { apiFieldsOf, type ItemFieldValues } from "./ItemFields";

/**
 * What an operator should do about a bad field, in plain words, keyed by the field's name as the
 * API names it (`headline`, `url`, `topics`, …). The composer and the editor check a draft with the
 * server's own schema before sending, so the words match what the server would refuse.
 */
export type Advice = Record<string, string>;

/** What is wrong with a field, whichever words the schema or the server used for it. */
export type Problem = "missing" | "too_short" | "too_long" | "taken" | "other";

/** What to tell the operator about each field of one form, by what is wrong with it. */
export type Words = Record<string, (problem: Problem) => string>;

/** The composer's and the editor's fields. */
const ITEM_WORDS: Words = {
  headline: (problem) =>
    problem === "missing"
      ? "Write a headline."
      : problem === "too_long"
        ? `Shorten the headline to ${HEADLINE_MAX} characters or fewer.`
        : "Remove line breaks, tabs and other invisible characters from the headline.",
  summary: (problem) =>
    problem === "too_long"
      ? `Shorten the summary to ${SUMMARY_MAX} characters or fewer.`
      : "Remove invisible characters from the summary; line breaks are fine.",
  url: () => "Enter a full web address starting with https:// or http://, or leave the link empty.",
  topics: (problem) =>
    problem === "missing" || problem === "too_short"
      ? "Choose at least one topic."
      : problem === "too_long"
        ? `Choose at most ${TOPICS_MAX} topics.`
        : "Choose the topics again: one of them no longer exists.",
  sources: (problem) =>
    problem === "too_long"
      ? "Name at most 10 sources, each name up to 200 characters and each role up to 60."
      : "Give each source a name; a link must start with https:// or http://.",
  // A picture's problems are keyed by its part, so the error sits by the field to fix.
  "image.alt": (problem) =>
    problem === "missing"
      ? "Write the alt text: what the picture shows, for readers who cannot see it."
      : problem === "too_long"
        ? `Shorten the alt text to ${IMAGE_ALT_MAX} characters or fewer.`
        : "Remove line breaks, tabs and other invisible characters from the alt text.",
  "image.credit": (problem) =>
    problem === "too_long"
      ? `Shorten the credit to ${IMAGE_CREDIT_MAX} characters or fewer.`
      : "Remove line breaks, tabs and other invisible characters from the credit.",
  "image.id": () => "The server no longer has this picture: remove it and upload it again.",
};

/** The retraction's reason. */
export const RETRACT_WORDS: Words = {
  reason: (problem) =>
    problem === "missing"
      ? "Write the reason readers will see: what was wrong with this item."
      : problem === "too_long"
        ? `Shorten the reason to ${NOTE_MAX} characters or fewer.`
        : "Remove invisible characters from the reason; line breaks are fine.",
};

/** A topic's slug and name. */
export const TOPIC_WORDS: Words = {
  slug: (problem) =>
    problem === "missing"
      ? "Write a slug, e.g. world-cup."
      : problem === "too_long"
        ? `Shorten the slug to ${TOPIC_SLUG_MAX} characters or fewer.`
        : problem === "taken"
          ? "Another topic has this slug already: choose a different one."
          : "Use only lower-case letters and digits, joined by single hyphens, e.g. world-cup.",
  name: (problem) =>
    problem === "missing"
      ? "Write the name readers will see."
      : problem === "too_long"
        ? `Shorten the name to ${TOPIC_NAME_MAX} characters or fewer.`
        : "Remove line breaks, tabs and other invisible characters from the name.",
};

/** A new operator's username and password, and a reset password. */
export const OPERATOR_WORDS: Words = {
  username: (problem) =>
    problem === "missing" || problem === "too_short"
      ? `Write a username of at least ${USERNAME_MIN} characters.`
      : problem === "too_long"
        ? `Shorten the username to ${USERNAME_MAX} characters or fewer.`
        : problem === "taken"
          ? "Someone has this username already: choose another."
          : "Use only letters, digits, dots, hyphens and underscores in the username.",
  password: (problem) =>
    problem === "too_long"
      ? `Shorten the password to ${PASSWORD_MAX} characters or fewer.`
      : `Choose a password of at least ${PASSWORD_MIN} characters.`,
};

/** An API token's name. */
export const TOKEN_WORDS: Words = {
  name: (problem) =>
    problem === "missing"
      ? "Write who uses the token, e.g. the agency wire."
      : problem === "too_long"
        ? `Shorten the name to ${TOKEN_NAME_MAX} characters or fewer.`
        : "Remove line breaks, tabs and other invisible characters from the name.",
};

const LABELS: Record<string, string> = {
  headline: "the headline",
  summary: "the summary",
  url: "the link",
  topics: "the topics",
  urgency: "the urgency",
  verification: "the verification",
  sources: "the sources",
  image: "the picture",
  "image.alt": "the alt text",
  "image.credit": "the picture's credit",
  "image.id": "the picture",
  correction: "the correction note",
  reason: "the reason",
  slug: "the slug",
  name: "the name",
  username: "the username",
  password: "the password",
  text: "the text",
};

/** The problem a message of the server's schemas names ("must not be empty", "is taken"…). */
function problemOfMessage(message: string): Problem {
  if (/must not be empty|is required|at least 1\b/.test(message)) return "missing";
  if (/at least/.test(message)) return "too_short";
  if (/at most/.test(message)) return "too_long";
  if (/is taken|exists already/.test(message)) return "taken";
  return "other";
}

function problemOf(issue: z.core.$ZodIssue): Problem {
  if (issue.code === "too_small") return Number(issue.minimum) <= 1 ? "missing" : "too_short";
  if (issue.code === "too_big") return "too_long";
  // A refinement (a note must not be empty once trimmed) says what it checks in its message.
  return problemOfMessage(issue.message);
}

/** Checks what a form would send with the server's own schema; empty when the server would take it. */
export function adviceBySchema(schema: z.ZodType, values: unknown, words: Words): Advice {
  const parsed = schema.safeParse(values);
  const advice: Advice = {};
  if (parsed.success) return advice;
  for (const issue of parsed.error.issues) {
    const first = String(issue.path[0] ?? "");
    // A part with words of its own (`image.alt`) is named as such; otherwise the whole field.
    const part = `${first}.${String(issue.path[1] ?? "")}`;
    const name = words[part] === undefined ? first : part;
    const say = words[name];
    if (say !== undefined) advice[name] ??= say(problemOf(issue));
  }
  return advice;
}

/** Checks what the composer or the editor would send; empty when the server would take it. */
export function adviceFor(values: ItemFieldValues): Advice {
  return adviceBySchema(createItemSchema, apiFieldsOf(values), ITEM_WORDS);
}

/**
 * The server's field errors in the same plain words, for what only the server can know (a topic
 * deleted meanwhile, a username taken) or a rule this page does not have yet. `topics.2` counts
 * for `topics`.
 */
export function adviceFromServer(fields: Record<string, string>, words: Words = ITEM_WORDS): Advice {
  const advice: Advice = {};
  for (const [key, message] of Object.entries(fields)) {
    const part = key.split(".").slice(0, 2).join(".");
    const name = words[part] === undefined ? (key.split(".")[0] ?? key) : part;
    const say = words[name];
    advice[name] ??=
      say === undefined ? `Check ${LABELS[name] ?? name}: it ${message}.` : say(problemOfMessage(message));
  }
  return advice;
}

/** "the headline and the topics": which fields need the operator, for the message under the form. */
export function namesOf(advice: Advice): string {
  const names = [...new Set(Object.keys(advice).map((name) => LABELS[name] ?? name))];
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

/** "Too many failed logins: try again in 15 minutes, at 16:45." from the server's Retry-After. */
export function lockoutMessage(retryAfterSeconds: number | undefined, now = new Date()): string {
  if (retryAfterSeconds === undefined) return "Too many failed logins: wait a few minutes, then try again.";
  const count = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;
  const wait =
    retryAfterSeconds < 60
      ? count(Math.max(1, Math.ceil(retryAfterSeconds)), "second")
      : count(Math.ceil(retryAfterSeconds / 60), "minute");
  const end = new Date(now.getTime() + retryAfterSeconds * 1000);
  const at = `${String(end.getHours()).padStart(2, "0")}:${String(end.getMinutes()).padStart(2, "0")}`;
  return `Too many failed logins: logging in is locked for ${wait}. Try again at ${at}.`;
}
