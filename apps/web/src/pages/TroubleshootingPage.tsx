import { useTranslation } from 'react-i18next';

import { ComingSoon } from '../components/ComingSoon.js';
import { PageRoot } from '../components/PageRoot.js';
import { pageIcons } from '../frame/pageIcons.js';

const features = ['scan', 'explain', 'fix', 'bundle'] as const;

export function TroubleshootingPage() {
  const { t } = useTranslation('pages');
  return (
    <PageRoot id="troubleshooting">
      <ComingSoon
        icon={pageIcons.troubleshooting}
        title={t('troubleshooting.title')}
        body={t('troubleshooting.body')}
        features={features.map((key) => t(`troubleshooting.features.${key}`))}
      />
    </PageRoot>
  );
}
