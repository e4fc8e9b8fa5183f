/**
 * The faults of the demo's ticket history (generateDemoIncidents): what goes
 * wrong with each kind of terminal, the codes it shows, what the merchant
 * says and the technician finds, and the closing note of each fix that suits
 * it, in the words of a Chinese bank's technicians; and the other texts and
 * turnaround times the tickets are written with.
 */
import type { DamageCircumstance, FaultType, FirstResponseCheck, IncidentSymptom, Responsibility, TestCheck } from '../incidents/incidents.contracts';
import type { TerminalCategory } from '../terminals/lifecycle';

export type PathKind = 'first_response' | 'on_site' | 'ship';
export type Path = PathKind | 'replace';

/** One way a fault shows and is put right: its code, what the merchant says, what the technician finds, and the closing note of each fix that suits it. */
export interface Variant {
  code: string | null;
  description: string;
  diagnosis: string;
  notes: Readonly<Partial<Record<PathKind, string>>>;
  weight?: number;
  /** Physical damage: how it happened. */
  circumstances?: DamageCircumstance;
  circumstancesNote?: string;
}

export interface Scenario {
  symptom: IncidentSymptom;
  faultType: FaultType;
  causes: 'hardware' | 'setup' | 'software' | 'damage';
  /** Who a software fault is blamed on: the supplier's firmware or the bank's keys and parameters. */
  softwareBlame?: Responsibility;
  weight: Readonly<Record<TerminalCategory, number>>;
  /** The models for which this is the fault they are known for, and the code they show. */
  signature?: Readonly<Record<string, { boost: number; code: string }>>;
  /** How often each fix is the one, among those a variant has a note for. */
  paths: Readonly<Record<PathKind, number>>;
  /** The first-response check that finds (or fixes) it, and the post-repair check that fails when the fix did not hold. */
  check: FirstResponseCheck;
  testCheck: TestCheck;
  part: string;
  variants: readonly Variant[];
}

const ALL = (weight: number): Record<TerminalCategory, number> => ({ desktop: weight, mobile: weight, smart: weight, mpos: weight });

