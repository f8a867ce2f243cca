import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { isPlainObject, toText } from '../../shared/coercion';
import { validatedBy } from '../../shared/declarative';
import { assertUpdateFields, InputRuleError } from '../../shared/rules';
import { operationParameter } from '../../shared/operations';
import {
	assertHhmm,
	assertLabels,
	assertTitle,
	assertWhole,
	assertZone,
	BACKUP_RETENTION,
	given,
	STORAGE_SIZE,
} from '../infrastructureRules';
import { answerAndWait, getResource, startWaitClock, unwrap, waitForState, waitOptionsProperty, waitSettings } from '../waits';
import { returnAllAndLimit } from './fields';
import {
	answerIn,
	collection,
	labelFiltersChecked,
	labelFiltersProperty,
	labelsProperty,
	uuidLocator,
	uuidParameter,
	yesNo,
	zoneProperty,
} from './infrastructureFields';

/**
 * Storages (API 1.3 chapter 9): disks, backups, templates and CD-ROMs. Storage labels are a bare list
 * ("labels":[{key,value}]), unlike server labels. Clone, templatize, backup and restore answer before the copy is
 * made and can wait until it is `online`.
 */

const show = (operation: string[]) => ({ show: { resource: ['storage'], operation } });

const TIERS = [
	{ name: 'Archive (HDD)', value: 'hdd' },
	{ name: 'MaxIOPS', value: 'maxiops' },
	{ name: 'Standard', value: 'standard' },
];

const INTERVALS = ['daily', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

const storagePath = (suffix = '', name = 'storageId', field = 'Storage') =>
	validatedBy(function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
		requestOptions.url = `/storage/${encodeURIComponent(uuidParameter.call(this, name, field))}${suffix}`;
	});

/** backup_rule: {interval, time hhmm (UTC), retention days 1–1095}; every part is needed. */
function backupRule(value: unknown): IDataObject | undefined {
	const rule = isPlainObject(value) && isPlainObject(value.rule) ? value.rule : undefined;
	if (!rule) return undefined;
	const interval = toText('Backup Rule Interval', rule.interval ?? 'daily', { required: true });
	if (!INTERVALS.includes(interval)) throw new InputRuleError('Backup Rule Interval', `must be one of ${INTERVALS.join(', ')} (got "${interval}")`);
	return {
		interval,
		time: assertHhmm('Backup Rule Time', rule.time),
		retention: String(assertWhole('Backup Rule Retention (Days)', rule.retention, BACKUP_RETENTION.min, BACKUP_RETENTION.max)),
	};
}

const buildCreate = validatedBy(function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
	const extra = collection.call(this, 'additionalFields');
	const storage: IDataObject = {
		zone: assertZone('Zone', this.getNodeParameter('zone')),
		size: assertWhole('Size (GiB)', this.getNodeParameter('size'), STORAGE_SIZE.min, STORAGE_SIZE.max),
		title: assertTitle('Title', this.getNodeParameter('title')),
		// The default tier on create is not confirmed: always sent.
		tier: given(extra, 'tier') ? String(extra.tier) : 'maxiops',
	};
	const labels = assertLabels('Labels', extra.labels);
	if (labels.length > 0) storage.labels = labels;
	if (given(extra, 'encrypted')) storage.encrypted = yesNo(extra.encrypted);
	const rule = backupRule(extra.backupRule);
	if (rule) storage.backup_rule = rule;
	requestOptions.body = { storage };
});

const buildUpdate = validatedBy(function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
	const fields = collection.call(this, 'updateFields');
	assertUpdateFields(fields);
	const storage: IDataObject = {};
	if (given(fields, 'title')) storage.title = assertTitle('Title', fields.title);
	if (given(fields, 'size')) storage.size = assertWhole('Size (GiB)', fields.size, STORAGE_SIZE.min, STORAGE_SIZE.max);
	// A bare list; [] removes every label (recorded).
	if ('labels' in fields) storage.labels = assertLabels('Labels', fields.labels);
	if ('backupRule' in fields) storage.backup_rule = backupRule(fields.backupRule) ?? {};
	requestOptions.body = { storage };
});

