import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText, getApi } from '../../bridge';
import { formatNumber } from '../../lib/format';
import { useMyLocation } from '../../stores/location-store';
import './my-location.css';

/** The browser's position API where this window has one (Electron refuses the permission unless the app grants it). */
function geolocation(): Geolocation | null {
  return typeof navigator !== 'undefined' && 'geolocation' in navigator ? navigator.geolocation : null;
}

/**
 * "My location" above the composer: a typed place (looked up in the offline gazetteer) or coordinates, or the
 * position the system gives where it allows. Sent with every question, so "how is the air here?" has an answer.
 */
export function MyLocation() {
  const { t } = useTranslation();
  const location = useMyLocation((s) => s.location);
  const setLocation = useMyLocation((s) => s.setLocation);
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const resolve = async (where: { query: string } | { latitude: number; longitude: number }) => {
    setBusy(true);
    setError(null);
    try {
      setLocation(await getApi().call('location.resolve', where));
      setText('');
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const fromSystem = () => {
    const geo = geolocation();
    if (!geo) return;
    setBusy(true);
    setError(null);
    geo.getCurrentPosition(
      (p) => void resolve({ latitude: p.coords.latitude, longitude: p.coords.longitude }),
      (e) => {
        setBusy(false);
        setError(
          t('chat.location.noPosition', {
            why: t(e.code === e.PERMISSION_DENIED ? 'chat.location.refused' : 'chat.location.unavailable'),
          }),
        );
      },
      { timeout: 10_000, maximumAge: 600_000 },
    );
  };

  const summary = location
    ? `${location.place ? `${location.place.name}, ${location.place.country}` : location.label}`
    : t('chat.location.notSet');

  return (
    <div className="my-location">
      <button
        type="button"
        className="link-btn my-location-toggle"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        data-testid="my-location-toggle"
      >
        {t('chat.location.toggle', { place: summary })}
      </button>
      {open && (
        <div className="my-location-panel" role="group" aria-label={t('chat.location.label')}>
          <form
            className="my-location-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (text.trim()) void resolve({ query: text.trim() });
            }}
          >
            <input
              type="text"
              value={text}
              placeholder={t('chat.location.placeholder')}
              aria-label={t('chat.location.inputLabel')}
              onChange={(e) => setText(e.target.value)}
            />
            <button type="submit" className="btn" disabled={busy || !text.trim()}>
              {t('chat.location.use')}
            </button>
            {geolocation() && (
              <button type="button" className="btn" disabled={busy} onClick={fromSystem}>
                {t('chat.location.useDevice')}
              </button>
            )}
            {location && (
              <button type="button" className="link-btn" onClick={() => setLocation(null)}>
                {t('chat.location.clear')}
              </button>
            )}
          </form>
          {error && (
            <p className="my-location-error" role="alert">
              {error}
            </p>
          )}
          {location && (
            <div className="my-location-facts" data-testid="my-location-facts">
              <div>
                {location.latitude.toFixed(4)}, {location.longitude.toFixed(4)}
                {location.place &&
                  ` · ${t('chat.location.near', {
                    place: location.place.name,
                    country: location.place.country,
                    km: formatNumber(location.place.distanceKm),
                  })}`}
              </div>
              {location.stations.length > 0 && (
                <ul className="my-location-stations">
                  {location.stations.map((s) => (
                    <li key={`${s.network}:${s.name}`}>
                      {s.name} · {s.network} · {t('chat.location.km', { km: formatNumber(s.distanceKm) })}
                    </li>
                  ))}
                </ul>
              )}
              <div className="muted small">{location.stationsNote}</div>
            </div>
          )}
        </div>
      )}
    </div>
  );
}
