/**
 * Firmware and app compliance (固件/应用版本合规): per model, how many deployed
 * terminals run at least the model's target versions (its health policy's
 * targetFirmwareVersion and targetAppVersion, compared as compareVersions
 * does for the version_behind health reason), and which terminals are
 * behind. Versions are those of the terminal records (kept by the inventory
 * and its imports), not the newest heartbeat's: the record is what an update
 * campaign edits, and it is there for terminals that never reported.
 */
import { Injectable } from '@nestjs/common';
import { compareVersions, type BehindTerminalResponse, type MaintenanceComplianceResponse, type ModelComplianceResponse, type Page, type VersionStanding } from '@fleet/shared';
import { CatalogService } from '../catalog/catalog.service';
import { pageOf, type PageQueryDto } from '../common/api-dtos';
import { Clock } from '../common/clock';
import { requestScope } from '../common/request-scope';
import { HealthPoliciesService } from '../heartbeats/health-policies.service';
import { MaintenanceComplianceRepository, type VersionGroup, type VersionSelection } from './maintenance-compliance.repository';

export function versionStanding(version: string | null, target: string | null): VersionStanding {
  if (target === null) return 'on_target';
  if (version === null) return 'unknown';
  return compareVersions(version, target) < 0 ? 'behind' : 'on_target';
}

interface Targets {
  firmware: string | null;
  app: string | null;
}

/** Counts of one model's version groups against its targets. */
export function modelCompliance(groups: readonly VersionGroup[], targets: Targets): Omit<ModelComplianceResponse, 'model'> {
  let deployed = 0;
  let behind = 0;
  let unknown = 0;
  for (const group of groups) {
    const standings = [versionStanding(group.firmwareVersion, targets.firmware), versionStanding(group.appVersion, targets.app)];
    deployed += group.count;
    if (standings.includes('behind')) behind += group.count;
    else if (standings.includes('unknown')) unknown += group.count;
  }
  const onTarget = deployed - behind - unknown;
  const targeted = targets.firmware !== null || targets.app !== null;
  return {
    targetFirmwareVersion: targets.firmware,
    targetAppVersion: targets.app,
    deployed,
    onTarget,
    behind,
    unknown,
    share: targeted && deployed > 0 ? onTarget / deployed : null,
  };
}

@Injectable()
export class MaintenanceComplianceService {
  constructor(
    private readonly repository: MaintenanceComplianceRepository,
    private readonly catalog: CatalogService,
    private readonly policies: HealthPoliciesService,
    private readonly clock: Clock,
  ) {}

  /** Every model with deployed terminals in the user's region, by name. */
  async overview(): Promise<MaintenanceComplianceResponse> {
    const [groups, { models }] = await Promise.all([this.repository.versionGroups({ scopePath: requestScope()?.path }), this.catalog.names()]);
    const byModel = new Map<number, VersionGroup[]>();
    for (const group of groups) byModel.set(group.modelId, [...(byModel.get(group.modelId) ?? []), group]);
    const rows = [...byModel].map(([modelId, modelGroups]) => ({ model: { id: modelId, name: models.get(modelId) ?? '' }, ...modelCompliance(modelGroups, this.targets(modelId)) }));
    rows.sort((a, b) => a.model.name.localeCompare(b.model.name) || a.model.id - b.model.id);
    return { asOf: this.clock.now().toISOString(), models: rows };
  }

  /** The model's deployed terminals not on target (behind, or a targeted version unknown), by asset number. */
  async behind(modelId: number, query: PageQueryDto): Promise<Page<BehindTerminalResponse>> {
    await this.catalog.getModel(modelId);
    const { page, pageSize, offset } = pageOf(query);
    const scopePath = requestScope()?.path;
    const targets = this.targets(modelId);
    const groups = await this.repository.versionGroups({ modelId, scopePath });
    const selection: VersionSelection = { firmware: { values: [], missing: false }, app: { values: [], missing: false } };
    for (const group of groups) {
      for (const [part, version, target] of [['firmware', group.firmwareVersion, targets.firmware], ['app', group.appVersion, targets.app]] as const) {
        const standing = versionStanding(version, target);
        if (standing === 'unknown') selection[part].missing = true;
        if (standing === 'behind' && version !== null && !selection[part].values.includes(version)) selection[part].values.push(version);
      }
    }
    const [rows, total] = await this.repository.withVersions(modelId, scopePath, selection, offset, pageSize);
    return {
      items: rows.map((terminal) => ({
        id: terminal.id,
        assetNumber: terminal.assetNumber,
        region: { id: terminal.regionId, name: terminal.region?.name ?? '', code: terminal.region?.code ?? '' },
        firmwareVersion: terminal.firmwareVersion,
        appVersion: terminal.appVersion,
        firmware: versionStanding(terminal.firmwareVersion, targets.firmware),
        app: versionStanding(terminal.appVersion, targets.app),
      })),
      total,
      page,
      pageSize,
    };
  }

  private targets(modelId: number): Targets {
    // Terminal ids start at 1: terminal 0 has no override, so this is the model's policy over the defaults.
    const policy = this.policies.policyFor(0, modelId);
    return { firmware: policy.targetFirmwareVersion, app: policy.targetAppVersion };
  }
}