const titleBody = validatedBy(function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
	requestOptions.body = { storage: { title: assertTitle('Title', this.getNodeParameter('title')) } };
});

const buildClone = validatedBy(function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
	const extra = collection.call(this, 'additionalFields');
	requestOptions.body = {
		storage: {
			zone: assertZone('Zone', this.getNodeParameter('zone')),
			title: assertTitle('Title', this.getNodeParameter('title')),
			...(given(extra, 'tier') ? { tier: String(extra.tier) } : {}),
		},
	};
});

// Device addresses: virtio, scsi or ide, optionally with bus and unit (virtio:1, scsi:0:0, ide:0:1).
const DEVICE_ADDRESS = /^(virtio|scsi|ide)(:\d{1,2}(:\d{1,2})?)?$/;

const buildAttach = validatedBy(function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
	const extra = collection.call(this, 'additionalFields');
	const device: IDataObject = {
		type: extra.type === 'cdrom' ? 'cdrom' : 'disk',
		storage: uuidParameter.call(this, 'storageId', 'Storage'),
	};
	if (given(extra, 'address')) {
		const address = toText('Address', extra.address, { required: true });
		if (!DEVICE_ADDRESS.test(address)) {
			throw new InputRuleError('Address', `must be virtio, scsi or ide, optionally with bus and unit such as scsi:0:0 (got "${address}")`);
		}
		device.address = address;
	}
	if (given(extra, 'bootDisk')) device.boot_disk = extra.bootDisk === true ? '1' : '0';
	requestOptions.url = `/server/${encodeURIComponent(uuidParameter.call(this, 'serverId', 'Server'))}/storage/attach`;
	requestOptions.body = { storage_device: device };
});

const buildDetach = validatedBy(function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
	const address = toText('Address', this.getNodeParameter('address'), { required: true });
	if (!/^(virtio|scsi|ide):\d{1,2}(:\d{1,2})?$/.test(address)) {
		throw new InputRuleError('Address', `must be the device address as the server lists it, such as virtio:1 or scsi:0:0 (got "${address}")`);
	}
	requestOptions.url = `/server/${encodeURIComponent(uuidParameter.call(this, 'serverId', 'Server'))}/storage/detach`;
	requestOptions.body = { storage_device: { address } };
});

const buildDelete = validatedBy(function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
	// The default when omitted is not confirmed: keep is sent explicitly.
	requestOptions.qs = { backups: collection.call(this, 'options').backups === 'delete' ? 'delete' : 'keep' };
});

async function deletedStorage(this: IExecuteSingleFunctions): Promise<INodeExecutionData[]> {
	return [{ json: { success: true, uuid: uuidParameter.call(this, 'storageId', 'Storage') } }];
}

const untilOnline = () => ({ kind: 'storage' as const, target: 'online' });

/**
 * Create Backup waits on two storages: the new backup until it is `online` (the copy is made), then the source
 * until it is `online` again: it is `backuping` meanwhile, and acting on it (restore, delete, detach, another backup)
 * before that is refused with STORAGE_STATE_ILLEGAL. The output is the backup as its last GET answered it.
 */
async function backupAndWait(
	this: IExecuteSingleFunctions,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	const backup = unwrap.call(this, 'storage', response.body, response.statusCode);
	const settings = waitSettings.call(this);
	if (!settings.enabled) return [{ json: backup }];
	if (typeof backup.uuid !== 'string' || backup.uuid === '') {
		throw new NodeApiError(this.getNode(), { httpCode: String(response.statusCode) }, {
			message: 'UpCloud answered without the backup\'s UUID, so there is nothing to wait for',
			itemIndex: this.getItemIndex(),
		});
	}
	// One clock for both: Wait Timeout bounds the whole wait.
	const clock = startWaitClock();
	const done = await waitForState.call(this, untilOnline(), backup.uuid, backup, settings, clock);
	const source = typeof done.origin === 'string' && done.origin !== '' ? done.origin : uuidParameter.call(this, 'storageId', 'Storage');
	await waitForState.call(this, untilOnline(), source, undefined, settings, clock);
	return [{ json: done }];
}

