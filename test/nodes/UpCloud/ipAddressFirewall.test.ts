import { anyRequest, api, run } from './fixtures';
import { SERVER_ID } from './infrastructureFixtures';

const rl = (value: string) => ({ __rl: true, mode: 'id', value });
const IP = {
	access: 'public',
	address: '94.237.104.102',
	family: 'IPv4',
	mac: 'ee:1b:db:ca:56:4a',
	ptr_record: '94-237-104-102.fi-hel2.upcloud.host',
	server: SERVER_ID,
	zone: 'fi-hel2',
};
const RULE = {
	action: 'accept',
	comment: 'HTTPS',
	destination_port_end: '443',
	destination_port_start: '443',
	direction: 'in',
	family: 'IPv4',
	position: '1',
	protocol: 'tcp',
};

describe('UpCloud IP address', () => {
	it('Get Many: one item per address', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/ip_address').reply(200, { ip_addresses: { ip_address: [IP] } });

		const { items } = await run({ resource: 'ipAddress', operation: 'getAll' });

		expect(requests.map((r) => r.path)).toEqual(['/1.3/ip_address']);
		expect(items).toEqual([{ json: IP, pairedItem: { item: 0 } }]);
	});

	it('Get encodes an IPv6 address in the path', async () => {
		const { scope, requests } = api();
		scope.get('/1.3/ip_address/2a04%3A3545%3A1000%3A720%3A%3A1').reply(200, { ip_address: { ...IP, address: '2a04:3545:1000:720::1' } });

		const { items } = await run({ resource: 'ipAddress', operation: 'get', address: ' 2a04:3545:1000:720::1 ' });

		expect(requests.map((r) => r.path)).toEqual(['/1.3/ip_address/2a04%3A3545%3A1000%3A720%3A%3A1']);
		expect(items[0].json.address).toBe('2a04:3545:1000:720::1');
	});

	it('Create for a server: family, access public by default, server', async () => {
		const { scope, requests } = api();
		scope.post('/1.3/ip_address').reply(201, { ip_address: IP });

		await run({ resource: 'ipAddress', operation: 'create', family: 'IPv6', serverId: rl(SERVER_ID) });

		expect(requests[0].body).toEqual({ ip_address: { family: 'IPv6', access: 'public', server: SERVER_ID } });
	});

	it('Create floating by MAC sends family, floating and mac only (as recorded)', async () => {
		const { scope, requests } = api();
		scope.post('/1.3/ip_address').reply(201, { ip_address: { ...IP, floating: 'yes' } });

		await run({ resource: 'ipAddress', operation: 'create', additionalFields: { floating: true, mac: 'EE:1B:DB:CA:56:4A' } });

		expect(requests[0].body).toEqual({ ip_address: { family: 'IPv4', floating: 'yes', mac: 'ee:1b:db:ca:56:4a' } });
	});

	it('Update PATCHes the PTR record; MAC "none" detaches a floating address', async () => {
		const { scope, requests } = api();
		scope.patch('/1.3/ip_address/94.237.104.102').times(2).reply(202, { ip_address: IP });

		await run({ resource: 'ipAddress', operation: 'update', address: '94.237.104.102', updateFields: { ptrRecord: 'web-1.example.com' } });
		await run({ resource: 'ipAddress', operation: 'update', address: '94.237.104.102', updateFields: { mac: 'none' } });

		expect(requests.map((r) => [r.method, r.body])).toEqual([
			['PATCH', { ip_address: { ptr_record: 'web-1.example.com' } }],
			['PATCH', { ip_address: { mac: null } }],
		]);
	});

	it('Delete releases the address (204)', async () => {
		const { scope, requests } = api();
		scope.delete('/1.3/ip_address/94.237.104.102').reply(204);

		const { items } = await run({ resource: 'ipAddress', operation: 'delete', address: '94.237.104.102' });

		expect(requests.map((r) => r.method)).toEqual(['DELETE']);
		expect(items).toEqual([{ json: { success: true, address: '94.237.104.102' }, pairedItem: { item: 0 } }]);
	});

	it.each([
		[{ operation: 'get', address: '94.237.104.256' }, 'Address must be an IPv4 or IPv6 address (got "94.237.104.256")'],
		[{ operation: 'get', address: '1:2:3:4:5:6:7:8:9' }, 'Address must be an IPv4 or IPv6 address (got "1:2:3:4:5:6:7:8:9")'],
		// Leading zeros are octal to some parsers; the token rules allow them, these rules do not.
		[{ operation: 'get', address: '94.237.010.102' }, 'Address must be an IPv4 or IPv6 address (got "94.237.010.102")'],
		[{ operation: 'create', family: 'IPv4' }, 'Server is required unless Floating is on'],
		[{ operation: 'create', family: 'IPv6', additionalFields: { floating: true, zone: 'fi-hel2' } }, 'Family must be IPv4 for a floating IP address (UpCloud has no floating IPv6)'],
		[{ operation: 'create', additionalFields: { floating: true } }, expect.stringMatching(/^Zone or MAC is required for a floating IP address/)],
		[{ operation: 'create', additionalFields: { floating: true, mac: 'ee:1b' } }, 'MAC must be a MAC address such as ee:1b:db:ca:56:4a (got "ee:1b")'],
		[{ operation: 'update', address: '94.237.104.102', updateFields: { ptrRecord: 'not a host' } }, expect.stringMatching(/^PTR Record must be a hostname/)],
	])('refuses %j (nothing is sent)', async (parameters, message) => {
		const requests = anyRequest();
		const { error } = await run({ resource: 'ipAddress', ...parameters });
		expect(requests).toEqual([]);
		expect(error?.message).toEqual(message);
	});
});

