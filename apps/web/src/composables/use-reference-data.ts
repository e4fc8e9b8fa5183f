/** Models, suppliers, regions and policies for filters and forms, loaded once per page. */
import { onMounted, ref } from 'vue';
import type { InsurancePolicyResponse, ModelResponse, RegionResponse, SupplierResponse } from '@fleet/shared';
import { catalogApi } from '../api/resources';

export function useReferenceData() {
  const models = ref<ModelResponse[]>([]);
  const suppliers = ref<SupplierResponse[]>([]);
  const regions = ref<RegionResponse[]>([]);
  const policies = ref<InsurancePolicyResponse[]>([]);
  onMounted(async () => {
    [models.value, suppliers.value, regions.value, policies.value] = await Promise.all([
      catalogApi.list('models'),
      catalogApi.list('suppliers'),
      catalogApi.list('regions'),
      catalogApi.list('insurance-policies'),
    ]);
  });
  /** A region's name indented by its depth, for selects. */
  const regionLabel = (region: RegionResponse) => `${'\u00a0\u00a0'.repeat(region.depth)}${region.code} ${region.name}`;
  return { models, suppliers, regions, policies, regionLabel };
}