/**
 * Restore answers 204 and overwrites the backup's `origin` storage: that storage is the one that is busy
 * (`maintenance`) and is waited on until `online`. Its UUID is read from the backup after the call, so with the
 * wait off exactly one request is sent. The output is the restored storage as its last GET answered it.
 */
async function restoreAndWait(this: IExecuteSingleFunctions): Promise<INodeExecutionData[]> {
	const backupId = uuidParameter.call(this, 'backupId', 'Backup');
	const settings = waitSettings.call(this);
	if (!settings.enabled) return [{ json: { success: true, backup: backupId } }];
	const backup = await getResource.call(this, 'storage', backupId);
	const origin = typeof backup.origin === 'string' ? backup.origin : '';
	if (origin === '') {
		throw new NodeApiError(this.getNode(), {}, {
			message: `UpCloud lists no origin storage for backup ${backupId}, so there is nothing to wait for`,
			description: 'The restore was sent. Turn off Wait for Completion, or get the restored storage later.',
			itemIndex: this.getItemIndex(),
		});
	}
	return [{ json: await waitForState.call(this, untilOnline(), origin, undefined, settings) }];
}

export const storageOperations: INodeProperties[] = [
	operationParameter('storage', 'getAll', [
		{
			name: 'Attach',
			value: 'attach',
			action: 'Attach a storage to a server',
			description: 'Attach a disk or CD-ROM storage to a server (usually stopped), at an address or the next free one',
			routing: {
				request: { method: 'POST' },
				send: { preSend: [buildAttach] },
				output: { postReceive: [answerIn('server')] },
			},
		},
		{
			name: 'Clone',
			value: 'clone',
			action: 'Clone a storage into a new one',
			description: 'Copy a disk or backup into a new storage in a zone and, by default, wait until the copy is online',
			routing: {
				request: { method: 'POST' },
				send: { preSend: [storagePath('/clone'), buildClone] },
				output: { postReceive: [answerAndWait('storage', untilOnline)] },
			},
		},
		{
			name: 'Create',
			value: 'create',
			action: 'Create a blank storage disk',
			description: 'Create a blank disk in a zone with a size, tier, labels, encryption and a backup rule',
			routing: {
				request: { method: 'POST', url: '/storage' },
				send: { preSend: [buildCreate] },
				output: { postReceive: [answerIn('storage')] },
			},
		},
		{
			name: 'Create Backup',
			value: 'createBackup',
			action: 'Back up a storage now',
			description: 'Take a backup of a storage and, by default, wait until the backup is online and the storage is online again',
			routing: {
				request: { method: 'POST' },
				send: { preSend: [storagePath('/backup'), titleBody] },
				output: { postReceive: [backupAndWait] },
			},
		},
		{
			name: 'Delete',
			value: 'delete',
			action: 'Delete a storage by its ID',
			description: 'DESTRUCTIVE: permanently delete a storage that is not attached, by its ID; its backups are kept unless Backups is Delete',
			routing: {
				request: { method: 'DELETE' },
				send: { preSend: [storagePath(), buildDelete] },
				output: { postReceive: [deletedStorage] },
			},
		},
		{
			name: 'Detach',
			value: 'detach',
			action: 'Detach a storage from a server by its address',
			description: 'Detach the storage at a device address (e.g. virtio:1) from a server; the storage itself is kept',
			routing: {
				request: { method: 'POST' },
				send: { preSend: [buildDetach] },
				output: { postReceive: [answerIn('server')] },
			},
		},
		{
			name: 'Get',
			value: 'get',
			action: 'Get a storage by its ID',
			description: 'Get the details of a storage by its ID: state, size, tier, servers, backups and backup rule',
			routing: {
				request: { method: 'GET' },
				send: { preSend: [storagePath()] },
				output: { postReceive: [answerIn('storage')] },
			},
		},
		{
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many storages by type or label',
			description: 'List storages: all, or disks, backups, CD-ROMs, templates, public, private or favourites; filter by labels',
			routing: {
				request: { method: 'GET', url: '=/storage{{ $parameter.storageType && $parameter.storageType !== "all" ? "/" + encodeURIComponent(String($parameter.storageType)) : "" }}' },
				send: {
					preSend: [labelFiltersChecked],
				},
				// Paged by paginateByUuid (see UpCloud.node.ts): limit/offset as only the generated spec documents them.
				output: { postReceive: [answerIn('storages.storage')] },
			},
		},
		{
			name: 'Restore Backup',
			value: 'restoreBackup',
			action: 'Restore a backup over its storage',
			description:
				'DESTRUCTIVE: overwrite the storage a backup was taken of with that backup and, by default, wait until the storage is online',
			routing: {
				request: { method: 'POST' },
				send: { preSend: [storagePath('/restore', 'backupId', 'Backup')] },
				output: { postReceive: [restoreAndWait] },
			},
		},
		{
			name: 'Templatize',
			value: 'templatize',
			action: 'Make a private template from a storage',
			description: 'Make a private server template from a disk (stop its server first) and, by default, wait until it is online',
			routing: {
				request: { method: 'POST' },
				send: { preSend: [storagePath('/templatize'), titleBody] },
				output: { postReceive: [answerAndWait('storage', untilOnline)] },
			},
		},
		{
			name: 'Update',
			value: 'update',
			action: 'Update a storage by its ID',
			description: 'Change the title, size (grow only), labels or backup rule of a storage by its ID',
			routing: {
				request: { method: 'PUT' },
				send: { preSend: [storagePath(), buildUpdate] },
				output: { postReceive: [answerIn('storage')] },
			},
		},
	]),
];

