import type { Socket } from "socket.io";
import { protocolOf } from "../../shared/events";
import type { Change } from "../../shared/item";
import { CHANGES_PER_EVENT_MAX } from "../../shared/limits";
import type { LivedeskServer } from "./socket";

/** The room of this node's sockets served in protocol 1 (one `timeline:change` per change). */
const PROTOCOL_1_ROOM = "protocol:1";

/**
 * Sends committed changes to this node's readers, in the order they are pushed, through Socket.IO's
 * own broadcast: each event is encoded once for every reader and Socket.IO hands the same
 * websocket frame to each of them.
 *
 * The changes that arrive together (one group commit, or a burst) make one commit batch. A reader
 * that speaks protocol 2 gets the batch as one `timeline:changes` event: one frame and one system
 * call per reader per batch instead of one per change, which is what a busy desk spends most of
 * its time on. A reader that speaks protocol 1 gets each change as its own `timeline:change`, as
 * it always has. Protocol 1 sockets are the few (old clients), so they are the ones kept in a
 * room: the many protocol 2 readers are reached by leaving that room out, which Socket.IO does
 * without building a set of every reader per event.
 */
export class ReaderBroadcast {
  private pending: Change[] = [];
  private protocol1Sockets = 0;

  constructor(private readonly io: LivedeskServer) {}

  /** Serves `socket` in the protocol its handshake asked for. */
  follow(socket: Socket): void {
    if (protocolOf(socket.handshake.auth) === 2) return;
    void socket.join(PROTOCOL_1_ROOM);
    this.protocol1Sockets += 1;
    socket.once("disconnect", () => {
      this.protocol1Sockets -= 1;
    });
  }

  push(change: Change): void {
    this.pending.push(change);
    // After the promises settled in this turn (the rest of a group commit) have pushed theirs.
    if (this.pending.length === 1) process.nextTick(() => this.flush());
  }

  private flush(): void {
    const changes = this.pending;
    this.pending = [];
    for (let start = 0; start < changes.length; start += CHANGES_PER_EVENT_MAX) {
      this.io.local
        .except(PROTOCOL_1_ROOM)
        .emit("timeline:changes", changes.slice(start, start + CHANGES_PER_EVENT_MAX));
    }
    // Nothing to encode when no protocol 1 socket is here to receive it.
    if (this.protocol1Sockets === 0) return;
    const protocol1 = this.io.local.to(PROTOCOL_1_ROOM);
    for (const change of changes) protocol1.emit("timeline:change", change);
  }
}
