import { HEADLINE_MAX, SUMMARY_MAX, TOPICS_MAX } from "../../../shared/limits";
import { createItemSchema } from "../../../shared/requests";
import type { ItemFieldValues } from "./ItemFields";

/**
 * What an operator should do about a bad field, in plain words, keyed by the field's name as the
 * API names it (`headline`, `url`, `topics`, …). The composer and the editor check a draft with the
 * server's own schema before sending, so the words match what the server would refuse.
 */
export type Advice = Record<string, string>;

type Problem = "missing" | "too_long" | "other";

const ADVICE: Record<string, (problem: Problem) => string> = {
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
    problem === "missing"
      ? "Choose at least one topic."
      : problem === "too_long"
        ? `Choose at most ${TOPICS_MAX} topics.`
        : "Choose the topics again: one of them no longer exists.",
};

const LABELS: Record<string, string> = {
  headline: "the headline",
  summary: "the summary",
  url: "the link",
  topics: "the topics",
  correction: "the correction note",
};

function problemOf(code: string): Problem {
  if (code === "too_small") return "missing";
  if (code === "too_big") return "too_long";
  return "other";
}

/** Checks what the composer or the editor would send; empty when the server would take it. */
export function adviceFor(values: ItemFieldValues): Advice {
  const parsed = createItemSchema.safeParse(values);
  const advice: Advice = {};
  if (parsed.success) return advice;
  for (const issue of parsed.error.issues) {
    const name = String(issue.path[0] ?? "");
    const say = ADVICE[name];
    if (say !== undefined) advice[name] ??= say(problemOf(issue.code));
  }
  return advice;
}

/**
 * The server's field errors in the same plain words, for what only the server can know (a topic
 * deleted meanwhile) or a rule this page does not have yet. `topics.2` counts for `topics`.
 */
export function adviceFromServer(fields: Record<string, string>): Advice {
  const advice: Advice = {};
  for (const [key, message] of Object.entries(fields)) {
    const name = key.split(".")[0] ?? key;
    const say = ADVICE[name];
    const problem: Problem = /must not be empty|at least/.test(message)
      ? "missing"
      : /at most/.test(message)
        ? "too_long"
        : "other";
    advice[name] ??= say === undefined ? `Check ${LABELS[name] ?? name}: it ${message}.` : say(problem);
  }
  return advice;
}

/** "the headline and the topics": which fields need the operator, for the message under the form. */
export function namesOf(advice: Advice): string {
  const names = Object.keys(advice).map((name) => LABELS[name] ?? name);
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