const backupRuleProperty: INodeProperties = {
	displayName: 'Backup Rule',
	name: 'backupRule',
	type: 'fixedCollection',
	default: {},
	placeholder: 'Add Backup Rule',
	description: 'Automatic backups of this storage; in Update, an empty rule removes it',
	options: [
		{
			displayName: 'Rule',
			name: 'rule',
			values: [
				{
					displayName: 'Interval',
					name: 'interval',
					type: 'options',
					default: 'daily',
					options: [
						{ name: 'Daily', value: 'daily' },
						{ name: 'Friday', value: 'fri' },
						{ name: 'Monday', value: 'mon' },
						{ name: 'Saturday', value: 'sat' },
						{ name: 'Sunday', value: 'sun' },
						{ name: 'Thursday', value: 'thu' },
						{ name: 'Tuesday', value: 'tue' },
						{ name: 'Wednesday', value: 'wed' },
					],
				},
				{ displayName: 'Time', name: 'time', type: 'string', default: '0430', placeholder: '0430', description: 'UTC time as hhmm' },
				{
					displayName: 'Retention (Days)',
					name: 'retention',
					type: 'number',
					typeOptions: { minValue: BACKUP_RETENTION.min, maxValue: BACKUP_RETENTION.max, numberPrecision: 0 },
					default: 7,
					description: 'How many days each backup is kept, 1–1095',
				},
			],
		},
	],
};

const tierOption: INodeProperties = {
	displayName: 'Tier',
	name: 'tier',
	type: 'options',
	default: 'maxiops',
	options: TIERS,
	description: 'MaxIOPS (fast), Standard, or Archive (HDD)',
};

