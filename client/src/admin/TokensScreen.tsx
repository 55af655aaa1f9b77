import { type FormEvent, useCallback, useState } from "react";
import { z } from "zod";
import { type Role, tokenSummarySchema } from "../../../shared/requests";
import { formatExact } from "../components/RelativeTime";
import { ApiError, noContent, operatorCall } from "./api";
import { Field, fieldError } from "./fields";
import { useLoad } from "./useLoad";
import { useRevealTarget } from "./useRevealTarget";

const createdSchema = z.object({ id: z.string(), name: z.string(), token: z.string() });

/** API tokens for newsroom tools: created with a role, shown once, revoked at once. */
export function TokensScreen() {
  const load = useCallback(() => operatorCall("GET", "/api/tokens", z.array(tokenSummarySchema)), []);
  const { data: tokens, reload } = useLoad(load);
  useRevealTarget(tokens !== undefined);
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("editor");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<z.infer<typeof createdSchema> | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    try {
      setCreated(await operatorCall("POST", "/api/tokens", createdSchema, { name, role }));
      setErrors({});
      setName("");
      reload();
    } catch (caught) {
      if (caught instanceof ApiError) setErrors(caught.fields);
    }
  };

  const revoke = async (id: string, tokenName: string) => {
    if (!window.confirm(`Revoke the token “${tokenName}”? Tools using it stop working at once.`)) return;
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
                      onClick={() => void revoke(token.id, token.name)}
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
      <h3>Create a token</h3>
      <form onSubmit={create} noValidate>
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
              onChange={(event) => setName(event.target.value)}
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
