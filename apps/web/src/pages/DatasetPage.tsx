import { useTranslation } from 'react-i18next';

import { ComingSoon } from '../components/ComingSoon.js';
import { PageRoot } from '../components/PageRoot.js';
import { pageIcons } from '../frame/pageIcons.js';

const features = ['scan', 'crop', 'buckets', 'tagging'] as const;

export function DatasetPage() {
  const { t } = useTranslation('pages');
  return (
    <PageRoot id="dataset">
      <ComingSoon
        icon={pageIcons.dataset}
        title={t('dataset.title')}
        body={t('dataset.body')}
        features={features.map((key) => t(`dataset.features.${key}`))}
      />
    </PageRoot>
  );
}
