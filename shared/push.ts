import { z } from "zod";
import { ALERT_URGENCY_MAX } from "./alerts";
import { topicSlugSchema } from "./fields";
import { FILTER_TOPICS_MAX } from "./limits";

/*
 * Web Push alerts for readers: what the dialog sends to subscribe, what the server answers, and
 * the message a service worker receives (RFC 8030 push, VAPID RFC 8292, aes128gcm RFC 8291).
 */

/** Longest push endpoint the server keeps; the browsers' push services give a few hundred characters. */
export const PUSH_ENDPOINT_MAX = 1024;

const base64url = (what: string, bytes: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]+=*$/, `must be ${what} in URL-safe base64`)
    // Unpadded base64 carries 6 bits a character.
    .refine(
      (s) => Math.floor((s.replace(/=+$/, "").length * 3) / 4) === bytes,
      `must be ${bytes} bytes (${what})`,
    );

/** A browser's `PushSubscription.toJSON()`. */
export const pushSubscriptionSchema = z.object({
  endpoint: z
    .string()
    .max(PUSH_ENDPOINT_MAX, `must be at most ${PUSH_ENDPOINT_MAX} characters`)
    .refine((s) => URL.canParse(s), "must be an absolute URL"),
  expirationTime: z.number().nullable().optional(),
  keys: z.object({
    p256dh: base64url("an uncompressed P-256 public key", 65),
    auth: base64url("the authentication secret", 16),
  }),
});
export type PushSubscriptionJson = z.infer<typeof pushSubscriptionSchema>;

/** `POST /api/push/subscriptions`: the browser's subscription, the topics to alert on and the threshold. */
export const subscribeSchema = z.strictObject({
  subscription: pushSubscriptionSchema,
  topics: z
    .array(topicSlugSchema)
    .min(1, "must name at least one topic")
    .max(FILTER_TOPICS_MAX, `must name at most ${FILTER_TOPICS_MAX} topics`)
    .transform((slugs) => [...new Set(slugs)]),
  minUrgency: z
    .number()
    .int("must be a whole number")
    .min(1, "must be 1 (flash), 2 (alert) or 3 (every breaking item)")
    .max(ALERT_URGENCY_MAX, "must be 1 (flash), 2 (alert) or 3 (every breaking item)"),
});
export type SubscribeInput = z.infer<typeof subscribeSchema>;

/** `DELETE /api/push/subscriptions`: only who holds the endpoint can end its subscription. */
export const unsubscribeSchema = z.strictObject({
  endpoint: z.string().min(1, "must not be empty").max(PUSH_ENDPOINT_MAX),
});

/** `GET /api/push/key`: the VAPID public key, for `pushManager.subscribe({ applicationServerKey })`. */
export const pushKeySchema = z.object({ publicKey: z.string() });

/**
 * The message a service worker receives. `tag` is the same for every message about one item, so
 * a correction or retraction replaces the notification of the alert it follows.
 */
export const alertMessageSchema = z.object({
  kind: z.enum(["alert", "correction", "retraction"]),
  itemId: z.string(),
  tag: z.string(),
  title: z.string(),
  body: z.string(),
  /** The item's permalink, a path on this site. */
  url: z.string(),
  urgency: z.number(),
});
export type AlertMessage = z.infer<typeof alertMessageSchema>;
