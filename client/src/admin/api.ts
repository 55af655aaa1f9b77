import { useMemo } from "react";
import { z } from "zod";
import { itemSchema } from "../../../shared/item";
import { apiErrorSchema } from "../../../shared/requests";
import { type DeskStore, useStoreApi } from "../store";

/** An error answer of the API, with the fields it names and, on a conflict, the item as it is now. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
    readonly current?: z.infer<typeof itemSchema>,
    /** From `Retry-After`: how many seconds until the server takes this again (a login lockout). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

const conflictSchema = z.object({ current: itemSchema });

/** `Retry-After` in seconds (the server sends seconds, never a date); undefined when absent. */
function retryAfterOf(header: string | null): number | undefined {
  const seconds = header === null ? Number.NaN : Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

/** Calls the API as the operator whose session the panel holds; `useOperatorCall` gives one. */
export type OperatorCall = <T extends z.core.$ZodType>(
  method: string,
  path: string,
  schema: T,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<z.infer<T>>;

/** `operatorCall` for the session in the provided store, the same function across renders. */
export function useOperatorCall(): OperatorCall {
  const store = useStoreApi();
  return useMemo(
    () => (method, path, schema, body, headers) => operatorCall(store, method, path, schema, body, headers),
    [store],
  );
}

/**
 * Calls the API as the operator logged in in `store`: the session cookie goes by itself, the CSRF
 * token in its header. A 401 means the session is gone: the panel asks to log in again, keeping
 * the draft.
 */
export async function operatorCall<T extends z.core.$ZodType>(
  store: DeskStore,
  method: string,
  path: string,
  schema: T,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<z.infer<T>> {
  const session = store.getState().session;
  const response = await fetch(path, {
    method,
    headers: {
      accept: "application/json",
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...(session === null ? {} : { "x-csrf-token": session.csrfToken }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  const json: unknown = text === "" ? null : JSON.parse(text);
  if (!response.ok) {
    const parsed = apiErrorSchema.safeParse(json);
    const error = parsed.success
      ? parsed.data.error
      : { code: "http_error", message: `The server answered ${response.status}.`, fields: undefined };
    const conflict = conflictSchema.safeParse(json);
    if (response.status === 401 && path !== "/api/session") store.getState().setSession(null, "expired");
    throw new ApiError(
      response.status,
      error.code,
      error.message,
      error.fields ?? {},
      conflict.success ? conflict.data.current : undefined,
      retryAfterOf(response.headers.get("retry-after")),
    );
  }
  return z.parse(schema, json);
}

export const noContent = z.null();
