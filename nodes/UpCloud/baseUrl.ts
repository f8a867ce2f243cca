/** Where UpCloud's API is when the credential names no other Base URL: the node, the transport and both credentials. */
export const UPCLOUD_URL = 'https://api.upcloud.com/1.3';
