import { useTranslation } from 'react-i18next';

import { ComingSoon } from '../components/ComingSoon.js';
import { PageRoot } from '../components/PageRoot.js';
import { pageIcons } from '../frame/pageIcons.js';

const features = ['files', 'samples', 'continue', 'export'] as const;

export function OutputsPage() {
  const { t } = useTranslation('pages');
  return (
    <PageRoot id="outputs">
      <ComingSoon
        icon={pageIcons.outputs}
        title={t('outputs.title')}
        body={t('outputs.body')}
        features={features.map((key) => t(`outputs.features.${key}`))}
      />
    </PageRoot>
  );
}
