/**
 * A realistic demo fleet for a Chinese bank, generated from a seed: regions
 * and branches, suppliers, models with planted failure rates, insurance
 * policies, merchants and terminals of mixed ages, states and warranties.
 * Pure and deterministic, so demo mode, tests and benchmarks share it.
 */
import type { CreateInsurancePolicyRequest, CreateModelRequest, CreateSupplierRequest } from '../catalog/catalog.contracts';
import type { TerminalStatus } from '../terminals/lifecycle';
import { seededRandom, type Random } from './random';

export interface DemoFleetOptions {
  seed?: number;
  terminals?: number;
  /** YYYY-MM-DD; injected, never read from the clock here. */
  today: string;
}

export interface DemoRegion {
  code: string;
  name: string;
  nameEn: string;
  parentCode: string | null;
}

export type DemoSupplier = CreateSupplierRequest & { name: string };

export interface DemoModel extends CreateModelRequest {
  supplierName: string;
  /** Planted failures per terminal-year, for the analytics to recover. */
  annualFailureRate: number;
}

export type DemoPolicy = CreateInsurancePolicyRequest;

export interface DemoMerchant {
  name: string;
  regionCode: string;
  address: string;
  contactName: string;
  contactPhone: string;
}

export interface DemoTerminal {
  serialNumber: string;
  modelName: string;
  supplierName: string;
  regionCode: string;
  merchantName: string | null;
  custodian: string | null;
  status: TerminalStatus;
  purchaseDate: string;
  purchasePrice: number;
  currency: 'CNY';
  batch: string;
  firmwareVersion: string;
  appVersion: string;
  warrantyStart: string;
  warrantyEnd: string;
  warrantyTerms: string;
  warrantyProvider: string;
  insurancePolicyNumber: string | null;
  notes: string | null;
}

export interface DemoFleet {
  regions: DemoRegion[];
  suppliers: DemoSupplier[];
  models: DemoModel[];
  policies: DemoPolicy[];
  merchants: DemoMerchant[];
  terminals: DemoTerminal[];
}

const PROVINCES: { code: string; name: string; nameEn: string; weight: number; branches: [string, string, string][] }[] = [
  { code: 'BJ', name: '北京分行', nameEn: 'Beijing', weight: 5, branches: [['BJHD', '海淀支行', 'Haidian'], ['BJCY', '朝阳支行', 'Chaoyang'], ['BJXC', '西城支行', 'Xicheng'], ['BJDC', '东城支行', 'Dongcheng']] },
  { code: 'SH', name: '上海分行', nameEn: 'Shanghai', weight: 5, branches: [['SHPD', '浦东支行', 'Pudong'], ['SHXH', '徐汇支行', 'Xuhui'], ['SHJA', '静安支行', "Jing'an"]] },
  { code: 'GD', name: '广东分行', nameEn: 'Guangdong', weight: 6, branches: [['GDGZ', '广州分行营业部', 'Guangzhou'], ['GDSZ', '深圳分行', 'Shenzhen'], ['GDDG', '东莞支行', 'Dongguan'], ['GDFS', '佛山支行', 'Foshan']] },
  { code: 'ZJ', name: '浙江分行', nameEn: 'Zhejiang', weight: 4, branches: [['ZJHZ', '杭州分行营业部', 'Hangzhou'], ['ZJNB', '宁波支行', 'Ningbo'], ['ZJWZ', '温州支行', 'Wenzhou']] },
  { code: 'JS', name: '江苏分行', nameEn: 'Jiangsu', weight: 4, branches: [['JSNJ', '南京分行营业部', 'Nanjing'], ['JSSZ', '苏州支行', 'Suzhou'], ['JSWX', '无锡支行', 'Wuxi']] },
  { code: 'SC', name: '四川分行', nameEn: 'Sichuan', weight: 3, branches: [['SCCD', '成都分行营业部', 'Chengdu'], ['SCMY', '绵阳支行', 'Mianyang']] },
];

const SUPPLIERS: DemoSupplier[] = [
  { name: '百富 PAX', contactName: '陈工', contactPhone: '0755-86169630', contactEmail: 'service@pax.example', supportResponseHours: 4, supportSla: '4 小时响应，48 小时上门；保内免费换机' },
  { name: '联迪商用 Landi', contactName: '林经理', contactPhone: '0591-87881188', contactEmail: 'support@landi.example', supportResponseHours: 8, supportSla: '8 小时响应，72 小时寄修返回' },
  { name: '新大陆 Newland', contactName: '黄工', contactPhone: '0591-83979999', contactEmail: 'pos@newland.example', supportResponseHours: 6, supportSla: '6 小时响应，省会城市次日上门' },
  { name: '惠尔丰 Verifone', contactName: 'Michael Zhang', contactPhone: '021-61032000', contactEmail: 'cn.support@verifone.example', supportResponseHours: 12, supportSla: 'Next-business-day response; depot repair 5 days' },
  { name: '新国都 Xinguodu', contactName: '刘经理', contactPhone: '0755-86223800', contactEmail: 'service@xgd.example', supportResponseHours: 8, supportSla: '8 小时响应，96 小时修复' },
];

