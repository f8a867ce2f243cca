import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { toText } from '../../shared/coercion';
import { assertUpdateFields, InputRuleError } from '../../shared/rules';
import { validatedBy } from '../../shared/declarative';
import { operationParameter } from '../../shared/operations';
import {
	assertHhmm,
	assertHostname,
	assertLabels,
	assertSshKeys,
	assertTitle,
	assertUuid,
	assertWhole,
	assertZone,
	given,
	STOP_TIMEOUT,
	STORAGE_SIZE,
} from '../infrastructureRules';
import { answerAndWait, RESTART_LEAVE_GRACE_S, waitOptionsProperty } from '../waits';
import { returnAllAndLimit } from './fields';
import {
	answerIn,
	collection,
	labelFiltersChecked,
	labelFiltersProperty,
	labelsProperty,
	onOff,
	uuidLocator,
	uuidParameter,
	yesNo,
	zoneProperty,
} from './infrastructureFields';

/**
 * Servers (API 1.3 chapter 8). Answers wrap the server as {"server":{…}}, lists as {"servers":{"server":[…]}}.
 * Create, start, stop and restart can wait for the state they lead to (see waits.ts).
 */

const show = (operation: string[]) => ({ show: { resource: ['server'], operation } });

/** Custom servers: 1–20 cores and 256–131072 MiB (API 1.3 server configurations; valid pairs come from /server_size). */
const CORES = { min: 1, max: 20 };
const MEMORY = { min: 256, max: 131072 };

const serverPath = (suffix = '') =>
	validatedBy(function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
		requestOptions.url = `/server/${encodeURIComponent(uuidParameter.call(this, 'serverId', 'Server'))}${suffix}`;
	});

/** "simple_backup": `no`, or `hhmm,dailies|weeklies|monthlies`. */
function simpleBackupValue(field: string, value: unknown): string {
	const text = toText(field, value, { required: true });
	if (text === 'no') return text;
	const [time, plan, ...rest] = text.split(',');
	assertHhmm(`${field} (time)`, time);
	if (rest.length || !['dailies', 'weeklies', 'monthlies'].includes(String(plan))) {
		throw new InputRuleError(field, `must be "no" or a time and a plan such as "0430,dailies" (dailies, weeklies or monthlies); got "${text}"`);
	}
	return text;
}

/** Plan, cores and memory: a named plan sends only `plan`; Custom sends cores and memory and no plan key. */
function sizing(plan: unknown, fields: IDataObject, creating: boolean): IDataObject {
	const out: IDataObject = {};
	const chosen = plan === undefined || plan === '' ? undefined : toText('Plan', plan, { required: true });
	const hasCores = given(fields, 'coreNumber');
	const hasMemory = given(fields, 'memoryAmount');
	if (chosen !== undefined && chosen !== 'custom') {
		if (hasCores || hasMemory) {
			throw new InputRuleError(hasCores ? 'Core Number' : 'Memory Amount', `applies only to the Custom plan; plan ${chosen} sets it`);
		}
		out.plan = chosen;
		return out;
	}
	if (chosen === 'custom' || (!creating && (hasCores || hasMemory))) {
		if (chosen === 'custom' && (creating || !hasCores || !hasMemory)) {
			if (!hasCores) throw new InputRuleError('Core Number', 'is required with the Custom plan');
			if (!hasMemory) throw new InputRuleError('Memory Amount', 'is required with the Custom plan');
		}
		if (hasCores) out.core_number = String(assertWhole('Core Number', fields.coreNumber, CORES.min, CORES.max));
		if (hasMemory) out.memory_amount = String(assertWhole('Memory Amount', fields.memoryAmount, MEMORY.min, MEMORY.max));
		// UpCloud's own recordings create custom servers with no plan key; an update names it to leave a plan.
		if (!creating && chosen === 'custom') out.plan = 'custom';
	}
	return out;
}

