import { UPCLOUD_URL } from '../../../nodes/UpCloud/baseUrl';
import {
	isProjection,
	METRICS,
	metricOptions,
	metricsUsing,
	metricSubtitle,
	naturalComparison,
	scopeOf,
} from '../../../nodes/UpCloud/usageMetrics';
import type { MetricParams } from '../../../nodes/UpCloud/usageMetrics';
import { UpCloudApi } from '../../../credentials/UpCloudApi.credentials';
import { UpCloudTokenApi } from '../../../credentials/UpCloudTokenApi.credentials';

const params = (overrides: Partial<MetricParams>): MetricParams => ({
	metric: 'credits',
	creditsCurrency: 'auto',
	spendCategory: 'total',
	username: '',
	transferMeasure: 'percent',
	resourceId: '',
	byteUnit: 'GB',
	minimumHours: 24,
	...overrides,
});

describe('the Usage Trigger metric table', () => {
	it('names every metric once in the options and the subtitle', () => {
		const metrics = Object.keys(METRICS).sort();
		expect(metricOptions.map((o) => o.value).sort()).toEqual(metrics);
		const names = JSON.parse(metricSubtitle.replace(/^=\{\{ /, '').replace(/\[\$parameter\["metric"\]\] \}\}$/, ''));
		expect(Object.keys(names).sort()).toEqual(metrics);
		for (const option of metricOptions) expect(names[option.value as string]).toBe(option.name);
	});

	it('alerts credits and runway below, spend and transfer above', () => {
		expect(Object.fromEntries(Object.keys(METRICS).map((m) => [m, naturalComparison(m as MetricParams['metric'])]))).toEqual({
			credits: 'below',
			monthSpend: 'above',
			transferPool: 'above',
			resourceTransfer: 'above',
			monthSpendForecast: 'above',
			creditRunway: 'below',
		});
		expect(Object.keys(METRICS).filter((m) => isProjection(m as MetricParams['metric']))).toEqual([
			'monthSpendForecast',
			'creditRunway',
		]);
		expect(metricsUsing('resourceId')).toEqual(['resourceTransfer']);
		expect(metricsUsing('transferMeasure')).toEqual(['transferPool']);
	});

	it('scopes each metric by what it watches, and nothing else', () => {
		expect(scopeOf(params({ metric: 'credits', spendCategory: 'servers', creditsCurrency: 'EUR' }))).toBe('credits');
		expect(scopeOf(params({ metric: 'monthSpend', spendCategory: 'servers', username: ' acme ' }))).toBe('monthSpend|servers|acme');
		expect(scopeOf(params({ metric: 'monthSpendForecast', username: 'acme' }))).toBe('monthSpendForecast|total|acme');
		expect(scopeOf(params({ metric: 'transferPool', transferMeasure: 'bytes', resourceId: 'x' }))).toBe('transferPool|bytes');
		expect(scopeOf(params({ metric: 'resourceTransfer', resourceId: ' 0077 ', spendCategory: 'servers' }))).toBe(
			'resourceTransfer|0077',
		);
		expect(scopeOf(params({ metric: 'creditRunway', username: 'acme' }))).toBe('creditRunway');
	});
});

describe('the UpCloud base URL', () => {
	it('is the default of both credentials and of their tests', () => {
		for (const credential of [new UpCloudApi(), new UpCloudTokenApi()]) {
			expect(credential.properties.find((p) => p.name === 'baseUrl')?.default).toBe(UPCLOUD_URL);
			expect(credential.test.request.baseURL).toBe(`={{($credentials.baseUrl || "${UPCLOUD_URL}").replace(/\\/+$/, "")}}`);
		}
		expect(UPCLOUD_URL).toBe('https://api.upcloud.com/1.3');
	});
});
