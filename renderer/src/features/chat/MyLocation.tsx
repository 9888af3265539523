import { useState } from 'react';
import { errorText, getApi } from '../../bridge';
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
          `The system gave no position (${e.code === e.PERMISSION_DENIED ? 'permission refused' : 'unavailable'}). Type a place or coordinates instead.`,
        );
      },
      { timeout: 10_000, maximumAge: 600_000 },
    );
  };

  const summary = location
    ? `${location.place ? `${location.place.name}, ${location.place.country}` : location.label}`
    : 'not set';

  return (
    <div className="my-location">
      <button
        type="button"
        className="link-btn my-location-toggle"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        data-testid="my-location-toggle"
      >
        My location: {summary}
      </button>
      {open && (
        <div className="my-location-panel" role="group" aria-label="My location">
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
              placeholder="A town, or coordinates like -1.29, 36.82"
              aria-label="Place or coordinates"
              onChange={(e) => setText(e.target.value)}
            />
            <button type="submit" className="btn" disabled={busy || !text.trim()}>
              Use
            </button>
            {geolocation() && (
              <button type="button" className="btn" disabled={busy} onClick={fromSystem}>
                Use this device’s position
              </button>
            )}
            {location && (
              <button type="button" className="link-btn" onClick={() => setLocation(null)}>
                Clear
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
                  ` · near ${location.place.name}, ${location.place.country} (${location.place.distanceKm} km, offline gazetteer)`}
              </div>
              {location.stations.length > 0 && (
                <ul className="my-location-stations">
                  {location.stations.map((s) => (
                    <li key={`${s.network}:${s.name}`}>
                      {s.name} · {s.network} · {s.distanceKm} km
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
