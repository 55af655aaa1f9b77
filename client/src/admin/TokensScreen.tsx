import { type FormEvent, useCallback, useState } from "react";
import { z } from "zod";
import { createTokenSchema, type Role, tokenSummarySchema } from "../../../shared/requests";
import { formatExact } from "../components/RelativeTime";
import { adviceBySchema, adviceFromServer, namesOf, TOKEN_WORDS } from "./advice";
import { ApiError, noContent, useOperatorCall } from "./api";
import { ConfirmDialog } from "./ConfirmDialog";
import { Field, fieldError } from "./fields";
import { useFieldErrors } from "./useFieldErrors";
import { useLoad } from "./useLoad";
import { useRevealTarget } from "./useRevealTarget";

const createdSchema = z.object({ id: z.string(), name: z.string(), token: z.string() });

/** API tokens for newsroom tools: created with a role, shown once, revoked at once. */
export function TokensScreen() {
  const operatorCall = useOperatorCall();
  const load = useCallback(
    () => operatorCall("GET", "/api/tokens", z.array(tokenSummarySchema)),
    [operatorCall],
  );
  const { data: tokens, reload } = useLoad(load);
  useRevealTarget(tokens !== undefined);
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("editor");
  const { errors, formRef, refuse, clear, touch } = useFieldErrors();
  const [revoking, setRevoking] = useState<{ id: string; name: string } | null>(null);
  const [created, setCreated] = useState<z.infer<typeof createdSchema> | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    const refused = (advice: Record<string, string>) => {
      refuse(advice);
      setMessage(`Token not created yet: check ${namesOf(advice)}.`);
    };
    const advice = adviceBySchema(createTokenSchema, { name, role }, TOKEN_WORDS);
    if (Object.keys(advice).length > 0) {
      refused(advice);
      return;
    }
    try {
      setCreated(await operatorCall("POST", "/api/tokens", createdSchema, { name, role }));
      clear();
      setMessage(null);
      setName("");
      reload();
    } catch (caught) {
      const advice = caught instanceof ApiError ? adviceFromServer(caught.fields, TOKEN_WORDS) : {};
      if (Object.keys(advice).length > 0) refused(advice);
      else
        setMessage(
          caught instanceof ApiError ? caught.message : "The server could not be reached; try again.",
        );
    }
  };

  const revoke = async (id: string, tokenName: string) => {
    setRevoking(null);
    try {
      await operatorCall("DELETE", `/api/tokens/${id}`, noContent);
      setMessage(`Revoked “${tokenName}”.`);
      reload();
    } catch (caught) {
      setMessage(caught instanceof ApiError ? caught.message : "Could not revoke; try again.");
    }
  };

  return (
    <section aria-labelledby="tokens-heading">
      <h2 id="tokens-heading">API tokens</h2>
      <p role="status">{message}</p>
      {created !== null && (
        <div className="notice" role="alert">
          <p>Token “{created.name}” created. Copy it now; it will not be shown again:</p>
          <output aria-label="New token" className="token">
            {created.token}
          </output>
        </div>
      )}
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Created</th>
              <th scope="col">State</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {(tokens ?? []).map((token) => (
              <tr key={token.id} id={`token-${token.id}`} tabIndex={-1}>
                <th scope="row">{token.name}</th>
                <td>{token.role}</td>
                <td>{formatExact(token.createdAt)}</td>
                <td>{token.revoked ? "revoked" : "active"}</td>
                <td>
                  {!token.revoked && (
                    <button
                      type="button"
                      className="danger"
                      onClick={() => setRevoking({ id: token.id, name: token.name })}
                    >
                      Revoke<span className="sr-only"> {token.name}</span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {revoking !== null && (
        <ConfirmDialog
          question={{
            title: `Revoke the token “${revoking.name}”?`,
            consequence: `Tools that use “${revoking.name}” will be refused at once; a revoked token cannot be used again, only replaced by a new one.`,
            confirm: `Revoke ${revoking.name}`,
            danger: true,
          }}
          onConfirm={() => void revoke(revoking.id, revoking.name)}
          onClose={() => setRevoking(null)}
        />
      )}
      <h3>Create a token</h3>
      <form ref={formRef} onSubmit={create} noValidate>
        <Field
          id="token-name"
          label="Name"
          error={fieldError(errors, "name")}
          hint="Who uses it, e.g. the agency wire."
        >
          {(describedBy, invalid) => (
            <input
              id="token-name"
              value={name}
              onChange={(event) => {
                setName(event.target.value);
                touch("name");
              }}
              aria-describedby={describedBy}
              aria-invalid={invalid}
            />
          )}
        </Field>
        <Field id="token-role" label="Role" error={fieldError(errors, "role")}>
          {() => (
            <select
              id="token-role"
              value={role}
              onChange={(event) => setRole(event.target.value === "admin" ? "admin" : "editor")}
            >
              <option value="editor">editor</option>
              <option value="admin">admin</option>
            </select>
          )}
        </Field>
        <button type="submit" className="primary">
          Create token
        </button>
      </form>
    </section>
  );
}
