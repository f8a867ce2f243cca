import {
	assertAddress,
	assertDateTime,
	assertExpiry,
	assertIpFilter,
	assertIpRanges,
	assertPageSize,
	assertTokenId,
	assertTokenName,
	assertLength,
	assertPartnerPassword,
	assertPhone,
	assertStateForCountry,
	assertTimeWindow,
	assertUsername,
	assertYearMonth,
} from '../../../nodes/UpCloud/validation';
import { assertEmail, assertPathSegment, assertPresent, InputRuleError } from '../../../nodes/shared/rules';

/** The message a rule throws, or undefined when the value passes. */
function broken(check: () => unknown): string | undefined {
	try {
		check();
		return undefined;
	} catch (error) {
		expect(error).toBeInstanceOf(InputRuleError);
		return (error as InputRuleError).message;
	}
}

describe('assertPresent', () => {
	it.each([undefined, null, '', '   ', {}, []])('refuses %j', (value) => {
		expect(broken(() => assertPresent('Field', value))).toBe('Field is required');
	});

	it('returns the trimmed text of a string or number', () => {
		expect(assertPresent('Field', '  x ')).toBe('x');
		expect(assertPresent('Field', 42)).toBe('42');
	});
});

describe('assertPathSegment', () => {
	it.each(['.', '..', ' .. '])('refuses %j, which would climb the URL path', (value) => {
		expect(broken(() => assertPathSegment('Username', value))).toBe('Username cannot be "." or ".."');
	});

	it.each(['...', '../x', 'a.b', '.hidden'])('lets %j through to be encoded', (value) => {
		expect(assertPathSegment('Username', value)).toBe(value);
	});
});

describe('assertUsername: 4–64 lowercase letters, digits and underscores', () => {
	const RULE = 'Username must be 4–64 characters of lowercase letters, digits and single underscores between them (e.g. "acme_ops")';

	it.each(['abcd', 'ab_1', 'a1b2', '1234', 'sdk_test_partner_account', 'a'.repeat(64), 'a_b_c_d'])('accepts %j', (value) => {
		expect(assertUsername('Username', value)).toBe(value);
	});

	it('trims before checking', () => {
		expect(assertUsername('Username', ' acme_ops ')).toBe('acme_ops');
	});

	it.each([
		'abc',
		'a'.repeat(65),
		'Abcd',
		'abcD',
		'ab-cd',
		'ab.cd',
		'ab cd',
		'_abcd',
		'abcd_',
		'ab__cd',
		'äbcd',
		'../x',
		'a?bc',
		'a/bc',
		'a#bc',
	])('refuses %j', (value) => {
		expect(broken(() => assertUsername('Username', value))).toBe(RULE);
	});

	it('refuses an empty username as missing', () => {
		expect(broken(() => assertUsername('Username', ''))).toBe('Username is required');
	});
});

describe('assertPartnerPassword: 8–256 characters with a lowercase letter, an uppercase letter and a digit', () => {
	const RULE = 'Password must be 8–256 characters and include a lowercase letter, an uppercase letter and a digit';

	it.each(['superSecret123', 'Abcdefg1', `Aa1${'x'.repeat(253)}`, 'Pässwörd1', 'a B c 1 d'])('accepts %j', (value) => {
		expect(assertPartnerPassword('Password', value)).toBe(value);
	});

	it.each([
		['7 characters', 'Abcdef1'],
		['257 characters', `Aa1${'x'.repeat(254)}`],
		['no lowercase letter', 'ABCDEFG1'],
		['no uppercase letter', 'abcdefg1'],
		['no digit', 'Abcdefgh'],
		['nothing', ''],
		['a number instead of text', 12345678],
	])('refuses %s', (_case, value) => {
		expect(broken(() => assertPartnerPassword('Password', value))).toBe(RULE);
	});

	it('never quotes the password in its message', () => {
		expect(broken(() => assertPartnerPassword('Password', 'weakpass'))).not.toContain('weakpass');
	});
});

