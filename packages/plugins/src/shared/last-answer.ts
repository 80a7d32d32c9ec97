/**
 * A predicate on a string (a file's path or text) that remembers its last answer: the rules of one file run one
 * after another and ask about the same string, so one entry is enough (`===` on the same string is a pointer
 * comparison).
 */
export function lastAnswer(predicate: (key: string) => boolean): (key: string) => boolean {
  let lastKey: string | undefined;
  let lastResult = false;
  return (key) => {
    if (key !== lastKey) {
      lastResult = predicate(key);
      lastKey = key;
    }
    return lastResult;
  };
}
