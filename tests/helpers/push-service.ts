import crypto from "node:crypto";
import http from "node:http";
import { z } from "zod";

/*
 * A push service on loopback, as a browser vendor runs one (RFC 8030): it checks each message's
 * VAPID signature (RFC 8292) and decrypts its aes128gcm payload (RFC 8291) with the keys of the
 * subscription it made, as the browser would. The browsers' push services cannot be reached from
 * the test machines; this one speaks the same wire format.
 */

/** A browser's side of one subscription: its key pair and auth secret, and the endpoint to post to. */
export interface TestSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
  ecdh: crypto.ECDH;
  authSecret: Buffer;
}

/** One message as it arrived and was decrypted. */
export interface ReceivedMessage {
  endpoint: string;
  payload: unknown;
  headers: { ttl: string | undefined; urgency: string | undefined; topic: string | undefined };
  /** The VAPID claims, after the signature was checked with `vapidKey`. */
  claims: { aud: string; exp: number; sub: string };
  vapidKey: string;
}

/** What the service answers for the next messages to an endpoint, in turn; 201 when none are left. */
export interface Answer {
  status: number;
  headers?: Record<string, string>;
  /** The answer waits until this settles (a push service that is slow). */
  hold?: Promise<void>;
}

export interface PushService {
  url: string;
  subscribe(): TestSubscription;
  /** Every message accepted, in arrival order. */
  messages: ReceivedMessage[];
  /** Requests that failed a check (bad signature, undecryptable body), with the reason. */
  rejected: string[];
  /** Requests received, answered or not; with `endpoint`, those to it. */
  requests(endpoint?: string): number;
  answerNext(endpoint: string, ...answers: Answer[]): void;
  /** Resolves with the `count`-th message accepted (1-based), waiting up to `timeoutMs`. */
  waitForMessages(count: number, timeoutMs?: number): Promise<ReceivedMessage[]>;
  close(): Promise<void>;
}

const claimsSchema = z.object({ aud: z.string(), exp: z.number(), sub: z.string() });
const jwtHeaderSchema = z.object({ typ: z.literal("JWT"), alg: z.literal("ES256") });

/** Checks a VAPID `Authorization: vapid t=…, k=…` header; the claims, or why it fails. */
function checkVapid(header: string | undefined, origin: string): ReceivedMessage["claims"] & { key: string } {
  const match = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header ?? "");
  if (match?.[1] === undefined || match[2] === undefined)
    throw new Error(`no VAPID authorization: ${header}`);
  const [token, key] = [match[1], match[2]];
  const [head, body, signature] = token.split(".");
  if (head === undefined || body === undefined || signature === undefined) throw new Error("malformed JWT");
  jwtHeaderSchema.parse(JSON.parse(Buffer.from(head, "base64url").toString()));
  const point = Buffer.from(key, "base64url");
  if (point.length !== 65 || point[0] !== 4) throw new Error("k is not an uncompressed P-256 key");
  const publicKey = crypto.createPublicKey({
    key: {
      kty: "EC",
      crv: "P-256",
      x: point.subarray(1, 33).toString("base64url"),
      y: point.subarray(33).toString("base64url"),
    },
    format: "jwk",
  });
  const valid = crypto.verify(
    "sha256",
    Buffer.from(`${head}.${body}`),
    { key: publicKey, dsaEncoding: "ieee-p1363" },
    Buffer.from(signature, "base64url"),
  );
  if (!valid) throw new Error("VAPID signature does not verify with k");
  const claims = claimsSchema.parse(JSON.parse(Buffer.from(body, "base64url").toString()));
  if (claims.aud !== origin) throw new Error(`aud ${claims.aud} is not the push service's origin ${origin}`);
  const now = Date.now() / 1000;
  if (claims.exp <= now || claims.exp > now + 24 * 3600) throw new Error(`exp ${claims.exp} is out of range`);
  if (!/^(mailto:|https:)/.test(claims.sub)) throw new Error(`sub ${claims.sub} is no contact`);
  return { ...claims, key };
}

