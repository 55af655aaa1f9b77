/**
 * The newest version of the Socket.IO protocol described in docs/protocol.md. A client asks for one
 * in its handshake; one that asks for none speaks 1, and version 1 is served for good.
 */
export const PROTOCOL_VERSION = 2;
/** Most changes one `timeline:changes` event carries: a longer run of changes comes as several. */
export const CHANGES_PER_EVENT_MAX = 100;

/** Longest headline, in characters, after trimming. */
export const HEADLINE_MAX = 200;
/** Longest summary, in characters. */
export const SUMMARY_MAX = 4000;
/** An item carries at least one and at most this many topics. */
export const TOPICS_MAX = 10;
/** Longest correction note or retraction reason, in characters. */
export const NOTE_MAX = 1000;
/** Longest source name, in characters. */
export const SOURCE_MAX = 200;
/** Longest link, in characters. */
export const URL_MAX = 2048;
/** Longest search text, in characters. */
export const SEARCH_MAX = 200;

/** Longest topic slug and topic name, in characters. */
export const TOPIC_SLUG_MAX = 40;
export const TOPIC_NAME_MAX = 60;
/** Longest API token name, in characters. */
export const TOKEN_NAME_MAX = 60;
/** An operator's username, in characters. */
export const USERNAME_MIN = 2;
export const USERNAME_MAX = 40;
/** Length is what makes a password strong (NIST SP 800-63B). */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;
/** Most topics one `GET /api/items` filter names (several topics match an item carrying any of them). */
export const FILTER_TOPICS_MAX = 20;

/** `GET /api/items` page size: default and upper bound. */
export const PAGE_DEFAULT = 50;
export const PAGE_MAX = 200;
/**
 * Most items one `GET /api/items?through=ID` page holds: enough for a jump to a key event a
 * thousand items down in one call; a jump further than that takes one more.
 */
export const THROUGH_MAX = 1000;

/**
 * A `timeline:sync` whose `since` lies more than this many changes behind the latest seq is
 * answered with a reset: replaying a long log costs more than sending the window again.
 */
export const SYNC_MAX_CHANGES = 1000;
/** How many of the newest items (tombstones of retracted ones too) a reset sends; pinned items come on top. */
export const SYNC_WINDOW = 100;

/** Largest HTTP request body the server reads. */
export const HTTP_BODY_MAX_BYTES = 1024 * 1024;
/** Largest Socket.IO message a client may send; readers only send small sync requests. */
export const SOCKET_MESSAGE_MAX_BYTES = 16 * 1024;

/** Items of the demo wire (`LIVEDESK_DEMO=1`) carry this source; the dashboard labels them as demo. */
export const DEMO_SOURCE = "livedesk demo wire";

/** An item names at most this many sources (ninjs infosources). */
export const ITEM_SOURCES_MAX = 10;
/** Longest role of an item's source ("eyewitness", "agency" …), in characters. */
export const SOURCE_ROLE_MAX = 60;

/** Largest picture `POST /api/media` takes, in bytes (10 MB). */
export const MEDIA_MAX_BYTES = 10 * 1024 * 1024;
/** The widths `GET /media/:id?w=N` serves: a fixed set, so a crawler cannot make the server resize at will. */
export const MEDIA_WIDTHS = [320, 640, 960, 1280] as const;
/** The width `GET /media/:id` serves without `w`. */
export const MEDIA_DEFAULT_WIDTH = 960;
/** Longest alt text of an item's picture, in characters. */
export const IMAGE_ALT_MAX = 500;
/** Longest credit of an item's picture ("Picture: …"), in characters. */
export const IMAGE_CREDIT_MAX = 200;
