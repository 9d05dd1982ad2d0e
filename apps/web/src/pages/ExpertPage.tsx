import { useTranslation } from 'react-i18next';

import { ComingSoon } from '../components/ComingSoon.js';
import { PageRoot } from '../components/PageRoot.js';
import { pageIcons } from '../frame/pageIcons.js';

const features = ['tabs', 'help', 'rules', 'toml'] as const;

export function ExpertPage() {
  const { t } = useTranslation('pages');
  return (
    <PageRoot id="expert">
      <ComingSoon
        icon={pageIcons.expert}
        title={t('expert.title')}
        body={t('expert.body')}
        features={features.map((key) => t(`expert.features.${key}`))}
      />
    </PageRoot>
  );
}