describe('assertYearMonth: YYYY-MM', () => {
	it.each(['2024-09', '2019-12', '2025-01', '1999-10'])('accepts %j', (value) => {
		expect(assertYearMonth('Month', value)).toBe(value);
	});

	it.each(['2024-13', '2024-00', '2024-9', '24-09', '2024/09', '2024-09-01', '202409', 'September', ' 2024-09x'])(
		'refuses %j',
		(value) => {
			expect(broken(() => assertYearMonth('Month', value))).toBe(
				`Month must be a month in the form YYYY-MM, e.g. 2024-09 (got "${value.trim()}")`,
			);
		},
	);
});

describe('assertTimeWindow: From ≤ To, at most 31 days for JSON', () => {
	const at = (iso: string) => new Date(iso);

	it('accepts From equal to To, and exactly 31 days', () => {
		expect(() => assertTimeWindow(at('2024-09-01T00:00:00Z'), at('2024-09-01T00:00:00Z'), true)).not.toThrow();
		expect(() => assertTimeWindow(at('2024-08-01T00:00:00Z'), at('2024-09-01T00:00:00Z'), true)).not.toThrow();
	});

	it('refuses From after To, in JSON and CSV alike', () => {
		for (const json of [true, false]) {
			expect(broken(() => assertTimeWindow(at('2024-09-01T00:00:01Z'), at('2024-09-01T00:00:00Z'), json))).toBe(
				'From must not be after To (2024-09-01T00:00:01.000Z > 2024-09-01T00:00:00.000Z)',
			);
		}
	});

	it('refuses a JSON window one second over 31 days', () => {
		expect(broken(() => assertTimeWindow(at('2024-08-01T00:00:00Z'), at('2024-09-01T00:00:01Z'), true))).toBe(
			'To must be at most 31 days after From for JSON output; choose the CSV File output format for longer windows',
		);
	});

	it('allows CSV windows of any length', () => {
		expect(() => assertTimeWindow(at('2020-01-01T00:00:00Z'), at('2024-12-31T23:00:00Z'), false)).not.toThrow();
	});
});

describe('assertPhone: +<country code>.<number>', () => {
	it.each(['+358.31245434', '+1.5185550100', '+44.2071234567', '+1264.4971234'])('accepts %j', (value) => {
		expect(assertPhone('Phone', value)).toBe(value);
	});

	it.each(['358.31245434', '+358 31245434', '+35831245434', '+358.', '+.31245434', '+358.3124-5434', '+358.3124 5434', '+12345.1234', '00358.31245434'])(
		'refuses %j',
		(value) => {
			expect(broken(() => assertPhone('Phone', value))).toBe(
				'Phone must be in international format +<country code>.<number>, e.g. +358.31245434',
			);
		},
	);
});

describe('assertEmail', () => {
	it('accepts an address and refuses a word', () => {
		expect(assertEmail('Email', 'test@myhost.mydomain')).toBe('test@myhost.mydomain');
		expect(broken(() => assertEmail('Email', 'test@myhost'))).toBe('Email must be a valid email address (got "test@myhost")');
		expect(broken(() => assertEmail('Email', 'a b@c.de'))).toBe('Email must be a valid email address (got "a b@c.de")');
	});
});

describe('assertStateForCountry: state required when the country is USA', () => {
	it('requires a non-blank state for USA only', () => {
		expect(broken(() => assertStateForCountry('State', 'USA', undefined))).toBe('State is required when the country is USA');
		expect(broken(() => assertStateForCountry('State', 'USA', ' '))).toBe('State is required when the country is USA');
		expect(() => assertStateForCountry('State', 'USA', 'New York')).not.toThrow();
		expect(() => assertStateForCountry('State', 'FIN', undefined)).not.toThrow();
		expect(() => assertStateForCountry('State', 'CAN', '')).not.toThrow();
	});
});

describe('assertAddress: 1 or 2 lines of 1–100 characters', () => {
	const RULE = 'Address must be 1 or 2 lines, each 1–100 characters long';

	it.each(['my address', 'Kaisaniemenkatu 1\nFloor 2', 'line 1\r\nline 2', 'x'.repeat(100), `${'x'.repeat(100)}\n${'y'.repeat(100)}`])(
		'accepts %j',
		(value) => {
			expect(assertAddress('Address', value)).toBe(value);
		},
	);

	it.each(['', 'a\nb\nc', 'x'.repeat(101), `ok\n${'y'.repeat(101)}`, '\nline 2', 'line 1\n'])('refuses %j', (value) => {
		expect(broken(() => assertAddress('Address', value))).toBe(RULE);
	});
});

