import { useCallback } from "react";
import { z } from "zod";
import { auditEntrySchema } from "../../../shared/requests";
import { formatExact } from "../components/RelativeTime";
import { operatorCall } from "./api";
import { useLoad } from "./useLoad";

const auditSchema = z.object({ entries: z.array(auditEntrySchema) });

/** Every change, newest first: who, when, what. */
export function AuditScreen() {
  const load = useCallback(() => operatorCall("GET", "/api/audit?limit=200", auditSchema), []);
  const { data, failed, reload } = useLoad(load);
  return (
    <section aria-labelledby="audit-heading">
      <h2 id="audit-heading">Audit log</h2>
      <button type="button" onClick={reload}>
        Refresh
      </button>
      {failed && <p role="alert">The audit log could not be loaded.</p>}
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">Target</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {(data?.entries ?? []).map((entry) => (
              <tr key={`${entry.at}|${entry.actor}|${entry.action}|${entry.target}`}>
                <td>
                  <time dateTime={entry.at}>{formatExact(entry.at)}</time>
                </td>
                <td>{entry.actor}</td>
                <td>{entry.action}</td>
                <td>
                  <code>{entry.target}</code>
                </td>
                <td>{entry.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
