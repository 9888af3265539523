/**
 * Orders a store's reads of one piece of state against each other and against changes the store applies
 * itself. `begin()` as a read starts hands back its check: the answer may be applied only while the check
 * holds, i.e. no read began and no change was applied since. Otherwise the answer was taken before something
 * newer the user already sees, and applying it would undo that (a list read that lands after a delete's own
 * read and brings the deleted row back).
 */
interface ReadGeneration {
  /** A read starts; the returned check says whether its answer is still the newest. */
  begin(): () => boolean;
  /** A change was applied here: reads that began before it are stale. */
  changed(): void;
}

export function readGeneration(): ReadGeneration {
  let generation = 0;
  return {
    begin() {
      const mine = ++generation;
      return () => mine === generation;
    },
    changed() {
      generation++;
    },
  };
}
