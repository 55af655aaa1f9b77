import { z } from "zod/mini";
import { ALERTS_WORKER_URL } from "../../../shared/alerts";
import type { SubscribeInput } from "../../../shared/push";

/*
 * Push alerts in the reader's browser: the service worker, the browser's permission and push
 * subscription, and the server's calls. Permission is asked only from `turnOnAlerts`, which runs
 * on the reader's click; a reader who said no is never asked again by the page.
 */

/** Kept when the reader turned the browser's question down, so the page never asks again. */
const DECLINED_KEY = "livedesk.alerts.declined";
/** The reader's choice, to show it when the dialog opens again. */
const CHOICE_KEY = "livedesk.alerts.choice";

/** What this browser can do about alerts right now. */
export type AlertSupport =
  | { kind: "ready" }
  /** iOS and iPadOS deliver Web Push only to a site added to the Home Screen and opened from there. */
  | { kind: "ios-home-screen" }
  /** The reader said no (to the browser or to our question): only the browser's settings can undo it. */
  | { kind: "declined" }
  | { kind: "unsupported" };

function isIos(): boolean {
  // iPadOS says it is a Mac; a Mac has no touch screen.
  return (
    /iPhone|iPad|iPod/.test(navigator.userAgent) ||
    (/Macintosh/.test(navigator.userAgent) && navigator.maxTouchPoints > 1)
  );
}

function isStandalone(): boolean {
  return (
    window.matchMedia("(display-mode: standalone)").matches ||
    ("standalone" in navigator && navigator.standalone === true)
  );
}

function declined(): boolean {
  try {
    return localStorage.getItem(DECLINED_KEY) === "1";
  } catch {
    return false;
  }
}

export function alertSupport(): AlertSupport {
  const hasPush = "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  if (isIos() && !isStandalone()) return { kind: "ios-home-screen" };
  if (!hasPush) return { kind: "unsupported" };
  if (Notification.permission === "granted") return { kind: "ready" };
  if (Notification.permission === "denied" || declined()) return { kind: "declined" };
  return { kind: "ready" };
}

export interface AlertChoice {
  topics: string[];
  minUrgency: SubscribeInput["minUrgency"];
}

const choiceSchema = z.object({ topics: z.array(z.string()), minUrgency: z.number() });
const keyAnswerSchema = z.object({ publicKey: z.string() });

/** The choice the reader subscribed with in this browser, if alerts are on. */
export function savedChoice(): AlertChoice | null {
  try {
    const raw = localStorage.getItem(CHOICE_KEY);
    if (raw === null) return null;
    const parsed = choiceSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** What went wrong, in words for the reader. */
export class AlertsError extends Error {}

async function serverKey(): Promise<string> {
  const response = await fetch("/api/push/key", { headers: { accept: "application/json" } });
  const parsed = response.ok ? keyAnswerSchema.safeParse(await response.json()) : undefined;
  if (parsed?.success !== true) throw new AlertsError("Alerts are not available on this site right now.");
  return parsed.data.publicKey;
}

/** The VAPID key as the bytes `pushManager.subscribe` takes. */
function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, "="));
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

async function send(method: "POST" | "DELETE", body: unknown): Promise<Response> {
  return fetch("/api/push/subscriptions", {
    method,
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify(body),
  });
}

/**
 * Asks the browser for permission (unless it was given already), subscribes with the push service
 * and tells the server the reader's topics and threshold. Call it from the reader's click only.
 */
export async function turnOnAlerts(choice: AlertChoice): Promise<void> {
  if (Notification.permission !== "granted") {
    if (alertSupport().kind === "declined") throw new AlertsError("Notifications are blocked for this site.");
    const answer = await Notification.requestPermission();
    if (answer !== "granted") {
      try {
        localStorage.setItem(DECLINED_KEY, "1");
      } catch {
        // Private browsing without storage: the browser's own answer still stands.
      }
      throw new AlertsError("Notifications are blocked for this site.");
    }
  }
  const registration = await navigator.serviceWorker.register(ALERTS_WORKER_URL);
  await navigator.serviceWorker.ready;
  const subscription =
    (await registration.pushManager.getSubscription()) ??
    (await registration.pushManager
      .subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(await serverKey()) })
      .catch(() => {
        throw new AlertsError("This browser's push service could not be reached. Try again later.");
      }));
  const response = await send("POST", { subscription: subscription.toJSON(), ...choice });
  if (response.status === 429) throw new AlertsError("Too many tries from here. Try again later.");
  if (!response.ok) throw new AlertsError("The news desk could not turn on your alerts. Try again later.");
  try {
    localStorage.setItem(CHOICE_KEY, JSON.stringify(choice));
  } catch {
    // Alerts are on all the same; the dialog just will not remember the choice.
  }
}

/** Ends the subscription with the server and the push service. */
export async function turnOffAlerts(): Promise<void> {
  const registration = await navigator.serviceWorker.getRegistration(ALERTS_WORKER_URL);
  const subscription = await registration?.pushManager.getSubscription();
  if (subscription) {
    const response = await send("DELETE", { endpoint: subscription.endpoint });
    if (!response.ok && response.status !== 204)
      throw new AlertsError("The news desk could not turn off your alerts. Try again later.");
    await subscription.unsubscribe();
  }
  try {
    localStorage.removeItem(CHOICE_KEY);
  } catch {
    // Nothing kept, nothing to forget.
  }
}
