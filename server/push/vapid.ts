import { generateKeyPairSync } from "node:crypto";
import { z } from "zod";
import type { VapidKeys } from "./store";

/** The parts of a P-256 private key as JWK: fixed-length URL-safe base64 (RFC 7518 §6.2). */
const p256Jwk = z.object({ x: z.string(), y: z.string(), d: z.string() });

/**
 * A new VAPID key pair, in the form web-push's `generateVAPIDKeys` gives: the P-256 public key as
 * an uncompressed point (65 bytes) and the private key (32 bytes), in URL-safe base64. Made here
 * with node:crypto because every start makes one (server/push/push.ts keeps the first), and
 * web-push is loaded only when a node first sends an alert (server/push/sender.ts).
 */
export function makeVapidKeys(): VapidKeys {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const { x, y, d } = p256Jwk.parse(privateKey.export({ format: "jwk" }));
  const point = Buffer.concat([
    Buffer.from([0x04]),
    Buffer.from(x, "base64url"),
    Buffer.from(y, "base64url"),
  ]);
  return { publicKey: point.toString("base64url"), privateKey: d };
}
