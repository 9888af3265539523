import type { Gazetteer, Place } from './gazetteer';
import { normalizePlaceName } from './gazetteer';

interface FoundPlace {
  /** The words as written in the text. */
  text: string;
  place: Place;
}

/**
 * Ordinary words that are also place names somewhere ("Of" is not, but "Mobile", "Nice", "Bath" and
 * "Reading" are). In lower-case text they are never places; capitalised they still need a populous match.
 */
const COMMON_WORDS = new Set(
  (
    'a an the and or but if in on at to of for from by with about as is are was were be been am do does did how what when where which who why ' +
    'air quality today now tomorrow yesterday week weekend morning evening night safe school run walk go good bad moderate unhealthy hazardous ' +
    'is it my our your their this that there here near city town country pm pm2 pm10 aqi pollution smoke dust forecast weather ' +
    'mobile nice bath reading split hope marathon enterprise victory liberty unity independence progress union university central ' +
    'kids children please tell me show chart compare between versus vs outside inside mask home office work yes no ok thanks hello hi'
  ).split(' '),
);

/** Places named in free text (for models without tools): longest match first, each place once. */
export function findPlaces(text: string, gazetteer: Gazetteer, limit = 5): FoundPlace[] {
  const tokens = [...text.matchAll(/[\p{L}\p{M}][\p{L}\p{M}'\u2019.-]*/gu)].map((m) => ({
    word: m[0].replace(/[.\u2019']+$/, ''),
    index: m.index,
  }));
  const lowerText = text === text.toLowerCase();
  const maxWords = Math.min(4, gazetteer.longestNameWords);
  const found: FoundPlace[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < tokens.length && found.length < limit;) {
    let matched = 0;
    for (let n = Math.min(maxWords, tokens.length - i); n >= 1; n--) {
      const words = tokens.slice(i, i + n).map((t) => t.word);
      const phrase = words.join(' ');
      const key = normalizePlaceName(phrase);
      if (n === 1 && COMMON_WORDS.has(key)) continue;
      const capitalised = words.every(
        (w, k) => /^\p{Lu}/u.test(w) || (k > 0 && /^(de|del|da|do|es|el|la|le|al|on|upon|sur)$/i.test(w)),
      );
      if (!capitalised && !lowerText) continue;
      const place = gazetteer.candidates(key)[0];
      if (!place) continue;
      // Lower-case text is ambiguous: only fairly large places count there.
      if (!capitalised && place.population < 50_000) continue;
      const id = `${place.name}|${place.country}|${place.latitude}`;
      if (!seen.has(id)) {
        seen.add(id);
        found.push({ text: phrase, place });
      }
      matched = n;
      break;
    }
    i += matched || 1;
  }
  return found;
}
