import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { ALERT_THRESHOLDS, ALERT_URGENCY_MAX } from "../../../shared/alerts";
import type { Topic } from "../../../shared/item";
import { Dialog } from "../admin/Dialog";
import { fetchTopics } from "../api";
import {
  type AlertChoice,
  AlertsError,
  alertSupport,
  savedChoice,
  turnOffAlerts,
  turnOnAlerts,
} from "./alerts";
import { OFFLINE_ALERTS } from "./GetAlerts";

type Status =
  | { kind: "idle" }
  | { kind: "working" }
  | { kind: "on"; topics: string[] }
  | { kind: "off" }
  | { kind: "failed"; message: string };

/** Topic names joined as a sentence: "World, Politics and Sport". */
function named(slugs: readonly string[], topics: readonly Topic[]): string {
  const names = slugs.map((slug) => topics.find((t) => t.slug === slug)?.name ?? slug);
  return names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

/** The topics the reader's filter shows, to start from when nothing was chosen before. */
function topicsInAddress(): string[] {
  return new URLSearchParams(window.location.search).getAll("topic");
}

/**
 * "Get alerts": the reader picks topics and how urgent an item must be, and only then, on
 * "Turn on alerts", does the browser ask for permission. Loaded when the reader opens it.
 */
export default function AlertsDialog({ onClose }: { onClose: () => void }) {
  const id = useId();
  const support = alertSupport();
  const saved = savedChoice();
  const [topics, setTopics] = useState<Topic[] | null>(null);
  const [chosen, setChosen] = useState<string[]>(saved?.topics ?? topicsInAddress());
  const [minUrgency, setMinUrgency] = useState<AlertChoice["minUrgency"]>(
    saved?.minUrgency ?? ALERT_URGENCY_MAX,
  );
  const [status, setStatus] = useState<Status>(
    saved === null ? { kind: "idle" } : { kind: "on", topics: saved.topics },
  );
  const [topicError, setTopicError] = useState(false);
  const firstTopic = useRef<HTMLInputElement>(null);

  useEffect(() => {
    let live = true;
    fetchTopics().then(
      (list) => live && setTopics(list),
      () =>
        live &&
        setStatus({
          kind: "failed",
          message: navigator.onLine ? "The topics could not be loaded. Try again later." : OFFLINE_ALERTS,
        }),
    );
    return () => {
      live = false;
    };
  }, []);

  const toggle = (slug: string) => {
    setTopicError(false);
    setChosen((now) => (now.includes(slug) ? now.filter((s) => s !== slug) : [...now, slug]));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const picked = chosen.filter((slug) => topics?.some((t) => t.slug === slug));
    if (picked.length === 0) {
      setTopicError(true);
      firstTopic.current?.focus();
      return;
    }
    // The browser is not asked for a permission that could not be used now.
    if (!navigator.onLine) {
      setStatus({ kind: "failed", message: OFFLINE_ALERTS });
      return;
    }
    setStatus({ kind: "working" });
    try {
      await turnOnAlerts({ topics: picked, minUrgency });
      setStatus({ kind: "on", topics: picked });
    } catch (error) {
      setStatus({
        kind: "failed",
        message:
          error instanceof AlertsError ? error.message : "Alerts could not be turned on. Try again later.",
      });
    }
  };

  const stop = async () => {
    setStatus({ kind: "working" });
    try {
      await turnOffAlerts();
      setStatus({ kind: "off" });
    } catch (error) {
      setStatus({
        kind: "failed",
        message:
          error instanceof AlertsError ? error.message : "Alerts could not be turned off. Try again later.",
      });
    }
  };

  if (support.kind !== "ready" && status.kind !== "on") {
    return (
      <Dialog title="Get alerts" onClose={onClose}>
        <p>
          {support.kind === "ios-home-screen"
            ? "On iPhone and iPad, alerts come only to livedesk added to your Home Screen: tap Share, then “Add to Home Screen”, and open livedesk from there to get alerts."
            : support.kind === "declined"
              ? "Notifications from livedesk are blocked, so this page will not ask again. To get alerts, allow notifications for this site in your browser’s settings, then come back."
              : "This browser cannot show alerts from websites."}
        </p>
        <div className="actions">
          <button type="button" onClick={onClose}>
            Close
          </button>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog title="Get alerts" onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <fieldset className="field" aria-describedby={topicError ? `${id}-topics-error` : undefined}>
          <legend>Alert me about</legend>
          {topics === null
            ? status.kind !== "failed" && <p className="hint">Loading topics…</p>
            : topics.map((topic, i) => (
                <label key={topic.slug} className="check">
                  <input
                    ref={i === 0 ? firstTopic : undefined}
                    type="checkbox"
                    checked={chosen.includes(topic.slug)}
                    onChange={() => toggle(topic.slug)}
                    aria-invalid={topicError || undefined}
                  />
                  {topic.name}
                </label>
              ))}
          {topicError && (
            <p id={`${id}-topics-error`} className="field-error">
              Choose at least one topic.
            </p>
          )}
        </fieldset>
        <fieldset className="field">
          <legend>Which items</legend>
          {ALERT_THRESHOLDS.map((threshold) => (
            <label key={threshold.minUrgency} className="check">
              <input
                type="radio"
                name={`${id}-threshold`}
                checked={minUrgency === threshold.minUrgency}
                onChange={() => setMinUrgency(threshold.minUrgency)}
              />
              {threshold.label}
            </label>
          ))}
        </fieldset>
        <p className="hint">
          Your browser will ask whether livedesk may show notifications. You will get one for each item you
          chose on these topics; a correction or retraction replaces it.
        </p>
        <p role="status" aria-live="polite">
          {status.kind === "on" && topics !== null && `Alerts are on for ${named(status.topics, topics)}.`}
          {status.kind === "off" && "Alerts are off."}
          {status.kind === "working" && "One moment…"}
        </p>
        {status.kind === "failed" && (
          <p role="alert" className="field-error">
            {status.message}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={status.kind === "working" || topics === null}>
            {status.kind === "on" ? "Update alerts" : "Turn on alerts"}
          </button>
          {status.kind === "on" && (
            <button type="button" className="danger" onClick={stop}>
              Turn off alerts
            </button>
          )}
          <button type="button" onClick={onClose}>
            Close
          </button>
        </div>
      </form>
    </Dialog>
  );
}