/** name, manufacturer, supplier, category, list price, warranty months, end of life, planted annual failure rate, firmware line. */
const MODELS: [string, string, string, DemoModel['category'], number, number, string | null, number, string][] = [
  ['PAX A920', 'PAX', '百富 PAX', 'smart', 1980, 24, null, 0.04, 'PayDroid 8'],
  ['PAX S90', 'PAX', '百富 PAX', 'mobile', 1280, 24, '2025-12-31', 0.09, 'Prolin 2'],
  ['PAX D210', 'PAX', '百富 PAX', 'mpos', 420, 12, null, 0.12, 'D210 FW 3'],
  ['Landi A8', 'Landi', '联迪商用 Landi', 'smart', 2280, 36, null, 0.035, 'LandiOS 9'],
  ['Landi E530', 'Landi', '联迪商用 Landi', 'desktop', 980, 24, '2024-06-30', 0.08, 'E5 FW 6'],
  ['Newland N910', 'Newland', '新大陆 Newland', 'smart', 1680, 24, null, 0.05, 'NLOS 10'],
  ['Newland ME31', 'Newland', '新大陆 Newland', 'mpos', 360, 12, null, 0.15, 'ME3 FW 2'],
  ['Verifone VX520', 'Verifone', '惠尔丰 Verifone', 'desktop', 1450, 36, '2023-12-31', 0.06, 'Verix 5'],
  ['Verifone X990', 'Verifone', '惠尔丰 Verifone', 'smart', 2680, 36, null, 0.03, 'Engage 3'],
  ['Xinguodu K370', 'Xinguodu', '新国都 Xinguodu', 'mobile', 1150, 24, null, 0.07, 'K3 FW 4'],
];

const SHOPS = ['便利店', '超市', '餐厅', '药房', '加油站', '面包房', '咖啡馆', '书店', '服装店', '电器城', '茶庄', '火锅店', '水果店', '眼镜店', '花店'];
const SHOP_PREFIXES = ['好又多', '佳乐', '万家', '金福', '惠民', '鑫源', '乐购', '百味', '红星', '东方', '益家', '安心', '四季', '平安', '兴隆', '新世纪', '和顺', '福满'];
const STREETS = ['人民路', '解放路', '中山路', '建设路', '和平路', '长江路', '文化路', '新华路', '胜利路', '青年路'];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '磊', '强', '洋', '勇', '艳', '杰', '军', '婷', '涛'];

export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function addMonths(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return isoDate(target.getTime());
}

const DAY = 86_400_000;

function person(random: Random): string {
  return random.pick(SURNAMES) + random.pick(GIVEN) + (random.next() < 0.5 ? random.pick(GIVEN) : '');
}

function phone(random: Random): string {
  return `1${random.pick(['38', '39', '58', '86', '37', '50'])}${String(random.int(0, 99_999_999)).padStart(8, '0')}`;
}

/** Status by age: older units are more often retired or disposed. */
function statusFor(random: Random, ageYears: number): TerminalStatus {
  const retiredWeight = ageYears > 4 ? 18 : ageYears > 3 ? 6 : 1;
  return random.weighted<TerminalStatus>([
    ['deployed', 80],
    ['in_stock', ageYears < 0.5 ? 30 : 4],
    ['spare', 4],
    ['in_repair', 4],
    ['retired', retiredWeight],
    ['disposed', ageYears > 4 ? 4 : 0.2],
  ]);
}