/** Decrypts an aes128gcm body (RFC 8188 framing, RFC 8291 keys) for `subscription`. */
export function decrypt(body: Buffer, subscription: TestSubscription): Buffer {
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const idLength = body[20] ?? 0;
  const senderKey = body.subarray(21, 21 + idLength);
  const records = body.subarray(21 + idLength);
  if (records.length > recordSize) throw new Error("more than one record");
  const secret = subscription.ecdh.computeSecret(senderKey);
  const keyInfo = Buffer.concat([
    Buffer.from("WebPush: info\0"),
    subscription.ecdh.getPublicKey(),
    senderKey,
  ]);
  const ikm = Buffer.from(crypto.hkdfSync("sha256", secret, subscription.authSecret, keyInfo, 32));
  const cek = Buffer.from(
    crypto.hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: aes128gcm\0"), 16),
  );
  const nonce = Buffer.from(
    crypto.hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: nonce\0"), 12),
  );
  const decipher = crypto.createDecipheriv("aes-128-gcm", cek, nonce);
  decipher.setAuthTag(records.subarray(records.length - 16));
  const padded = Buffer.concat([decipher.update(records.subarray(0, records.length - 16)), decipher.final()]);
  // The last record ends with the delimiter 2, then zero padding.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end -= 1;
  if (padded[end] !== 2) throw new Error("no last-record delimiter");
  return padded.subarray(0, end);
}

export async function startPushService(): Promise<PushService> {
  const subscriptions = new Map<string, TestSubscription>();
  const answers = new Map<string, Answer[]>();
  const messages: ReceivedMessage[] = [];
  const rejected: string[] = [];
  const waiters = new Set<() => void>();
  let requests = 0;
  const requestsTo = new Map<string, number>();
  let origin = "";

  const server = http.createServer((req, res) => {
    requests += 1;
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      const endpoint = `${origin}${req.url ?? ""}`;
      requestsTo.set(endpoint, (requestsTo.get(endpoint) ?? 0) + 1);
      const subscription = subscriptions.get(endpoint);
      const answer = answers.get(endpoint)?.shift() ?? { status: 201 };
      await answer.hold;
      if (subscription === undefined) {
        res.writeHead(404).end();
        return;
      }
      if (answer.status === 201) {
        try {
          if (req.headers["content-encoding"] !== "aes128gcm") throw new Error("not aes128gcm");
          const claims = checkVapid(req.headers.authorization, origin);
          const payload: unknown = JSON.parse(decrypt(Buffer.concat(chunks), subscription).toString("utf8"));
          const one = (h: string | string[] | undefined) => (Array.isArray(h) ? h[0] : h);
          messages.push({
            endpoint,
            payload,
            headers: {
              ttl: one(req.headers.ttl),
              urgency: one(req.headers.urgency),
              topic: one(req.headers.topic),
            },
            claims: { aud: claims.aud, exp: claims.exp, sub: claims.sub },
            vapidKey: claims.key,
          });
          for (const wake of waiters) wake();
        } catch (error) {
          rejected.push(error instanceof Error ? error.message : String(error));
          res.writeHead(400).end();
          return;
        }
      }
      res.writeHead(answer.status, answer.headers).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("push service is not on TCP");
  origin = `http://127.0.0.1:${address.port}`;
  let next = 0;

  return {
    url: origin,
    messages,
    rejected,
    requests: (endpoint) => (endpoint === undefined ? requests : (requestsTo.get(endpoint) ?? 0)),
    subscribe() {
      const ecdh = crypto.createECDH("prime256v1");
      ecdh.generateKeys();
      const authSecret = crypto.randomBytes(16);
      next += 1;
      const subscription: TestSubscription = {
        endpoint: `${origin}/push/${next}-${crypto.randomBytes(8).toString("hex")}`,
        keys: { p256dh: ecdh.getPublicKey().toString("base64url"), auth: authSecret.toString("base64url") },
        ecdh,
        authSecret,
      };
      subscriptions.set(subscription.endpoint, subscription);
      return subscription;
    },
    answerNext(endpoint, ...list) {
      answers.set(endpoint, [...(answers.get(endpoint) ?? []), ...list]);
    },
    waitForMessages(count, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (messages.length < count) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(messages.slice(0, count));
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `push service got ${messages.length} of ${count} messages; rejected: ${rejected.join("; ")}`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