/** The body of Create, from the documented fields (chapter 8 "Create server"), each checked first. */
const buildCreate = validatedBy(function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
	const extra = collection.call(this, 'additionalFields');
	const title = assertTitle('Title', this.getNodeParameter('title'));
	const server: IDataObject = {
		zone: assertZone('Zone', this.getNodeParameter('zone')),
		title,
		hostname: assertHostname('Hostname', this.getNodeParameter('hostname')),
		...sizing(this.getNodeParameter('plan'), extra, true),
	};
	const template = assertUuid('Template', this.getNodeParameter('template', '', { extractValue: true }));
	const size = assertWhole('Storage Size', this.getNodeParameter('storageSize'), STORAGE_SIZE.min, STORAGE_SIZE.max);
	server.storage_devices = {
		storage_device: [
			{
				action: 'clone',
				storage: template,
				title: given(extra, 'storageTitle') ? assertTitle('Storage Title', extra.storageTitle) : `${title} disk`,
				size,
				// The default tier is not confirmed in the docs: always sent.
				tier: given(extra, 'storageTier') ? String(extra.storageTier) : 'maxiops',
			},
		],
	};
	const interfaces: IDataObject[] = [];
	const address = (type: string, family: string) => ({ type, ip_addresses: { ip_address: [{ family }] } });
	if (extra.utilityNetwork !== false) interfaces.push(address('utility', 'IPv4'));
	if (extra.publicIpv4 !== false) interfaces.push(address('public', 'IPv4'));
	// One address family per interface (DUAL_STACK_INTERFACE otherwise): IPv6 gets its own.
	if (extra.publicIpv6 === true) interfaces.push(address('public', 'IPv6'));
	if (given(extra, 'privateNetwork')) {
		interfaces.push({ ...address('private', 'IPv4'), network: assertUuid('Private Network', extra.privateNetwork) });
	}
	if (interfaces.length === 0) throw new InputRuleError('Public IPv4', 'or another network interface is required: a server with no interface cannot be reached');
	server.networking = { interfaces: { interface: interfaces } };
	const sshKeys = assertSshKeys('SSH Keys', extra.sshKeys);
	if (given(extra, 'loginUser') || sshKeys.length > 0) {
		server.login_user = {
			...(given(extra, 'loginUser') ? { username: toText('Login User', extra.loginUser, { required: true }) } : {}),
			...(sshKeys.length > 0 ? { create_password: 'no', ssh_keys: { ssh_key: sshKeys } } : {}),
		};
	}
	const labels = assertLabels('Labels', extra.labels);
	if (labels.length > 0) server.labels = { label: labels };
	if (given(extra, 'userData')) server.user_data = toText('User Data', extra.userData, { required: true, keepSpaces: true });
	// Cloud-init templates need metadata "yes" (METADATA_DISABLED_ON_CLOUD-INIT): on when user data or SSH keys
	// are given, unless Metadata was set.
	if (given(extra, 'metadata')) server.metadata = yesNo(extra.metadata);
	else if (server.user_data !== undefined || sshKeys.length > 0) server.metadata = 'yes';
	if (given(extra, 'firewall')) server.firewall = onOff(extra.firewall);
	if (given(extra, 'simpleBackup')) server.simple_backup = simpleBackupValue('Simple Backup', extra.simpleBackup);
	requestOptions.body = { server };
});

const buildUpdate = validatedBy(function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
	const fields = collection.call(this, 'updateFields');
	assertUpdateFields(fields);
	const server: IDataObject = { ...sizing(fields.plan, fields, false) };
	if (given(fields, 'title')) server.title = assertTitle('Title', fields.title);
	if (given(fields, 'hostname')) server.hostname = assertHostname('Hostname', fields.hostname);
	// Setting labels replaces the whole set; an empty list removes them all.
	if ('labels' in fields) server.labels = { label: assertLabels('Labels', fields.labels) };
	if (given(fields, 'metadata')) server.metadata = yesNo(fields.metadata);
	if (given(fields, 'firewall')) server.firewall = onOff(fields.firewall);
	if (given(fields, 'simpleBackup')) server.simple_backup = simpleBackupValue('Simple Backup', fields.simpleBackup);
	requestOptions.body = { server };
});

function stopBody(this: IExecuteSingleFunctions): IDataObject {
	const stopType = this.getNodeParameter('stopType', 'soft') === 'hard' ? 'hard' : 'soft';
	const body: IDataObject = { stop_type: stopType };
	// UpCloud takes the timeout as a string of seconds (recorded: "900"); it applies to soft stops only.
	if (stopType === 'soft') {
		body.timeout = String(assertWhole('Timeout', this.getNodeParameter('timeout', 120), STOP_TIMEOUT.min, STOP_TIMEOUT.max));
	}
	return body;
}

const buildStop = validatedBy(function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
	requestOptions.body = { stop_server: stopBody.call(this) };
});

const buildRestart = validatedBy(function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
	const body = stopBody.call(this);
	if (body.stop_type === 'soft') body.timeout_action = this.getNodeParameter('timeoutAction', 'ignore') === 'destroy' ? 'destroy' : 'ignore';
	requestOptions.body = { restart_server: body };
});

