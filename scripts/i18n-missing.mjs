// Lists the English strings that French or Swahili lack (or no longer have in English), ready to hand to a
// translator: `node scripts/i18n-missing.mjs` prints, per language, the missing keys with their English text.
// Exit code 1 when something is missing, so it can gate a merge. Plural forms are compared per language
// (French needs `_many` too), as renderer/src/i18n/i18n.test.ts does.
// `node scripts/i18n-missing.mjs --merge fr done.json` puts a translator's flat {"key": "text"} file into
// fr.json, in the English file's order.
import fs from 'node:fs';
import path from 'node:path';

const dir = path.resolve(import.meta.dirname, '../renderer/src/i18n/locales');
const load = (lang) => JSON.parse(fs.readFileSync(path.join(dir, `${lang}.json`), 'utf8'));
const PLURAL = /_(zero|one|two|few|many|other)$/;

function flatten(tree, prefix = '', out = new Map()) {
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v === 'string') out.set(prefix + k, v);
    else flatten(v, `${prefix}${k}.`, out);
  }
  return out;
}

const english = flatten(load('en'));

if (process.argv[2] === '--merge') {
  const [lang, file] = process.argv.slice(3);
  const strings = flatten(load(lang));
  for (const [k, v] of Object.entries(JSON.parse(fs.readFileSync(file, 'utf8')))) strings.set(k, v);
  // Nested again, keys in English order; a language's extra plural forms sit beside their `_other`.
  const out = {};
  const put = (key, value) => {
    const parts = key.split('.');
    let node = out;
    for (const p of parts.slice(0, -1)) node = node[p] ??= {};
    node[parts.at(-1)] = value;
  };
  const order = [...english.keys()].flatMap((k) =>
    PLURAL.test(k) && k.endsWith('_other') ? [k.replace(/_other$/, '_many'), k] : [k],
  );
  for (const k of order) if (strings.has(k)) put(k, strings.get(k));
  fs.writeFileSync(path.join(dir, `${lang}.json`), `${JSON.stringify(out, null, 2)}\n`);
}
let missingAny = false;
for (const lang of ['fr', 'sw']) {
  const strings = flatten(load(lang));
  const forms = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
  const missing = {};
  for (const [key, text] of english) {
    const base = key.replace(PLURAL, '');
    const wanted = PLURAL.test(key) ? forms.map((f) => `${base}_${f}`) : [key];
    for (const k of wanted) if (!strings.has(k)) missing[k] = english.get(k) ?? english.get(`${base}_other`) ?? text;
  }
  const englishBases = new Set([...english.keys()].map((k) => k.replace(PLURAL, '')));
  const stale = [...strings.keys()].filter((k) => !englishBases.has(k.replace(PLURAL, '')));
  if (Object.keys(missing).length || stale.length) missingAny = true;
  console.log(`# ${lang}: ${Object.keys(missing).length} missing, ${stale.length} no longer in English`);
  if (Object.keys(missing).length) console.log(JSON.stringify(missing, null, 2));
  if (stale.length) console.log(`stale: ${stale.join(', ')}`);
}
process.exit(missingAny ? 1 : 0);
