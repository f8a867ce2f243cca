/** Where Upzelo's API is when the credential names no other Base URL: the node, the transport and the credential. */
export const UPZELO_URL = 'https://upzelo.com';
