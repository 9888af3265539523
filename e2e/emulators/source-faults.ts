/**
 * Scriptable failures shared by the data-source emulators (WAQI, AirQo, Open-Meteo), so tests can drive
 * retries, timeouts, the circuit breaker and the offline path against real sockets.
 */
import type http from 'node:http';
import { sleep } from './http-util';

type Fault =
  /** Drop the connection without an answer (what a dead upstream or a captive portal looks like). */
  | { kind: 'down' }
  /** Wait before answering normally (beyond the client's timeout, it is a timeout). */
  | { kind: 'slow'; delayMs: number }
  /** The service's own error shape, with this message. */
  | { kind: 'error'; message?: string }
  /** A bare HTTP status with a non-JSON body (a proxy's error page). */
  | { kind: 'http'; status: number };

export class FaultScript {
  private queue: Array<{ fault: Fault; times: number }> = [];

  /** Applies `fault` to the next `times` requests (every request when `times` is Infinity). */
  add(fault: Fault, times = Infinity): void {
    this.queue.push({ fault, times });
  }

  clear(): void {
    this.queue = [];
  }

  /** The fault for this request, if any; counts it down. */
  take(): Fault | null {
    const head = this.queue[0];
    if (!head) return null;
    head.times--;
    if (head.times <= 0) this.queue.shift();
    return head.fault;
  }
}

/**
 * Runs a fault. Returns true when the request was fully handled (dropped or answered), false when the
 * emulator should go on and answer normally (after a delay).
 */
export async function applyFault(
  fault: Fault | null,
  res: http.ServerResponse,
  errorReply: (message: string | undefined) => void,
): Promise<boolean> {
  if (!fault) return false;
  switch (fault.kind) {
    case 'down':
      res.socket?.destroy();
      return true;
    case 'slow':
      await sleep(fault.delayMs);
      return res.destroyed || res.writableEnded;
    case 'error':
      errorReply(fault.message);
      return true;
    case 'http':
      res.writeHead(fault.status, { 'Content-Type': 'text/html' });
      res.end(`<html><body><h1>${fault.status}</h1></body></html>`);
      return true;
  }
}
