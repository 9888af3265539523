/** ISO 3166-1 alpha-2 codes of African countries and territories: AirQo's network is African, so these route to it first. */
const AFRICAN_COUNTRY_CODES: ReadonlySet<string> = new Set(
  'DZ AO BJ BW BF BI CV CM CF TD KM CD CG CI DJ EG GQ ER SZ ET GA GM GH GN GW KE LS LR LY MG MW ML MR MU YT MA MZ NA NE NG RE RW SH ST SN SC SL SO ZA SS SD TZ TG TN UG EH ZM ZW'.split(
    ' ',
  ),
);

export function isAfricanCountry(code: string | null | undefined): boolean {
  return Boolean(code && AFRICAN_COUNTRY_CODES.has(code.toUpperCase()));
}
