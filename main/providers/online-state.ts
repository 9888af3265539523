import os from 'node:os';

/**
 * Whether this machine has a network beyond itself: a non-internal address that is not link-local. No
 * packets are sent (asking the internet whether we are online would leak that we asked). `AERIS_OFFLINE=1`
 * forces offline: nothing then tries the cloud.
 */
function hasNetwork(interfaces: ReturnType<typeof os.networkInterfaces> = os.networkInterfaces()): boolean {
  for (const list of Object.values(interfaces)) {
    for (const a of list ?? []) {
      if (a.internal) continue;
      if (a.family === 'IPv4' && !a.address.startsWith('169.254.')) return true;
      if (a.family === 'IPv6' && !/^fe80:/i.test(a.address)) return true;
    }
  }
  return false;
}

export function onlineCheck(env: NodeJS.ProcessEnv, probe: () => boolean = hasNetwork): () => boolean {
  return () => env.AERIS_OFFLINE !== '1' && probe();
}
