/** A broken input rule; the message names the field as the editor shows it, then the rule. */
export class InputRuleError extends Error {
	constructor(
		readonly field: string,
		rule: string,
	) {
		super(`${field} ${rule}`);
		this.name = 'InputRuleError';
	}
}