export const storageFields: INodeProperties[] = [
	uuidLocator(
		'Storage',
		'storageId',
		'searchStorages',
		show(['get', 'update', 'delete', 'clone', 'templatize', 'createBackup', 'attach']),
		'The storage: picked by title, or its UUID',
	),
	uuidLocator('Backup', 'backupId', 'searchBackups', show(['restoreBackup']), 'The backup to restore over the storage it was taken of'),
	uuidLocator('Server', 'serverId', 'searchServers', show(['attach', 'detach']), 'The server: picked by title, or its UUID'),
	// ---- getAll ----
	{
		displayName: 'Storage Type',
		name: 'storageType',
		type: 'options',
		default: 'all',
		displayOptions: show(['getAll']),
		options: [
			{ name: 'All', value: 'all', description: 'Every storage visible to the account, UpCloud\'s public ones included' },
			{ name: 'Backup', value: 'backup' },
			{ name: 'CD-ROM', value: 'cdrom' },
			{ name: 'Favorite', value: 'favorite' },
			{ name: 'Normal (Disks)', value: 'normal' },
			{ name: 'Private', value: 'private', description: 'The account\'s own storages' },
			{ name: 'Public', value: 'public', description: 'UpCloud\'s templates and CD-ROMs' },
			{ name: 'Template', value: 'template' },
		],
	},
	...returnAllAndLimit('storage', 'getAll'),
	labelFiltersProperty(show(['getAll'])),
	// ---- create / clone ----
	zoneProperty(show(['create']), 'Where the storage is created'),
	zoneProperty(show(['clone']), 'Where the copy is created'),
	{
		displayName: 'Size (GiB)',
		name: 'size',
		type: 'number',
		required: true,
		typeOptions: { minValue: STORAGE_SIZE.min, maxValue: STORAGE_SIZE.max, numberPrecision: 0 },
		default: 10,
		displayOptions: show(['create']),
		description: '1–4096 GiB, within the account\'s limits',
	},
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		required: true,
		default: '',
		displayOptions: show(['create', 'clone', 'templatize', 'createBackup']),
		description: 'Title of the new storage, template or backup',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: show(['create']),
		options: [
			backupRuleProperty,
			{
				displayName: 'Encrypted',
				name: 'encrypted',
				type: 'boolean',
				default: false,
				description: 'Whether the storage is encrypted at rest',
			},
			labelsProperty('Labels of the storage'),
			tierOption,
		],
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: show(['clone']),
		options: [tierOption],
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
			backupRuleProperty,
			labelsProperty('Replaces all labels of the storage; an empty list removes them'),
			{
				displayName: 'Size (GiB)',
				name: 'size',
				type: 'number',
				typeOptions: { minValue: STORAGE_SIZE.min, maxValue: STORAGE_SIZE.max, numberPrecision: 0 },
				default: 10,
				description: 'New size, 1–4096 GiB; storages only grow, and the file system is not resized',
			},
			{ displayName: 'Title', name: 'title', type: 'string', default: '' },
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
					{ name: 'Keep', value: 'keep', description: 'Keep the storage\'s backups' },
					{ name: 'Delete', value: 'delete', description: 'Delete its backups too' },
				],
			},
		],
	},
	// ---- attach / detach ----
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: show(['attach']),
		options: [
			{
				displayName: 'Address',
				name: 'address',
				type: 'string',
				default: '',
				placeholder: 'virtio',
				description: 'Controller, optionally with bus and unit: virtio, scsi, ide, or e.g. scsi:0:0 (default: the next free one)',
			},
			{
				displayName: 'Boot Disk',
				name: 'bootDisk',
				type: 'boolean',
				default: false,
				description: 'Whether the server boots from this storage',
			},
			{
				displayName: 'Type',
				name: 'type',
				type: 'options',
				default: 'disk',
				options: [
					{ name: 'Disk', value: 'disk' },
					{ name: 'CD-ROM', value: 'cdrom' },
				],
			},
		],
	},
	{
		displayName: 'Address',
		name: 'address',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'virtio:1',
		displayOptions: show(['detach']),
		description: 'The device address as the server lists it under storage_devices, e.g. virtio:1 or scsi:0:0',
	},
	// ---- waits ----
	waitOptionsProperty('storage', 'clone', 'new storage as online'),
	waitOptionsProperty('storage', 'templatize', 'new template as online'),
	waitOptionsProperty('storage', 'createBackup', 'backup as online and the storage as online again'),
	waitOptionsProperty('storage', 'restoreBackup', 'restored storage as online'),
];
