import { useStore } from "../store";

export function SearchBox() {
  const q = useStore((state) => state.filter.q);
  const setQuery = useStore((state) => state.setQuery);
  return (
    <search className="search">
      <input
        type="search"
        aria-label="Search"
        placeholder="Search headlines and summaries"
        value={q}
        maxLength={200}
        onChange={(event) => setQuery(event.target.value)}
      />
    </search>
  );
}