describe('assertLength: the documented lengths', () => {
	it.each([
		['First Name', 1, 50],
		['Last Name', 1, 50],
		['Company', 1, 100],
		['City', 1, 100],
		['Postal Code', 1, 100],
		['Contact Details: Postal Code', 1, 20],
	])('%s accepts %i–%i characters and nothing outside', (field, min, max) => {
		expect(assertLength(field, 'x'.repeat(min), min, max)).toBe('x'.repeat(min));
		expect(assertLength(field, 'x'.repeat(max), min, max)).toBe('x'.repeat(max));
		expect(broken(() => assertLength(field, 'x'.repeat(max + 1), min, max))).toBe(
			`${field} must be ${min}–${max} characters long (got ${max + 1})`,
		);
		expect(broken(() => assertLength(field, '', min, max))).toBe(`${field} must be ${min}–${max} characters long (got 0)`);
	});
});

describe('assertIpFilter: CIDR, range or single address', () => {
	const ruleFor = (value: string) =>
		`IP Filters entries must be a single IP address, a CIDR block (10.0.0.0/24) or a range (10.0.0.1-10.0.0.9); "${value}" is none of these`;

	it.each([
		// IPv4
		'127.0.0.1',
		'0.0.0.0',
		'255.255.255.255',
		'10.0.0.0/8',
		'192.0.2.0/24',
		'192.0.2.1/32',
		'0.0.0.0/0',
		'198.51.100.1-198.51.100.9',
		'198.51.100.1 - 198.51.100.9',
		// IPv6
		'::',
		'::1',
		'2001:db8::1',
		'2001:DB8:0:0:8:800:200C:417A',
		'fe80::',
		'1:2:3:4:5:6:7::',
		'::2:3:4:5:6:7:8',
		'::ffff:192.0.2.128',
		'64:ff9b::192.0.2.33',
		'0:0:0:0:0:ffff:192.0.2.1',
		'2001:db8::/32',
		'2001:db8::1/128',
		'::/0',
		'2001:db8::1-2001:db8::ff',
	])('accepts %j', (value) => {
		expect(assertIpFilter('IP Filters', value)).toBe(value);
	});

	it.each([
		// IPv4
		'256.0.0.1',
		'10.0.0',
		'10.0.0.0.1',
		'10.0.0.-1',
		'10.0.0.1/33',
		'10.0.0.1/',
		'10.0.0.1/8/8',
		'10.0.0.1/a',
		'10.0.0.1-',
		'-10.0.0.1',
		'10.0.0.1-10.0.0.2-10.0.0.3',
		'10.0.0.1-2001:db8::1',
		'10.0.0.0/24-10.0.1.0/24',
		'localhost',
		'10.0.0.x',
		// IPv6
		'2001:db8::1::2',
		'1:2:3:4:5:6:7:8:9',
		'1:2:3:4:5:6:7',
		'1::2:3:4:5:6:7:8',
		'12345::1',
		'2001:db8::g',
		'2001:db8::/129',
		'fe80::1%eth0',
		':::',
		':::1',
		'1:::2',
		':1:2:3:4:5:6:7:8',
		'1:2:3:4:5:6:7:8:',
		'1::2:',
		':1::2',
		'1.2.3.4::',
		'::1.2.3',
		'1:2:3:4:5:6:7:1.2.3.4',
		'1:2:3:4:5:6:1.2.3.4::',
		'2001:db8::1-10.0.0.1',
	])('refuses %j', (value) => {
		expect(broken(() => assertIpFilter('IP Filters', value))).toBe(ruleFor(value));
	});

	it('refuses an empty entry as missing', () => {
		expect(broken(() => assertIpFilter('IP Filters', ' '))).toBe('IP Filters is required');
	});
});

