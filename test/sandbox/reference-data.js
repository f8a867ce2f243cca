'use strict';
/** Reference lists the sandbox validates against (written out here so the sandbox does not share code with the nodes). */

// ISO 3166-1 alpha-3 (officially assigned codes).
const ISO3166_ALPHA3 = new Set(
	`AFG ALA ALB DZA ASM AND AGO AIA ATA ATG ARG ARM ABW AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BMU BTN BOL BES
	BIH BWA BVT BRA IOT BRN BGR BFA BDI CPV KHM CMR CAN CYM CAF TCD CHL CHN CXR CCK COL COM COG COD COK CRI CIV HRV
	CUB CUW CYP CZE DNK DJI DMA DOM ECU EGY SLV GNQ ERI EST SWZ ETH FLK FRO FJI FIN FRA GUF PYF ATF GAB GMB GEO DEU
	GHA GIB GRC GRL GRD GLP GUM GTM GGY GIN GNB GUY HTI HMD VAT HND HKG HUN ISL IND IDN IRN IRQ IRL IMN ISR ITA JAM
	JPN JEY JOR KAZ KEN KIR PRK KOR KWT KGZ LAO LVA LBN LSO LBR LBY LIE LTU LUX MAC MDG MWI MYS MDV MLI MLT MHL MTQ
	MRT MUS MYT MEX FSM MDA MCO MNG MNE MSR MAR MOZ MMR NAM NRU NPL NLD NCL NZL NIC NER NGA NIU NFK MKD MNP NOR OMN
	PAK PLW PSE PAN PNG PRY PER PHL PCN POL PRT PRI QAT REU ROU RUS RWA BLM SHN KNA LCA MAF SPM VCT WSM SMR STP SAU
	SEN SRB SYC SLE SGP SXM SVK SVN SLB SOM ZAF SGS SSD ESP LKA SDN SUR SJM SWE CHE SYR TWN TJK TZA THA TLS TGO TKL
	TON TTO TUN TUR TKM TCA TUV UGA UKR ARE GBR USA UMI URY UZB VUT VEN VNM VGB VIR WLF ESH YEM ZMB ZWE`.split(/\s+/),
);

// ISO 4217 active currency codes.
const ISO4217 = new Set(
	`AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF
	CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG
	HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA
	MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD
	RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH
	UGX USD UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG ZWL`.split(/\s+/),
);

const FIRST_NAMES = `Richard Monica Bertram Dinesh Jared Erlich Gavin Laurie Jian Carla Ada Linus Grace Alan Margaret
	Ken Barbara Edsger Frances Donald Radia Tim Katherine Vint Hedy Dennis Sophie Guido Anita Brian`.split(/\s+/);
const LAST_NAMES = `Hendricks Hall Gilfoyle Chugtai Dunn Bachman Belson Bream Yang Walton Lovelace Torvalds Hopper Turing
	Hamilton Thompson Liskov Dijkstra Allen Knuth Perlman Berners-Lee Johnson Cerf Lamarr Ritchie Wilson Rossum Borg Kernighan`.split(
	/\s+/,
);
const COMPANY_WORDS = `Pied Piper Hooli Raviga Aviato Endframe Bachmanity Nucleus Initech Globex Acme Umbrella Stark Wayne
	Wonka Tyrell Cyberdyne Soylent Vandelay Dunder`.split(/\s+/);
const PRODUCT_NAMES = `Middle-out compression,Storage box,Pro plan,Team plan,Enterprise plan,Starter plan,Add-on seats,Priority support,
	Backup vault,Analytics pack,API access,Extra storage,White label,SSO add-on,Audit log`.split(/,\s*/);

module.exports = { ISO3166_ALPHA3, ISO4217, FIRST_NAMES, LAST_NAMES, COMPANY_WORDS, PRODUCT_NAMES };
