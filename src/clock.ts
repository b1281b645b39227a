// Time, passed in: what "now" is and how to wait. The job runner, the scheduler and the chat
// handlers take a Clock rather than reaching for Date.now() and setTimeout, so that tests (and a
// process started at a chosen instant) decide what time it is.

export interface ClockTimer {
  unref(): unknown;
}

export interface Clock {
  now(): Date;
  setTimeout(run: () => void, ms: number): ClockTimer;
  clearTimeout(timer: ClockTimer | null): void;
  setInterval(run: () => void, ms: number): ClockTimer;
  clearInterval(timer: ClockTimer | null): void;
}

export const systemClock: Clock = {
  now: () => new Date(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (timer) => {
    if (timer) clearTimeout(timer as NodeJS.Timeout);
  },
  setInterval: (run, ms) => setInterval(run, ms),
  clearInterval: (timer) => {
    if (timer) clearInterval(timer as NodeJS.Timeout);
  },
};

/** The system's timers with "now" moved by a fixed offset: a process started as if at another instant. */
export function offsetClock(offsetMs: number): Clock {
  return { ...systemClock, now: () => new Date(Date.now() + offsetMs) };
}