export const SCENARIOS: readonly Scenario[] = [
  {
    symptom: 'card_reader',
    faultType: 'hardware',
    causes: 'hardware',
    weight: ALL(2),
    signature: { 'Newland ME31': { boost: 3, code: 'ICC-E03' }, 'Verifone X990': { boost: 2, code: 'CTLS-E12' } },
    paths: { first_response: 0.12, on_site: 0.23, ship: 0.65 },
    check: 'restart',
    testCheck: 'chip',
    part: '读卡模块',
    variants: [
      {
        code: 'ICC-E03',
        description: '插卡交易提示“读卡失败”，磁条卡正常',
        diagnosis: 'IC卡座触点氧化或读卡模块损坏',
        notes: { first_response: '用清洁卡清洁IC卡座后插卡交易恢复正常', on_site: '清洁IC卡座触点并重新紧固排线，插卡测试5笔正常', ship: '厂家更换IC卡读卡模块，返回后插卡、挥卡、刷卡交易测试均正常' },
      },
      {
        code: 'MSR-E11',
        description: '刷磁条卡需反复多次才能读出',
        diagnosis: '磁头磨损，读卡成功率不足五成',
        notes: { first_response: '清洁磁头后刷卡恢复正常', on_site: '现场更换磁头组件，刷卡测试10次全部成功', ship: '厂家更换磁条读卡器，返回后刷卡测试正常' },
      },
      {
        code: 'CTLS-E12',
        description: '挥卡无反应，非接感应区指示灯不亮',
        diagnosis: '非接天线板无响应',
        notes: { first_response: '重启后非接模块恢复，挥卡测试正常', on_site: '重新插接非接天线排线，挥卡测试正常', ship: '厂家更换非接天线板，挥卡测试正常后交还商户' },
      },
    ],
  },
  {
    symptom: 'printer',
    faultType: 'hardware',
    causes: 'hardware',
    weight: { desktop: 3, mobile: 2, smart: 1.5, mpos: 0 },
    signature: { 'Landi E530': { boost: 3, code: 'PRN-HEAD-02' }, 'Landi A8': { boost: 2, code: 'PRN-07' } },
    paths: { first_response: 0.3, on_site: 0.42, ship: 0.28 },
    check: 'restart',
    testCheck: 'print',
    part: '打印头',
    variants: [
      {
        code: 'PRN-HEAD-02',
        description: '打印小票字迹模糊，部分缺字',
        diagnosis: '打印头老化，加热点部分失效',
        notes: { first_response: '清洁打印头并换用优质热敏纸，打印恢复清晰', on_site: '现场更换打印头，打印测试清晰', ship: '厂家更换打印机芯，返回后打印测试正常' },
      },
      {
        code: 'PRN-07',
        description: '打印机频繁卡纸，屏幕提示PRN-07',
        diagnosis: '切纸刀卡滞导致卡纸',
        notes: { first_response: '清理卡纸并重新装纸，指导商户正确装纸方向，打印测试正常', on_site: '清理切纸刀并更换打印胶辊，连续打印20张正常', ship: '厂家更换切纸机构，返回后打印测试正常' },
      },
      {
        code: 'PRN-01',
        description: '提示缺纸，但纸仓内有纸',
        diagnosis: '缺纸传感器积灰误报',
        notes: { first_response: '清洁缺纸传感器后提示消失，打印正常', on_site: '更换缺纸传感器，打印测试正常', ship: '厂家更换打印控制板，返回后打印测试正常' },
      },
    ],
  },
  {
    symptom: 'battery',
    faultType: 'hardware',
    causes: 'hardware',
    weight: { desktop: 0, mobile: 2.2, smart: 1.3, mpos: 2.2 },
    signature: { 'PAX S90': { boost: 3, code: 'BAT-SWELL' } },
    paths: { first_response: 0.1, on_site: 0.5, ship: 0.4 },
    check: 'battery',
    testCheck: 'test_transaction',
    part: '电池',
    variants: [
      {
        code: 'BAT-LOW',
        description: '电池续航不足两小时，下午就没电',
        diagnosis: '电池老化，容量不足标称的四成',
        notes: { on_site: '现场更换原厂电池，满充后待机测试正常', ship: '寄回厂家更换电池，检测充放电正常' },
      },
      {
        code: 'BAT-SWELL',
        description: '电池鼓包，后盖翘起',
        diagnosis: '电池鼓包，有安全隐患，需立即更换',
        notes: { on_site: '现场更换原厂电池及后盖，提醒商户不要长期插电使用', ship: '电池鼓包，寄回厂家更换电池及后壳，检测充放电正常' },
      },
      {
        code: 'CHG-E02',
        description: '插上充电座不充电',
        diagnosis: '充电接口松动',
        notes: { first_response: '更换充电座和数据线后可正常充电', on_site: '现场更换充电接口小板，充电正常', ship: '厂家更换充电管理板，返回后充放电正常' },
      },
    ],
  },
  {
    symptom: 'wont_boot',
    faultType: 'hardware',
    causes: 'hardware',
    weight: ALL(1.2),
    signature: { 'Verifone VX520': { boost: 1.5, code: 'PSU-00' } },
    paths: { first_response: 0.2, on_site: 0.2, ship: 0.6 },
    check: 'power',
    testCheck: 'test_transaction',
    part: '主板',
    variants: [
      {
        code: 'PSU-00',
        description: '按电源键无反应，无法开机',
        diagnosis: '电源适配器无输出',
        notes: { first_response: '换插座后正常开机，原插座接触不良', on_site: '更换电源适配器，开机及交易测试正常', ship: '厂家更换电源板，返回后开机、交易测试正常' },
      },
      {
        code: 'BOOT-LOOP',
        description: '开机停在启动画面，反复重启',
        diagnosis: '系统分区损坏，无法启动',
        notes: { first_response: '长按复位进入恢复模式后重启成功', on_site: '现场用TMS工具重新刷写系统，开机正常', ship: '厂家重新刷写系统并更换存储芯片，开机正常' },
      },
      {
        code: null,
        description: '插电后指示灯不亮',
        diagnosis: '主板供电异常',
        notes: { on_site: '更换主板保险丝，开机正常', ship: '厂家更换主板，返回后开机、交易测试正常' },
      },
    ],
  },
  {
    symptom: 'screen',
    faultType: 'hardware',
    causes: 'hardware',
    weight: { desktop: 0.6, mobile: 0.8, smart: 1.2, mpos: 0.3 },
    paths: { first_response: 0, on_site: 0.2, ship: 0.8 },
    check: 'restart',
    testCheck: 'touch_keys',
    part: '显示屏',
    variants: [
      { code: null, description: '屏幕花屏，有横向条纹', diagnosis: '显示屏排线松动', notes: { on_site: '重新插接显示屏排线，显示恢复正常', ship: '厂家更换显示屏排线，显示正常' } },
      { code: null, description: '屏幕黑屏，但有按键音', diagnosis: '背光模块故障', notes: { ship: '厂家更换背光模块，显示与触摸测试正常' } },
      { code: null, description: '显示屏出现竖线，看不清金额', diagnosis: '液晶屏损坏', notes: { ship: '厂家更换显示屏总成，显示与触摸测试正常' } },
    ],
  },
  {
    symptom: 'keys_touch',
    faultType: 'hardware',
    causes: 'hardware',
    weight: { desktop: 1.5, mobile: 1.2, smart: 1.2, mpos: 0.8 },
    signature: { 'Verifone VX520': { boost: 2.5, code: 'KBD-17' }, 'Newland N910': { boost: 2, code: 'TP-CAL' } },
    paths: { first_response: 0.15, on_site: 0.45, ship: 0.4 },
    check: 'restart',
    testCheck: 'touch_keys',
    part: '键盘膜',
    variants: [
      {
        code: 'KBD-17',
        description: '数字键“5”和“确认”键按下无反应',
        diagnosis: '按键导电胶老化',
        notes: { on_site: '现场更换按键膜，全部按键测试正常', ship: '厂家更换键盘板，返回后按键测试正常' },
      },
      {
        code: 'TP-CAL',
        description: '触摸屏点击位置偏移，无法输入金额',
        diagnosis: '触摸屏需要重新校准',
        notes: { first_response: '重启后进入设置完成触摸校准，输入正常', on_site: '重新校准触摸屏并升级触控固件', ship: '厂家更换触摸屏，返回后触摸测试正常' },
      },
    ],
  },
  {
    symptom: 'network',
    faultType: 'software',
    causes: 'setup',
    weight: ALL(1.5),
    signature: { 'PAX D210': { boost: 3, code: 'BT-0x1F' } },
    paths: { first_response: 0.55, on_site: 0.45, ship: 0 },
    check: 'network',
    testCheck: 'network',
    part: '网线、SIM卡',
    variants: [
      {
        code: 'NET-TIMEOUT',
        description: '交易时提示“通讯超时”',
        diagnosis: '网线水晶头松动',
        notes: { first_response: '重新插紧网线并重启路由器，签到及交易正常', on_site: '重新压制网线水晶头并固定走线，交易测试正常' },
      },
      {
        code: 'WIFI-AUTH',
        description: '连不上WiFi，提示认证失败',
        diagnosis: '商户更换路由器后WiFi密码未同步',
        notes: { first_response: '重新配置WiFi并重启终端，签到及交易正常', on_site: '现场重新配置WiFi并改为固定IP，联网正常' },
      },
      {
        code: 'BT-0x1F',
        description: '蓝牙与收银手机频繁断开',
        diagnosis: '蓝牙配对信息丢失',
        notes: { first_response: '删除旧配对信息重新蓝牙配对，连续交易正常', on_site: '升级蓝牙固件并重新配对，连续交易正常' },
      },
      {
        code: 'APN-ERR',
        description: '4G联网失败，提示APN错误',
        diagnosis: 'APN参数错误',
        notes: { first_response: 'TMS下发正确APN参数后联网正常', on_site: '更新APN参数并更换SIM卡，联网正常' },
      },
    ],
  },
  {
    symptom: 'network',
    faultType: 'hardware',
    causes: 'hardware',
    weight: ALL(0.6),
    signature: { 'Xinguodu K370': { boost: 3, code: 'NET-4G-21' } },
    paths: { first_response: 0.1, on_site: 0.2, ship: 0.7 },
    check: 'network',
    testCheck: 'network',
    part: '通讯模块',
    variants: [
      {
        code: 'NET-4G-21',
        description: '4G信号满格但无法联网',
        diagnosis: '4G通讯模块故障',
        notes: { first_response: '重启后恢复联网，请商户继续观察', on_site: '现场升级通讯模块固件并更换天线，联网稳定', ship: '厂家更换4G通讯模块，返回后联网及交易测试正常' },
      },
      { code: 'NET-ETH-03', description: '网口指示灯不亮，无法联网', diagnosis: '网口损坏', notes: { on_site: '改用4G联网并更换网口模块，联网正常', ship: '厂家更换网口板，返回后联网正常' } },
    ],
  },
  {
    symptom: 'transaction_errors',
    faultType: 'software',
    causes: 'software',
    softwareBlame: 'bank',
    weight: ALL(1.2),
    paths: { first_response: 0.45, on_site: 0.5, ship: 0.05 },
    check: 'restart',
    testCheck: 'test_transaction',
    part: '密钥重新灌装',
    variants: [
      { code: 'TXN-A0', description: '交易提示“A0 MAC校验错”', diagnosis: '工作密钥不同步', notes: { first_response: '重新签到同步工作密钥后交易正常', on_site: '现场重新下载工作密钥并签到，交易测试正常' } },
      { code: 'KEY-A7', description: '签到失败，提示密钥错误', diagnosis: '主密钥丢失，需重新灌装', notes: { on_site: '现场重新灌装主密钥后签到成功', ship: '返厂重新灌装主密钥，返回后签到、交易正常' } },
      { code: 'TXN-96', description: '交易提示“96 系统故障”，部分卡能成功', diagnosis: '终端参数与收单系统不一致', notes: { first_response: '重新下载终端参数后交易正常', on_site: '现场核对并重新下载终端参数，交易测试正常' } },
    ],
  },
  {
    symptom: 'error_code',
    faultType: 'software',
    causes: 'software',
    softwareBlame: 'supplier',
    weight: { desktop: 0.5, mobile: 0.8, smart: 1.5, mpos: 0.5 },
    signature: { 'PAX A920': { boost: 2.5, code: 'APP-ANR-500' } },
    paths: { first_response: 0.45, on_site: 0.45, ship: 0.1 },
    check: 'restart',
    testCheck: 'test_transaction',
    part: '系统刷机',
    variants: [
      { code: 'APP-ANR-500', description: '收银应用闪退，屏幕提示APP-ANR-500', diagnosis: '应用缓存损坏', notes: { first_response: '清除应用缓存并重启，应用运行正常', on_site: '卸载重装收银应用并恢复参数，交易正常' } },
      { code: 'SYS-E9001', description: '固件升级后反复提示SYS-E9001', diagnosis: '固件版本与收银应用不兼容', notes: { on_site: '回退固件至稳定版本并重装收银应用，交易正常', ship: '厂家重新刷机，返回后应用运行正常' } },
      { code: 'FW-UPD-3', description: '升级中断，提示FW-UPD-3', diagnosis: '升级包下载不完整', notes: { first_response: '通过TMS重新推送升级包，升级完成后交易正常', on_site: '现场用U盘升级固件，升级完成后交易正常' } },
    ],
  },
  {
    symptom: 'physical_damage',
    faultType: 'hardware',
    causes: 'damage',
    weight: { desktop: 0.5, mobile: 1.3, smart: 1, mpos: 1.6 },
    paths: { first_response: 0, on_site: 0.15, ship: 0.85 },
    check: 'power',
    testCheck: 'touch_keys',
    part: '屏幕及外壳',
    variants: [
      {
        code: null,
        weight: 40,
        circumstances: 'dropped',
        circumstancesNote: '收银员不慎从柜台碰落，约1米高',
        description: '收银时从柜台跌落，屏幕碎裂',
        diagnosis: '外壳及屏幕碎裂，主板完好',
        notes: { on_site: '现场更换外壳及屏幕，功能测试正常，已提醒商户注意摆放', ship: '送修更换屏幕及外壳，功能测试正常，已提醒商户规范使用' },
      },
      { code: null, weight: 15, circumstances: 'dropped', circumstancesNote: '外卖高峰时掉到地上', description: '从收银台摔落后无法开机', diagnosis: '跌落导致主板损坏', notes: { ship: '送修更换主板及外壳，功能测试正常' } },
      { code: null, weight: 22, circumstances: 'liquid', circumstancesNote: '商户饮料打翻', description: '饮料洒进键盘，按键失灵', diagnosis: '进水导致主板腐蚀', notes: { ship: '进水清洗并更换主板，费用按规定由责任方承担' } },
      { code: null, weight: 10, circumstances: 'crushed', circumstancesNote: '库房堆货时压坏', description: '被货物压坏，外壳开裂', diagnosis: '外壳开裂，内部元件完好', notes: { on_site: '更换外壳，功能测试正常', ship: '送修更换外壳，功能测试正常' } },
      { code: null, weight: 8, circumstances: 'heat', circumstancesNote: '室外摊位，中午暴晒', description: '夏天在室外暴晒后频繁死机，外壳变形', diagnosis: '高温导致外壳变形、电池老化', notes: { ship: '送修更换外壳及电池，已提醒商户避免暴晒' } },
      { code: null, weight: 5, circumstances: 'other', circumstancesNote: '商户未说明原因', description: '外壳破损，原因不明', diagnosis: '外壳破损', notes: { on_site: '更换外壳，功能测试正常' } },
    ],
  },
];