const buildDelete = validatedBy(function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
	const options = collection.call(this, 'options');
	// Storages and backups are kept unless asked; the backups policy concerns the storages deleted with it.
	if (options.deleteStorages === true) {
		requestOptions.qs = { storages: 1, backups: given(options, 'backups') ? String(options.backups) : 'keep' };
	}
});

async function deletedServer(this: IExecuteSingleFunctions): Promise<INodeExecutionData[]> {
	const options = collection.call(this, 'options');
	return [
		{
			json: {
				success: true,
				uuid: uuidParameter.call(this, 'serverId', 'Server'),
				deletedStorages: options.deleteStorages === true,
			},
		},
	];
}

const until = (target: string) => () => ({ kind: 'server' as const, target });

/** A restart's first phase lasts the soft-stop timeout plus a grace (see RESTART_LEAVE_GRACE_S). */
function restartWait(this: IExecuteSingleFunctions) {
	const soft = this.getNodeParameter('stopType', 'soft') !== 'hard';
	const timeout = soft ? Number(this.getNodeParameter('timeout', 120)) : 0;
	return { kind: 'server' as const, target: 'started', restart: { leaveWithinMs: (timeout + RESTART_LEAVE_GRACE_S) * 1000 } };
}

export const serverOperations: INodeProperties[] = [
	operationParameter('server', 'getAll', [
		{
			name: 'Create',
			value: 'create',
			action: 'Create a server from a template',
			description: 'Deploy a server from an OS or private template in a zone and, by default, wait until it is started',
			routing: {
				request: { method: 'POST', url: '/server' },
				send: { preSend: [buildCreate] },
				output: { postReceive: [answerAndWait('server', until('started'), ['password', 'username'])] },
			},
		},
		{
			name: 'Delete',
			value: 'delete',
			action: 'Delete a server by its ID',
			description:
				'DESTRUCTIVE: permanently delete a stopped server by its ID; its storages and backups are kept unless Delete Storages is on. A running server is refused (stop it first).',
			routing: {
				request: { method: 'DELETE' },
				send: { preSend: [serverPath(), buildDelete] },
				output: { postReceive: [deletedServer] },
			},
		},
		{
			name: 'Get',
			value: 'get',
			action: 'Get a server by its ID',
			description: 'Get the details of a server by its ID: state, plan, storages, IP addresses and labels',
			routing: {
				request: { method: 'GET' },
				send: { preSend: [serverPath()] },
				output: { postReceive: [answerIn('server')] },
			},
		},
		{
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many servers optionally by label',
			description: 'List the account\'s servers with title, hostname, zone, plan and state; filter by labels',
			routing: {
				request: { method: 'GET', url: '/server' },
				send: {
					preSend: [labelFiltersChecked],
				},
				// Paged by paginateByUuid (see UpCloud.node.ts): limit/offset as only the generated spec documents them.
				output: { postReceive: [answerIn('servers.server')] },
			},
		},
		{
			name: 'Restart',
			value: 'restart',
			action: 'Restart a running server',
			description:
				'DISRUPTIVE: restart a started server (soft: the OS shuts down first; hard: like pulling the power) and, by default, wait until it is started again',
			routing: {
				request: { method: 'POST' },
				send: { preSend: [serverPath('/restart'), buildRestart] },
				output: { postReceive: [answerAndWait('server', restartWait)] },
			},
		},
		{
			name: 'Start',
			value: 'start',
			action: 'Start a stopped server',
			description: 'Start a stopped server (billing for a started server resumes) and, by default, wait until it is started',
			routing: {
				request: { method: 'POST', body: { server: {} } },
				send: { preSend: [serverPath('/start')] },
				output: { postReceive: [answerAndWait('server', until('started'))] },
			},
		},
		{
			name: 'Stop',
			value: 'stop',
			action: 'Stop a running server',
			description:
				'DISRUPTIVE: stop a started server (soft by default: the OS shuts down; hard: like pulling the power) and, by default, wait until it is stopped',
			routing: {
				request: { method: 'POST' },
				send: { preSend: [serverPath('/stop'), buildStop] },
				output: { postReceive: [answerAndWait('server', until('stopped'))] },
			},
		},
		{
			name: 'Update',
			value: 'update',
			action: 'Update a server by its ID',
			description: 'Change the title, hostname, plan, labels, metadata, firewall or simple backup of a server by its ID; plan, cores and memory usually need it stopped',
			routing: {
				request: { method: 'PUT' },
				send: { preSend: [serverPath(), buildUpdate] },
				output: { postReceive: [answerIn('server')] },
			},
		},
	]),
];

