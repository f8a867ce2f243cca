import { retryTiming } from '../../nodes/shared/retry';

/**
 * The retry policy never really waits in tests: every test starts with `sleep` recording the wait it was
 * asked for and returning at once, and with jitter fixed at its middle (each backoff exactly 1, 2, 4, 8 s).
 * A test may spy on `retryTiming` itself for other values (`now` for HTTP-date Retry-After, `random`).
 */
export const waits: number[] = [];

export function fakeRetryTiming(): void {
	waits.length = 0;
	jest.spyOn(retryTiming, 'sleep').mockImplementation(async (ms: number) => {
		waits.push(ms);
	});
	jest.spyOn(retryTiming, 'random').mockReturnValue(0.5);
}
