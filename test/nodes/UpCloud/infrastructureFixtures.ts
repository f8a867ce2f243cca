/**
 * Server and storage bodies shaped as UpCloud's own recordings answer them (UpCloudLtd/upcloud-go-api,
 * upcloud/service/fixtures: createrestartserver, createstartstopserver, createrestorebackup), shortened to the
 * fields the node reads or tests assert on.
 */

export const SERVER_ID = '00e3cbc4-b911-4e5c-b774-5a80ddb7405c';
export const TEMPLATE_ID = '01000000-0000-4000-8000-000030060200';
export const STORAGE_ID = '016d1b72-d616-4c26-9c36-f8e1e87a3c57';
export const BACKUP_ID = '01a1f2c3-7b0e-4f4c-9d0b-5b7e0c3f9a11';

export function server(state: string, extra: Record<string, unknown> = {}) {
	return {
		core_number: '1',
		created: 1596716549,
		firewall: 'off',
		hostname: 'web-1.example.com',
		labels: { label: [{ key: 'env', value: 'dev' }] },
		memory_amount: '1024',
		plan: 'custom',
		state,
		storage_devices: {
			storage_device: [
				{ address: 'virtio:0', boot_disk: '0', storage: STORAGE_ID, storage_size: 30, storage_title: 'disk1', type: 'disk' },
			],
		},
		title: 'web-1',
		uuid: SERVER_ID,
		zone: 'fi-hel2',
		...extra,
	};
}

export const serverBody = (state: string, extra: Record<string, unknown> = {}) => ({ server: server(state, extra) });

export function storage(state: string, extra: Record<string, unknown> = {}) {
	return {
		access: 'private',
		backup_rule: {},
		backups: { backup: [] },
		created: '2023-01-12T07:59:21Z',
		labels: [],
		license: 0,
		servers: { server: [] },
		size: 10,
		state,
		tier: 'maxiops',
		title: 'disk1',
		type: 'normal',
		uuid: STORAGE_ID,
		zone: 'fi-hel2',
		...extra,
	};
}

export const storageBody = (state: string, extra: Record<string, unknown> = {}) => ({ storage: storage(state, extra) });