const coreNumber: INodeProperties = {
	displayName: 'Core Number',
	name: 'coreNumber',
	type: 'number',
	typeOptions: { minValue: CORES.min, maxValue: CORES.max, numberPrecision: 0 },
	default: 1,
	description: 'CPU cores, for the Custom plan only (1–20; the pair with Memory Amount must be a valid server size)',
};

const memoryAmount: INodeProperties = {
	displayName: 'Memory Amount (MiB)',
	name: 'memoryAmount',
	type: 'number',
	typeOptions: { minValue: MEMORY.min, maxValue: MEMORY.max, numberPrecision: 0 },
	default: 1024,
	description: 'Memory in MiB, for the Custom plan only (e.g. 2048)',
};

const firewall: INodeProperties = {
	displayName: 'Firewall',
	name: 'firewall',
	type: 'boolean',
	default: false,
	description: 'Whether the server\'s firewall rules apply (UpCloud bills the firewall per server)',
};

const metadata: INodeProperties = {
	displayName: 'Metadata',
	name: 'metadata',
	type: 'boolean',
	default: true,
	description: 'Whether the metadata service is on; cloud-init templates need it',
};

const simpleBackup: INodeProperties = {
	displayName: 'Simple Backup',
	name: 'simpleBackup',
	type: 'string',
	default: '',
	placeholder: '0430,dailies',
	description: 'Automatic backups: a UTC time hhmm and dailies, weeklies or monthlies (e.g. 0430,dailies), or "no" to turn them off',
};

const waitFields = [
	waitOptionsProperty('server', 'create', 'server as started'),
	waitOptionsProperty('server', 'start', 'server as started'),
	waitOptionsProperty('server', 'stop', 'server as stopped'),
	waitOptionsProperty('server', 'restart', 'server as started again, after its restart'),
];

