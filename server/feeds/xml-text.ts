/*
 * XML 1.0 cannot carry every string: C0 controls other than tab and line feed, lone surrogates
 * and U+FFFE/U+FFFF are not characters of XML at all, even escaped, and a carriage return comes
 * back from any parser as a line feed. Items never hold the controls (the API refuses them and
 * normalises line breaks), but text from elsewhere (a wire) might: rather than a feed no reader
 * can parse, such a character is written as U+FFFD.
 */

// Everything outside XML 1.0's Char production; \uD800-\uDFFF with the `u` flag matches lone surrogates only.
const NOT_XML_CHAR = /[^\t\n\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** `text` as XML can carry it: line breaks as `\n`, characters XML has no place for as U+FFFD. */
export function xmlText(text: string): string {
  return text.replace(/\r\n?/g, "\n").replace(NOT_XML_CHAR, "\uFFFD");
}