describe('UpCloud firewall rule', () => {
	const rules = `/1.3/server/${SERVER_ID}/firewall_rule`;

	it('Get Many and Get read the server\'s rules, Get by position', async () => {
		const { scope, requests } = api();
		scope.get(rules).reply(200, { firewall_rules: { firewall_rule: [RULE] } });
		scope.get(`${rules}/1`).reply(200, { firewall_rule: RULE });

		const many = await run({ resource: 'firewallRule', operation: 'getAll', serverId: rl(SERVER_ID) });
		const one = await run({ resource: 'firewallRule', operation: 'get', serverId: rl(SERVER_ID), position: 1 });

		expect(requests.map((r) => r.path)).toEqual([rules, `${rules}/1`]);
		expect(many.items).toEqual([{ json: RULE, pairedItem: { item: 0 } }]);
		expect(one.items).toEqual([{ json: RULE, pairedItem: { item: 0 } }]);
	});

	it('Create POSTs the rule with numbers as strings; one port alone is that port', async () => {
		const { scope, requests } = api();
		scope.post(rules).reply(201, { firewall_rule: RULE });

		await run({
			resource: 'firewallRule',
			operation: 'create',
			serverId: rl(SERVER_ID),
			direction: 'in',
			action: 'accept',
			family: 'IPv4',
			additionalFields: {
				protocol: 'tcp',
				destinationPortStart: 443,
				sourceAddressStart: '203.0.113.1',
				sourceAddressEnd: '203.0.113.9',
				position: 1,
				comment: 'HTTPS',
			},
		});

		expect(requests[0].body).toEqual({
			firewall_rule: {
				direction: 'in',
				action: 'accept',
				family: 'IPv4',
				protocol: 'tcp',
				source_address_start: '203.0.113.1',
				source_address_end: '203.0.113.9',
				destination_port_start: '443',
				destination_port_end: '443',
				position: '1',
				comment: 'HTTPS',
			},
		});
	});

	it('a default deny rule is only direction and action (and family)', async () => {
		const { scope, requests } = api();
		scope.post(rules).reply(201, { firewall_rule: { ...RULE, action: 'drop' } });

		await run({ resource: 'firewallRule', operation: 'create', serverId: rl(SERVER_ID), direction: 'in', action: 'drop', family: 'IPv4' });

		expect(requests[0].body).toEqual({ firewall_rule: { direction: 'in', action: 'drop', family: 'IPv4' } });
	});

	it('Delete removes the rule at a position (204)', async () => {
		const { scope, requests } = api();
		scope.delete(`${rules}/3`).reply(204);

		const { items } = await run({ resource: 'firewallRule', operation: 'delete', serverId: rl(SERVER_ID), position: 3 });

		expect(requests.map((r) => [r.method, r.path])).toEqual([['DELETE', `${rules}/3`]]);
		expect(items).toEqual([{ json: { success: true, server: SERVER_ID, position: 3 }, pairedItem: { item: 0 } }]);
	});

	const create = (additionalFields: Record<string, unknown>, family = 'IPv4') => ({
		operation: 'create',
		direction: 'in',
		action: 'accept',
		family,
		additionalFields,
	});

	it.each([
		[{ operation: 'get', position: 0 }, 'Position must be a whole number from 1 to 1000 (got 0)'],
		[{ operation: 'delete', position: 1001 }, 'Position must be a whole number from 1 to 1000 (got 1001)'],
		[create({ protocol: 'tcp', destinationPortStart: 70000 }), 'Destination Port Start must be a whole number from 1 to 65535 (got 70000)'],
		[create({ protocol: 'tcp', destinationPortStart: 500, destinationPortEnd: 400 }), 'Destination Port End must not be below Destination Port Start (500 > 400)'],
		[create({ protocol: 'tcp', destinationPortEnd: 400 }), expect.stringMatching(/^Destination Port Start is required when Destination Port End is set/)],
		[create({ protocol: 'icmp', destinationPortStart: 80 }), 'Destination Port Start applies only with Protocol TCP or UDP (UpCloud: PORT_PROTOCOL_MISMATCH)'],
		[create({ protocol: 'tcp', icmpType: 8 }), 'ICMP Type applies only with Protocol ICMP (UpCloud: ICMP_TYPE_PROTOCOL_MISMATCH)'],
		[create({ protocol: 'icmp', icmpType: 256 }), 'ICMP Type must be a whole number from 0 to 255 (got 256)'],
		[create({ sourceAddressStart: '2001:db8::1' }), 'Source Address Start must be an IPv4 address (got "2001:db8::1")'],
		[create({ sourceAddressStart: '10.0.0.9', sourceAddressEnd: '10.0.0.1' }), 'Source Address End must not be before Source Address Start (10.0.0.9 > 10.0.0.1)'],
		[create({ destinationAddressStart: '2001:db8::9', destinationAddressEnd: '2001:db8::1' }, 'IPv6'), 'Destination Address End must not be before Destination Address Start (2001:db8::9 > 2001:db8::1)'],
		[create({ comment: 'x'.repeat(251) }), 'Comment must be at most 250 characters (got 251)'],
	])('refuses %j (nothing is sent)', async (parameters, message) => {
		const requests = anyRequest();
		const { error } = await run({ resource: 'firewallRule', serverId: rl(SERVER_ID), ...parameters });
		expect(requests).toEqual([]);
		expect(error?.message).toEqual(message);
	});
});