export const serverFields: INodeProperties[] = [
	uuidLocator(
		'Server',
		'serverId',
		'searchServers',
		show(['get', 'start', 'stop', 'restart', 'update', 'delete']),
		'The server: picked by title, or its UUID',
	),
	// ---- create ----
	zoneProperty(show(['create']), 'Where the server runs, e.g. fi-hel2'),
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. web-1',
		displayOptions: show(['create']),
		description: 'A name for the server, shown in lists',
	},
	{
		displayName: 'Hostname',
		name: 'hostname',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'web-1.example.com',
		displayOptions: show(['create']),
		description: 'A valid hostname (RFC 1123), at most 128 characters',
	},
	{
		displayName: 'Plan Name or ID',
		name: 'plan',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getPlans' },
		required: true,
		default: '',
		displayOptions: show(['create']),
		description:
			'The server plan; Custom needs Core Number and Memory Amount. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	uuidLocator('Template', 'template', 'searchTemplates', show(['create']), 'The OS image or private template the disk is cloned from'),
	{
		displayName: 'Storage Size (GiB)',
		name: 'storageSize',
		type: 'number',
		required: true,
		typeOptions: { minValue: STORAGE_SIZE.min, maxValue: STORAGE_SIZE.max, numberPrecision: 0 },
		default: 25,
		displayOptions: show(['create']),
		description: 'Size of the disk cloned from the template, 1–4096 GiB and at least the template\'s size',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: show(['create']),
		options: [
			coreNumber,
			firewall,
			labelsProperty('Labels of the server, e.g. env=dev'),
			{
				displayName: 'Login User',
				name: 'loginUser',
				type: 'string',
				default: '',
				placeholder: 'deploy',
				description: 'The user created on the server (UpCloud\'s default is root)',
			},
			memoryAmount,
			metadata,
			{
				displayName: 'Private Network',
				name: 'privateNetwork',
				type: 'string',
				default: '',
				placeholder: '035a0a8a-7704-4de5-820d-189fc8d5ec7f',
				description: 'UUID of a private network in the same zone: adds a private interface',
			},
			{
				displayName: 'Public IPv4',
				name: 'publicIpv4',
				type: 'boolean',
				default: true,
				description: 'Whether the server gets a public IPv4 address (on unless turned off)',
			},
			{
				displayName: 'Public IPv6',
				name: 'publicIpv6',
				type: 'boolean',
				default: false,
				description: 'Whether the server also gets a public IPv6 address',
			},
			simpleBackup,
			{
				displayName: 'SSH Keys',
				name: 'sshKeys',
				type: 'string',
				typeOptions: { multipleValues: true, multipleValueButtonText: 'Add SSH Key' },
				default: [],
				placeholder: 'ssh-ed25519 AAAAC3Nza… user@host',
				description: 'Public keys allowed to log in as the login user; cloud-init templates accept SSH keys only',
			},
			{
				displayName: 'Storage Tier',
				name: 'storageTier',
				type: 'options',
				default: 'maxiops',
				options: [
					{ name: 'Archive (HDD)', value: 'hdd' },
					{ name: 'MaxIOPS', value: 'maxiops' },
					{ name: 'Standard', value: 'standard' },
				],
				description: 'Tier of the disk',
			},
			{
				displayName: 'Storage Title',
				name: 'storageTitle',
				type: 'string',
				default: '',
				description: 'Title of the disk (default: the server title followed by "disk")',
			},
			{
				displayName: 'User Data',
				name: 'userData',
				type: 'string',
				typeOptions: { rows: 4 },
				default: '',
				description: 'A script, cloud-config or URL run at first boot (turns Metadata on unless set)',
			},
			{
				displayName: 'Utility Network',
				name: 'utilityNetwork',
				type: 'boolean',
				default: true,
				description: 'Whether the server gets a utility network address, for UpCloud\'s internal services (on unless turned off)',
			},
		],
	},
	// ---- stop / restart ----
	{
		displayName: 'Stop Type',
		name: 'stopType',
		type: 'options',
		default: 'soft',
		displayOptions: show(['stop', 'restart']),
		options: [
			{ name: 'Soft', value: 'soft', description: 'The OS is asked to shut down (ACPI)' },
			{ name: 'Hard', value: 'hard', description: 'Cut at once, like pulling the power: unsaved data can be lost' },
		],
	},
	{
		displayName: 'Timeout (Seconds)',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: STOP_TIMEOUT.min, maxValue: STOP_TIMEOUT.max, numberPrecision: 0 },
		default: 120,
		displayOptions: { show: { resource: ['server'], operation: ['stop', 'restart'], stopType: ['soft'] } },
		description: 'How long the OS may take to shut down, 1–600 s; a soft stop then turns hard',
	},
	{
		displayName: 'Timeout Action',
		name: 'timeoutAction',
		type: 'options',
		default: 'ignore',
		displayOptions: { show: { resource: ['server'], operation: ['restart'], stopType: ['soft'] } },
		options: [
			{ name: 'Ignore', value: 'ignore', description: 'Give up the restart and leave the server running' },
			{ name: 'Destroy', value: 'destroy', description: 'Stop it hard, then start it' },
		],
		description: 'What UpCloud does when the OS has not shut down within the timeout',
	},
	// ---- update ----
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: show(['update']),
		options: [
			coreNumber,
			firewall,
			{
				displayName: 'Hostname',
				name: 'hostname',
				type: 'string',
				default: '',
				description: 'A valid hostname (RFC 1123), at most 128 characters',
			},
			labelsProperty('Replaces all labels of the server; an empty list removes them'),
			memoryAmount,
			metadata,
			{
				displayName: 'Plan',
				name: 'plan',
				type: 'string',
				default: '',
				placeholder: '2xCPU-4GB',
				description: 'A plan name from Plan → Get Many, or custom (with Core Number and Memory Amount); usually needs the server stopped',
			},
			simpleBackup,
			{
				displayName: 'Title',
				name: 'title',
				type: 'string',
				default: '',
			},
		],
	},
	// ---- delete ----
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show(['delete']),
		options: [
			{
				displayName: 'Backups',
				name: 'backups',
				type: 'options',
				default: 'keep',
				options: [
					{ name: 'Keep', value: 'keep', description: 'Keep every backup of the deleted storages' },
					{ name: 'Keep Latest', value: 'keep_latest', description: 'Keep only the latest backup of each' },
					{ name: 'Delete', value: 'delete', description: 'Delete their backups too' },
				],
				description: 'With Delete Storages: what happens to the backups of those storages',
			},
			{
				displayName: 'Delete Storages',
				name: 'deleteStorages',
				type: 'boolean',
				default: false,
				description: 'Whether to delete the server\'s attached storages too (off: they are kept)',
			},
		],
	},
	// ---- getAll ----
	...returnAllAndLimit('server', 'getAll'),
	labelFiltersProperty(show(['getAll'])),
	...waitFields,
];
