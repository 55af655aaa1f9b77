/** A document the wire sent that livedesk will not read; the message becomes the source's `lastError`. */
export class WireError extends Error {}
