/**
 * A credential's Base URL, read the same way everywhere: the service's own when the field is empty, without a
 * trailing slash (users paste it either way). Once as an n8n expression (routing and credential tests), once in code.
 */

/** The `baseURL` expression of a node's requestDefaults and of a credential's test request. */
export function baseUrlExpression(serviceUrl: string): string {
	return `={{($credentials.baseUrl || "${serviceUrl}").replace(/\\/+$/, "")}}`;
}

/** The credential's base URL without a trailing slash; empty means the service's own. */
export function credentialBaseUrl(credentials: { baseUrl?: unknown }, serviceUrl: string): string {
	return String(credentials.baseUrl || serviceUrl).replace(/\/+$/, '');
}
