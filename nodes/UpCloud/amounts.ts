/** UpCloud amounts: how readings and outputs round, and credits in the account currency. */

/** `value` rounded to `decimals` places, so readings and projections show no float artefacts. */
export function roundTo(value: number, decimals: number): number {
	const factor = 10 ** decimals;
	return Math.round(value * factor) / factor;
}

/**
 * UpCloud reports credits in hundredths of the account currency (its CLI divides by 100); this is the amount in
 * the currency itself, rounded to 6 decimals so 84215.3127 gives 842.153127, not a float artefact.
 */
export function creditsInCurrency(credits: number): number {
	return roundTo(credits / 100, 6);
}
