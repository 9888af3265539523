import { create } from 'zustand';
import type { LocationDto } from '../../../preload/contract';
import { persisted } from '../lib/persisted';

const saved = persisted('aeris.myLocation');

function load(): LocationDto | null {
  try {
    const v = JSON.parse(saved.get() ?? 'null') as LocationDto | null;
    return v && typeof v.latitude === 'number' && typeof v.longitude === 'number' ? v : null;
  } catch {
    return null;
  }
}

/** "My location": chosen once, kept across reloads, sent with every question so "here" has an answer. */
export const useMyLocation = create<{ location: LocationDto | null; setLocation(l: LocationDto | null): void }>(
  (set) => ({
    location: load(),
    setLocation(location) {
      saved.set(location ? JSON.stringify(location) : null);
      set({ location });
    },
  }),
);
