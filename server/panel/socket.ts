import { parse as parseCookies } from "cookie";
import type { Logger } from "pino";
import { type PanelPresence, panelEditingSchema } from "../../shared/events";
import type { Auth } from "../auth/auth";
import { SESSION_COOKIE } from "../auth/guard";
import type { LivedeskServer } from "../timeline/socket";

/** Every logged-in operator's sockets. */
export const OPERATORS_ROOM = "operators";
/** The sockets of one session, and of all of an operator's sessions: closed when those end. */
const sessionRoom = (sessionHash: string) => `session:${sessionHash}`;
const operatorRoom = (operatorId: string) => `operator:${operatorId}`;

/** What the server keeps on each socket. */
export interface SocketData {
  /** Set when the handshake carried a valid operator session. */
  operator?: { id: string; username: string; sessionHash: string };
  editing?: string | null;
}

/**
 * Lets operators see each other: a socket whose handshake carries an operator's session cookie
 * joins the operators' room; each says which item it edits; everyone in the room hears who is
 * there and editing what. Readers' sockets are untouched.
 */
export function attachPanelSocket(io: LivedeskServer, auth: Auth, logger: Logger): void {
  io.use((socket, next) => {
    const sessionId = parseCookies(socket.handshake.headers.cookie ?? "")[SESSION_COOKIE];
    if (sessionId === undefined || sessionId === "") {
      next();
      return;
    }
    auth.fromSession(sessionId).then(
      (principal) => {
        if (principal?.kind === "operator") {
          socket.data.operator = {
            id: principal.id,
            username: principal.username,
            sessionHash: principal.session.idHash,
          };
        }
        next();
      },
      (error: unknown) => {
        logger.warn({ err: error }, "could not check a socket's session");
        next();
      },
    );
  });

  let timer: NodeJS.Timeout | undefined;
  const announce = () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      try {
        const sockets = await io.in(OPERATORS_ROOM).fetchSockets();
        const byUser = new Map<string, string | null>();
        for (const socket of sockets) {
          const username = socket.data.operator?.username;
          if (username === undefined) continue;
          byUser.set(username, byUser.get(username) ?? socket.data.editing ?? null);
        }
        const presence: PanelPresence = {
          operators: [...byUser]
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([username, editing]) => ({ username, editing })),
        };
        io.to(OPERATORS_ROOM).emit("panel:presence", presence);
      } catch (error) {
        logger.warn({ err: error }, "could not announce operator presence");
      }
    }, 100);
  };

  // A socket opened with a session lives no longer than the session. This node closes its own at
  // once, whatever Redis does; the adapter tells the other nodes (lost if Redis is down then).
  auth.onSessionsEnded((ended) => {
    const room = "idHash" in ended ? sessionRoom(ended.idHash) : operatorRoom(ended.operatorId);
    io.local.in(room).disconnectSockets(true);
    io.in(room).disconnectSockets(true);
  });

  io.on("connection", (socket) => {
    if (socket.data.operator === undefined) return;
    socket.data.editing = null;
    void socket.join([
      OPERATORS_ROOM,
      sessionRoom(socket.data.operator.sessionHash),
      operatorRoom(socket.data.operator.id),
    ]);
    announce();
    socket.on("panel:editing", (payload: unknown) => {
      const parsed = panelEditingSchema.safeParse(payload);
      if (!parsed.success) return;
      socket.data.editing = parsed.data.itemId;
      announce();
    });
    socket.on("disconnect", announce);
  });
}
