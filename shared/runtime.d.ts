/**
 * What shared/ may use beyond the language itself: globals that Node and browsers both provide.
 * shared/ gets neither the DOM's types nor Node's (its code runs on both ends), so each global it
 * needs is declared here, with only the members it uses.
 */

/** WHATWG URL, as both Node (`node:url`'s global) and browsers provide it. */
declare class URL {
  constructor(url: string, base?: string);
  static canParse(url: string, base?: string): boolean;
  readonly protocol: string;
  readonly hostname: string;
}

/** WHATWG URLSearchParams, as both Node and browsers provide it. */
declare class URLSearchParams {
  constructor(init?: string);
  get(name: string): string | null;
  getAll(name: string): string[];
  append(name: string, value: string): void;
  set(name: string, value: string): void;
  toString(): string;
}
