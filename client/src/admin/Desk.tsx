import { Composer } from "./Composer";
import { LiveList } from "./LiveList";

/** The desk: the composer and the live list of every item. */
export function Desk() {
  return (
    <div className="desk">
      <Composer />
      <LiveList />
    </div>
  );
}
