import dns from "node:dns";
import type { LookupFunction } from "node:net";
import net from "node:net";

/*
 * Push endpoints come from anonymous readers, and the server sends requests to them: without
 * these checks a reader could make the server post to the newsroom's own network (request
 * forgery). An endpoint must be https on a public address, checked when it is subscribed and
 * again on every connection (a name may resolve elsewhere later).
 */

/** Addresses no push service has: loopback, private, link-local, shared, reserved, multicast. */
const refused = new net.BlockList();
for (const [prefix, bits] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  refused.addSubnet(prefix, bits, "ipv4");
}
for (const [prefix, bits] of [
  ["::", 128],
  ["::1", 128],
  ["64:ff9b::", 96],
  ["100::", 64],
  ["2001:db8::", 32],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  refused.addSubnet(prefix, bits, "ipv6");
}

/** True when `address` (an IP literal) is one a push endpoint must not have. */
export function isRefusedAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return refused.check(address, "ipv4");
  if (family !== 6) return true;
  // An IPv4 address written as IPv6 (::ffff:10.0.0.1, ::ffff:a00:1) is checked as the IPv4 one.
  const mapped = /^::ffff:(.+)$/i.exec(address)?.[1];
  if (mapped !== undefined) {
    if (net.isIPv4(mapped)) return refused.check(mapped, "ipv4");
    const hex = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(mapped);
    if (hex?.[1] !== undefined && hex[2] !== undefined) {
      const high = Number.parseInt(hex[1], 16);
      const low = Number.parseInt(hex[2], 16);
      return refused.check(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`, "ipv4");
    }
  }
  return refused.check(address, "ipv6");
}

/** How long a subscription waits for its endpoint's name to resolve. */
const LOOKUP_DEADLINE_MS = 5000;

/** A URL's host as an address or name: `[::1]` loses its brackets. */
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, "$1");
}

/**
 * Why `endpoint` cannot be a push endpoint, or null when it can. With `insecure` (a local push
 * service in tests, LIVEDESK_PUSH_INSECURE_ENDPOINTS=1) http and any address are accepted.
 */
export async function endpointProblem(endpoint: string, insecure: boolean): Promise<string | null> {
  if (!URL.canParse(endpoint)) return "must be an absolute URL";
  const url = new URL(endpoint);
  if (url.username !== "" || url.password !== "") return "must not carry a user name or password";
  if (insecure) return url.protocol === "https:" || url.protocol === "http:" ? null : "must be an https URL";
  if (url.protocol !== "https:") return "must be an https URL";
  const host = hostOf(url);
  if (net.isIP(host) !== 0)
    return isRefusedAddress(host) ? "must not be a loopback, private or link-local address" : null;
  let addresses: dns.LookupAddress[];
  let timer: NodeJS.Timeout | undefined;
  try {
    // A resolver that does not answer must not hold the reader's request (or the server) long.
    addresses = await Promise.race([
      dns.promises.lookup(host, { all: true, verbatim: true }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("no answer")), LOOKUP_DEADLINE_MS);
      }),
    ]);
  } catch {
    return "must have a host name that resolves";
  } finally {
    clearTimeout(timer);
  }
  if (addresses.length === 0) return "must have a host name that resolves";
  return addresses.some((a) => isRefusedAddress(a.address))
    ? "must not resolve to a loopback, private or link-local address"
    : null;
}

/**
 * `lookup` for the connection to a push service: resolves as usual and fails when any address
 * found is refused, so a name that now points inside the network is never connected to.
 */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true, verbatim: true }, (error, addresses) => {
    if (error !== null) {
      callback(error, "", 0);
      return;
    }
    const bad = addresses.find((a) => isRefusedAddress(a.address));
    if (bad !== undefined || addresses.length === 0) {
      const refusal = Object.assign(new Error(`push endpoint ${hostname} resolves to a refused address`), {
        code: "EPUSHADDRESS",
      });
      callback(refusal, "", 0);
      return;
    }
    if (options.all === true) callback(null, addresses);
    else {
      const first = addresses[0];
      if (first === undefined) callback(new Error(`push endpoint ${hostname} does not resolve`), "", 0);
      else callback(null, first.address, first.family);
    }
  });
};
