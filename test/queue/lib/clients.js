'use strict';
/**
 * Which n8n process sent a request to the sandbox: the sandbox asks while the client still holds the connection
 * open, we find the client socket's inode in /proc/net/tcp (by its local port) and the process that holds that
 * inode among the cluster's processes (/proc/<pid>/fd). Linux only; one lookup per connection (keep-alive sockets
 * are remembered until they close).
 */

const fs = require('node:fs');

/** `/proc/net/tcp` address `0100007F:1F90` → port 8080 (the address part is little-endian hex, the port is not). */
const portOf = (address) => Number.parseInt(address.split(':')[1], 16);

/** Inode of the TCP socket whose local port is `localPort` and whose peer port is `peerPort`. */
function socketInode(localPort, peerPort, table = fs.readFileSync('/proc/net/tcp', 'utf8')) {
	for (const line of table.split('\n').slice(1)) {
		const cols = line.trim().split(/\s+/);
		if (cols.length < 10) continue;
		if (portOf(cols[1]) === localPort && portOf(cols[2]) === peerPort) return cols[9];
	}
	return undefined;
}

function socketInodesOf(pid) {
	const inodes = new Set();
	let fds;
	try {
		fds = fs.readdirSync(`/proc/${pid}/fd`);
	} catch {
		return inodes;
	}
	for (const fd of fds) {
		try {
			const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
			if (m) inodes.add(m[1]);
		} catch {
			/* closed meanwhile */
		}
	}
	return inodes;
}

/**
 * `identifyClient(req)` for the sandbox: the role (`main`, `worker1`, …) of the process in `processes()`
 * (`[{ role, pid }]`) that opened the connection, or `other`.
 */
function clientIdentifier(processes) {
	const bySocket = new WeakMap();
	return (req) => {
		const socket = req.socket;
		if (bySocket.has(socket)) return bySocket.get(socket);
		let role = 'other';
		const inode = socketInode(socket.remotePort, socket.localPort);
		if (inode) {
			for (const p of processes()) {
				if (socketInodesOf(p.pid).has(inode)) {
					role = p.role;
					break;
				}
			}
		}
		bySocket.set(socket, role);
		return role;
	};
}

module.exports = { clientIdentifier, socketInode, portOf };
