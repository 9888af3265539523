import { engineMessage, type EngineMessageId } from '../../../preload/shared/engine-messages';
import type { StoreDamage } from '../../store/store-check';
import { RECOVERY_MODE_CALLS, type RECOVERY_CALLS, type RecoveryBackupDto } from '../../../preload/contract';
import { storeDamagedError } from '../../ops/recovery/recovery-state';
import type { Engine } from '../../engine';
import type { RecoveryBackup } from '../../ops/recovery/recovery-backups';
import type { HandlersOf } from '../handler-types';

const backupDto = (b: RecoveryBackup): RecoveryBackupDto => ({
  name: b.name,
  createdAt: b.createdAt,
  sessions: b.sessions,
  messages: b.messages,
  sizeBytes: b.sizeBytes,
  kind: b.kind,
  firstMessageAt: b.firstMessageAt,
  lastMessageAt: b.lastMessageAt,
});

/** The kind of damage as a message id: the UI words it; `reason` keeps the details in English. */
const DAMAGE_TEXT = {
  zero_length: 'recovery.zeroLength',
  missing: 'recovery.missing',
  bad_header: 'recovery.badHeader',
  corrupt: 'recovery.corrupt',
  unopenable: 'recovery.unopenable',
} as const satisfies Record<StoreDamage, EngineMessageId>;

export function recoveryHandlers(engine: Engine): HandlersOf<keyof typeof RECOVERY_CALLS> {
  return {
    'recovery.status': async () => {
      const s = await engine.recovery.status();
      return {
        active: s.active,
        damage: s.info?.damage ?? null,
        reason: s.info?.reason ?? null,
        reasonText: s.info ? engineMessage(DAMAGE_TEXT[s.info.damage], {}) : null,
        since: s.info?.since ?? null,
        backups: s.backups.map(backupDto),
        damagedBackups: s.damagedBackups,
      };
    },
    'recovery.restore': async ({ name }) => {
      const r = await engine.recovery.restore(name);
      return { restored: backupDto(r.restored), keptAside: r.keptAside };
    },
    'recovery.salvage': async () => {
      const r = await engine.recovery.salvage();
      return { tables: r.tables, headerRepaired: r.headerRepaired, keptAside: r.keptAside };
    },
  };
}

/** In recovery mode only the recovery calls (and a few that do not touch the store) answer; the rest get 503. */
export function guardRecoveryMode<H extends Record<string, (input: never) => unknown>>(engine: Engine, handlers: H): H {
  const allowed = new Set(RECOVERY_MODE_CALLS);
  const out: Record<string, (input: never) => unknown> = {};
  for (const [name, fn] of Object.entries(handlers)) {
    out[name] = allowed.has(name)
      ? fn
      : (input: never) => {
          const info = engine.recoveryState.current();
          if (info) throw storeDamagedError(info.reason);
          return fn(input);
        };
  }
  return out as H;
}
