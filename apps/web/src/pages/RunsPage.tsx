import { useTranslation } from 'react-i18next';

import { ComingSoon } from '../components/ComingSoon.js';
import { PageRoot } from '../components/PageRoot.js';
import { pageIcons } from '../frame/pageIcons.js';

const features = ['queue', 'progress', 'charts', 'diagnosis'] as const;

export function RunsPage() {
  const { t } = useTranslation('pages');
  return (
    <PageRoot id="runs">
      <ComingSoon
        icon={pageIcons.runs}
        title={t('runs.title')}
        body={t('runs.body')}
        features={features.map((key) => t(`runs.features.${key}`))}
      />
    </PageRoot>
  );
}
