/**
 * A copy of a string in one piece. Names built by concatenation (`ns/name`) are rope strings in V8,
 * and a Map keyed by ropes compares each lookup's string against a rope, which costs several times
 * the lookup itself: maps that flows are looked up in are keyed by flat copies.
 */
export function flatString(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}
