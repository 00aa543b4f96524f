/**
 * Event delivery's time: when an event was queued, when an attempt was made or delivered, and so
 * whether the next retry still falls inside the retry window. The outbox reads the time here and
 * nowhere else, so the suite moves it forward by the delays the consumer asks for instead of
 * waiting them out (test/gateway/event-delivery.test.ts). The signature's timestamp and an
 * attempt's duration stay on the wall clock: the destination checks the one against its own.
 */
export const deliveryClock = {
  now: (): number => Date.now(),
};
