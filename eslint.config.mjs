// The rule set of n8n's community-package scanner (`npx @n8n/scan-community-package`, 0.32.0), as a function of the
// @n8n/eslint-plugin-community-nodes version: `npm run lint` (scripts/lint.mjs) runs it with the plugin the scanner
// resolves (0.29.0) and with the latest (0.32.0), and fails if scannerConfig(0.29.0) differs from the scanner's own
// buildScanConfig(). Keep it the scanner's, block for block: stricter checks belong in tsc or the tests, not here.
//
// Not @n8n/node-cli's shared config (`@n8n/node-cli/eslint`, what `n8n-node lint` runs): it adds @eslint/js,
// typescript-eslint and import-x recommended, applies the community-nodes rules to .ts files only (so not to the
// tarball's .js), is bound to the plugin version node-cli depends on, and would install the whole CLI (oclif,
// prettier, ts-morph, @n8n/ai-node-sdk). Its n8n-nodes-base blocks are the scanner's, which are these.
//
// The default export (0.32.0) is for editors and a bare `npx eslint`; it skips what the scanner never lints.
import { defineConfig, globalIgnores } from 'eslint/config';
import tsParser from '@typescript-eslint/parser';
import n8nNodesPlugin from 'eslint-plugin-n8n-nodes-base';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';

/** scanner/scanner.mjs buildScanConfig() of @n8n/scan-community-package 0.32.0, with `communityNodes` as the plugin. */
export function scannerConfig(communityNodes = n8nCommunityNodesPlugin) {
	const parser = tsParser.default ?? tsParser;
	return defineConfig(
		communityNodes.configs.recommended,
		{ rules: { 'no-console': 'error' } },
		{ plugins: { 'n8n-nodes-base': n8nNodesPlugin } },
		{
			files: ['package.json'],
			rules: { ...n8nNodesPlugin.configs.community.rules },
		},
		{
			files: ['**/credentials/**/*.ts'],
			rules: {
				...n8nNodesPlugin.configs.credentials.rules,
				// As the scanner: not valid for community nodes.
				'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
				// As the scanner: community-nodes' credential-password-field is the more accurate rule.
				'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
			},
		},
		{
			files: ['**/nodes/**/*.ts'],
			rules: {
				...n8nNodesPlugin.configs.nodes.rules,
				// As the scanner: inputs/outputs are NodeConnectionTypes.Main, not the string 'main'.
				'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
				'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
				// As the scanner: an API's documented maximum is a valid maxValue.
				'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
			},
		},
		// package.json and the .ts sources are parsed by the TypeScript parser, as the scanner does.
		{ files: ['**/*.json'], languageOptions: { parser } },
		{ files: ['**/*.ts'], languageOptions: { parser } },
	);
}

export default defineConfig(
	globalIgnores(['dist/', 'packed/', 'test/', 'scripts/', 'bench/', 'examples/', '.e2e-tmp/', '.n8n-cache/', '*.js']),
	scannerConfig(),
);