describe('API token rules', () => {
	const now = new Date('2024-05-10T12:00:00Z');
	const hours = (h: number) => new Date(now.getTime() + h * 3_600_000);

	it('assertTokenName: 1–1024 characters after trimming', () => {
		expect(assertTokenName('Name', ' ci-deployer ')).toBe('ci-deployer');
		expect(assertTokenName('Name', 'x'.repeat(1024))).toHaveLength(1024);
		expect(broken(() => assertTokenName('Name', 'x'.repeat(1025)))).toBe('Name must be 1–1024 characters long (got 1025)');
		expect(broken(() => assertTokenName('Name', ''))).toBe('Name is required');
	});

	it('assertExpiry: after now and at most 8760 hours away', () => {
		expect(assertExpiry('Expires At', hours(8760), now)).toEqual(hours(8760));
		expect(assertExpiry('Expires At', new Date(now.getTime() + 1000), now)).toBeInstanceOf(Date);
		expect(broken(() => assertExpiry('Expires At', now, now))).toMatch(/^Expires At must be in the future/);
		expect(broken(() => assertExpiry('Expires At', new Date(hours(8760).getTime() + 1), now))).toMatch(
			/^Expires At must be at most 8760 hours \(365 days\) from now/,
		);
	});

	it('assertDateTime reads wall-clock time in the given zone and refuses what is no date', () => {
		expect(assertDateTime('Expires At', '2024-06-01T12:00:00', 'Europe/Helsinki').toISOString()).toBe('2024-06-01T09:00:00.000Z');
		expect(broken(() => assertDateTime('Expires At', '2024-02-30T00:00:00', 'UTC'))).toBe(
			'Expires At must be a date and time, e.g. 2024-09-01T00:00:00 (got "2024-02-30T00:00:00")',
		);
	});

	it.each([
		'0.0.0.0/0',
		'::/0',
		'::0/0',
		'203.0.113.5',
		'203.0.113.0/24',
		'2001:db8::/32',
		'2001:db8::1',
		'::ffff:192.0.2.1/128',
		'10.0.0.0/32',
	])('assertIpRanges accepts %j', (range) => {
		expect(assertIpRanges('Allowed IP Ranges', [range])).toEqual([range]);
	});

	it.each(['10.0.0.1-10.0.0.9', '10.0.0.0/33', '2001:db8::/129', '10.0.0.256', '10.0.0.0/8/8', '10.0.0.0/', 'localhost', '::/x'])(
		'assertIpRanges refuses %j',
		(range) => {
			expect(broken(() => assertIpRanges('Allowed IP Ranges', [range]))).toBe(
				`Allowed IP Ranges entries must be an IP address or a CIDR block such as 203.0.113.0/24 or 2001:db8::/32; "${range}" is neither`,
			);
		},
	);

	it('assertIpRanges: a list of at most 100 non-empty entries', () => {
		expect(assertIpRanges('Allowed IP Ranges', [])).toEqual([]);
		expect(assertIpRanges('Allowed IP Ranges', Array(100).fill('::/0'))).toHaveLength(100);
		expect(broken(() => assertIpRanges('Allowed IP Ranges', Array(101).fill('::/0')))).toBe(
			'Allowed IP Ranges may hold at most 100 entries (got 101)',
		);
		expect(broken(() => assertIpRanges('Allowed IP Ranges', ['']))).toBe(
			'Allowed IP Ranges entries must not be empty; remove the empty entry',
		);
		expect(broken(() => assertIpRanges('Allowed IP Ranges', '10.0.0.0/8'))).toBe(
			'Allowed IP Ranges must be a list of IP addresses or CIDR blocks',
		);
	});

	it('assertTokenId: a path segment, never the secret', () => {
		expect(assertTokenId('Token ID', ' 0c8bc50b-968e-4dc3-b9c2-1a4a5298b652 ')).toBe('0c8bc50b-968e-4dc3-b9c2-1a4a5298b652');
		expect(broken(() => assertTokenId('Token ID', 'UCAT_01ABC'))).toMatch(/not its ucat_ secret$/);
		expect(broken(() => assertTokenId('Token ID', '..'))).toBe('Token ID cannot be "." or ".."');
	});

	it('assertPageSize: whole numbers from 1 to the maximum', () => {
		expect(assertPageSize('Limit', 100, 100)).toBe(100);
		expect(assertPageSize('Limit', '7', 100)).toBe(7);
		for (const value of [0, 101, 1.5, 'x']) {
			expect(broken(() => assertPageSize('Limit', value, 100))).toBe(
				`Limit must be a whole number from 1 to 100; turn on Return All to get more (got ${value})`,
			);
		}
	});
});