export function generateDemoFleet(options: DemoFleetOptions): DemoFleet {
  const random = seededRandom(options.seed ?? 20261122);
  const count = options.terminals ?? 6000;
  const todayMs = Date.parse(`${options.today}T00:00:00Z`);
  if (Number.isNaN(todayMs)) throw new RangeError(`invalid today: ${options.today}`);

  const regions: DemoRegion[] = [];
  const leaves: { code: string; weight: number; city: string }[] = [];
  const firmwareLines = new Map(MODELS.map((m) => [m[0], m[8]]));
  for (const province of PROVINCES) {
    regions.push({ code: province.code, name: province.name, nameEn: province.nameEn, parentCode: null });
    for (const [code, name, nameEn] of province.branches) {
      regions.push({ code, name, nameEn, parentCode: province.code });
      leaves.push({ code, weight: province.weight / province.branches.length, city: province.name.replace(/分行$/, '') });
    }
  }

  const models: DemoModel[] = MODELS.map(([name, manufacturer, supplierName, category, listPrice, months, endOfLifeDate, rate]) => ({
    name,
    manufacturer,
    supplierName,
    category,
    listPrice,
    currency: 'CNY',
    defaultWarrantyMonths: months,
    endOfLifeDate,
    spec: `${manufacturer} ${category} terminal`,
    annualFailureRate: rate,
  }));

  const thisYear = Number(options.today.slice(0, 4));
  const policies: DemoPolicy[] = [
    { insurer: '中国人保 PICC', policyNumber: `PICC-${thisYear - 1}-POS-0001`, coverage: '意外损坏、盗抢；每台限额 3000 元', deductible: 200, premium: 180_000, currency: 'CNY', startDate: isoDate(todayMs - 320 * DAY), endDate: isoDate(todayMs + 45 * DAY) },
    { insurer: '平安保险 Ping An', policyNumber: `PA-${thisYear}-EQ-1088`, coverage: '设备一切险（含进水、跌落）', deductible: 300, premium: 260_000, currency: 'CNY', startDate: isoDate(todayMs - 100 * DAY), endDate: isoDate(todayMs + 265 * DAY) },
    { insurer: '太平洋保险 CPIC', policyNumber: `CPIC-${thisYear - 2}-7731`, coverage: '电子设备险', deductible: 500, premium: 90_000, currency: 'CNY', startDate: isoDate(todayMs - 700 * DAY), endDate: isoDate(todayMs - 335 * DAY) },
  ];
  const livePolicies = policies.filter((p) => p.endDate >= options.today);

  const merchants: DemoMerchant[] = [];
  const merchantsByRegion = new Map<string, string[]>();
  const merchantCount = Math.max(10, Math.round(count / 2.5));
  const usedNames = new Set<string>();
  for (let i = 0; i < merchantCount; i++) {
    const leaf = random.weighted(leaves.map((l) => [l, l.weight] as const));
    let name = `${leaf.city}${random.pick(SHOP_PREFIXES)}${random.pick(SHOPS)}`;
    if (usedNames.has(name)) name = `${name}（${random.pick(STREETS)}${random.int(1, 99)}店）`;
    if (usedNames.has(name)) name = `${name}${i}`;
    usedNames.add(name);
    merchants.push({ name, regionCode: leaf.code, address: `${leaf.city}市${random.pick(STREETS)}${random.int(1, 999)}号`, contactName: person(random), contactPhone: phone(random) });
    const inRegion = merchantsByRegion.get(leaf.code) ?? [];
    inRegion.push(name);
    merchantsByRegion.set(leaf.code, inRegion);
  }

  const terminals: DemoTerminal[] = [];
  const serials = new Set<string>();
  for (let i = 0; i < count; i++) {
    const model = random.pick(models);
    const leaf = random.weighted(leaves.map((l) => [l, l.weight] as const));
    // Batches bought each quarter over six years, more recently more often.
    const ageDays = Math.floor(Math.pow(random.next(), 1.3) * 6 * 365);
    const purchaseDate = isoDate(todayMs - ageDays * DAY);
    const quarter = `${purchaseDate.slice(0, 4)}Q${Math.floor((Number(purchaseDate.slice(5, 7)) - 1) / 3) + 1}`;
    const status = statusFor(random, ageDays / 365);
    let serial = '';
    do serial = `${model.manufacturer.slice(0, 2).toUpperCase()}${purchaseDate.slice(2, 4)}${String(random.int(0, 99_999_999)).padStart(8, '0')}`;
    while (serials.has(serial));
    serials.add(serial);
    const regionMerchants = merchantsByRegion.get(leaf.code) ?? [];
    const firmwareMinor = Math.max(0, 6 - Math.floor(ageDays / 365) - random.int(0, 1));
    const policy = random.next() < 0.3 && livePolicies.length > 0 ? random.pick(policies) : null;
    terminals.push({
      serialNumber: serial,
      modelName: model.name,
      supplierName: model.supplierName,
      regionCode: leaf.code,
      merchantName: status === 'deployed' && regionMerchants.length > 0 ? random.pick(regionMerchants) : null,
      custodian: status === 'deployed' || status === 'spare' ? person(random) : null,
      status,
      purchaseDate,
      purchasePrice: Math.round((model.listPrice ?? 1000) * (0.85 + random.next() * 0.15)),
      currency: 'CNY',
      batch: `${quarter}-${model.name.replace(/\s+/g, '-')}`,
      firmwareVersion: `${firmwareLines.get(model.name) ?? 'FW'}.${firmwareMinor}.${random.int(0, 3)}`,
      appVersion: `3.${Math.max(0, 8 - Math.floor(ageDays / 300))}.${random.int(0, 9)}`,
      warrantyStart: purchaseDate,
      warrantyEnd: addMonths(purchaseDate, model.defaultWarrantyMonths ?? 12),
      warrantyTerms: '整机保修，人为损坏、进水除外',
      warrantyProvider: model.manufacturer,
      insurancePolicyNumber: policy?.policyNumber ?? null,
      notes: random.next() < 0.03 ? random.pick(['屏幕有轻微划痕', '曾更换电池', '商户反映打印偏淡', 'Returned from loan pool']) : null,
    });
  }

  return { regions, suppliers: SUPPLIERS.map((s) => ({ ...s })), models, policies, merchants, terminals };
}