export const REPLACE_NOTES = ['维修报价超过新机价格六成，更换库存新机，旧机报废，参数已迁移', '设备老化且维修费用高，整机更换，旧机做报废处理', '损坏严重，整机更换；旧机按报废流程处理'];
export const NO_FAULT_NOTES = ['现场检测未复现故障，交易测试正常，请商户继续观察', '远程查看日志无异常，与商户确认已可正常交易'];
export const DUPLICATE_NOTES = ['商户重复报修，同一故障已在电话中处理'];
export const CANCELLED_NOTES = ['商户撤回报修：网络恢复后可正常交易', '商户已自行解决，取消工单'];
export const REOPEN_REASONS = ['商户反映同样问题再次出现', '修复后两天内故障复现', '交易时仍偶发同样的错误'];
export const ACK_CONTACTS = ['已受理报修，技术人员将尽快联系处理', '已电话确认故障现象，安排上门'];
export const SPARE_CONTACTS = ['备机已送达并完成签到，可正常收款'];
export const DONE_CONTACTS = ['设备已修复并完成交易测试，商户确认可正常使用', '已告知商户故障原因及使用注意事项'];
export const GOOD_COMMENTS = ['备机当天就送到了，没影响营业', '师傅很专业，处理及时', '响应很快'];
export const FAIR_COMMENTS = ['处理还可以，就是等得有点久'];
export const POOR_COMMENTS = ['维修时间太长，影响营业', '打了好几次电话才有人处理'];
export const BACKUP_PLACES = ['支行文件服务器 /backup/pos', 'TMS 平台参数备份', '商户收银电脑导出（结算批次与参数）'];
export const THIRD_PARTY_VENDORS = ['华信POS维修服务部', '易修电子（上海）', '聚合支付设备维修站（广州）'];
export const CARRIERS: readonly [string, string][] = [
  ['顺丰速运', 'SF'],
  ['京东物流', 'JDV'],
  ['中国邮政 EMS', 'EM'],
];
/** Median days a supplier's repair centre keeps a unit; others take SUPPLIER_DAYS_DEFAULT. */
export const SUPPLIER_DAYS: Readonly<Record<string, number>> = { '百富 PAX': 4, '联迪商用 Landi': 6, '新大陆 Newland': 5, '惠尔丰 Verifone': 9, '新国都 Xinguodu': 7 };
export const SUPPLIER_DAYS_DEFAULT = 6;
export const THIRD_PARTY_DAYS = 5;
