/**
 * Contract shared by every parser: pure and total.
 * A parser never throws on input text; what it does not understand becomes a warning
 * with the 1-based line number inside the text it was given.
 */
export interface ParseWarning {
  line: number;
  message: string;
  text?: string;
}

export interface ParseResult<T> {
  value: T;
  warnings: ParseWarning[];
}
